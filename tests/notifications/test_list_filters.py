"""The notice list: one line each, "Needs me" by default (unread, asking something of the reader), all, by case, by
kind; "mark all read"; each line links to the case (or the item)."""

from __future__ import annotations

import re

from sqlalchemy import select

from talentcase.notifications.models import Notification
from tests.cases.helpers import make_case
from tests.notifications.test_views import _notice


def _titles(html: str) -> list[str]:
    return re.findall(r'class="notice-title"[^>]*>\s*(?:<a [^>]*>)?([^<]+)<', html)


def _kind(db, notice, kind: str) -> None:
    notice.kind = kind
    db.session.commit()


def test_needs_me_is_the_default_and_all_shows_the_rest(client, auth, db, people):
    case = make_case(people["company_a"])
    db.session.commit()
    _kind(db, _notice(db, people["officer"], "Asked of you", case=case, minutes_ago=3), "info_answered")
    _kind(db, _notice(db, people["officer"], "Visa lodged (news)", case=case, minutes_ago=2), "case_event")
    _kind(db, _notice(db, people["officer"], "Breach, read", case=case, minutes_ago=1, read=True), "alert_breach")
    auth.as_user(people["officer"])
    default = client.get("/notifications").get_data(as_text=True)
    assert _titles(default) == ["Asked of you"]
    assert "Needs me" in default
    everything = client.get("/notifications?show=all").get_data(as_text=True)
    assert _titles(everything) == ["Breach, read", "Visa lodged (news)", "Asked of you"]
    assert "Unread" in everything and "Read" in everything  # in words, not colour


def test_filter_by_case_and_by_kind(client, auth, db, people):
    first, second = make_case(people["company_a"]), make_case(people["company_a"])
    db.session.commit()
    _kind(db, _notice(db, people["hr_a"], "About the first", case=first, minutes_ago=3), "info_request")
    _kind(db, _notice(db, people["hr_a"], "First, a deadline", case=first, minutes_ago=2), "alert_75pct")
    _kind(db, _notice(db, people["hr_a"], "About the second", case=second, minutes_ago=1), "document_rejected")
    auth.as_user(people["hr_a"])
    by_case = client.get(f"/notifications?show=all&case={first.id}").get_data(as_text=True)
    assert _titles(by_case) == ["First, a deadline", "About the first"]
    by_kind = client.get("/notifications?show=all&kind=deadlines").get_data(as_text=True)
    assert _titles(by_kind) == ["First, a deadline"]
    documents = client.get("/notifications?kind=documents").get_data(as_text=True)
    assert _titles(documents) == ["About the second"]
    assert f'href="/cases/{second.id}/documents"' in documents  # a rejected document links to the item's page
    # A filter that is not there is ignored, never an error.
    assert client.get("/notifications?kind=nonsense&case=abc&show=odd").status_code == 200


def test_mark_all_read_then_needs_me_is_empty(client, auth, db, people):
    _kind(db, _notice(db, people["hr_a"], "One"), "info_request")
    _kind(db, _notice(db, people["hr_a"], "Two"), "case_accepted")
    auth.as_user(people["hr_a"])
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "2 notice(s) marked as read." in response.get_data(as_text=True)
    assert _titles(client.get("/notifications").get_data(as_text=True)) == []
    assert db.session.scalar(select(Notification).where(Notification.read_at.is_(None))) is None
    assert len(_titles(client.get("/notifications?show=all").get_data(as_text=True))) == 2
