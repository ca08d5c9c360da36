"""The bell, the list of notices, marking them read, the mail preference and the admin's alert thresholds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from talentcase.common import clock
from talentcase.extensions import db as _db
from talentcase.notifications.models import Notification
from talentcase.sla.models import SlaPolicy
from tests.cases.helpers import make_case


def _notice(db, user, title: str, *, case=None, minutes_ago: int = 0, read: bool = False) -> Notification:
    created = clock.now() - timedelta(minutes=minutes_ago)
    notice = Notification(
        user_id=user.id,
        case_id=case.id if case else None,
        kind="info_request",
        title=title,
        created_at=created,
        read_at=created if read else None,
    )
    db.session.add(notice)
    db.session.commit()
    return notice


def _bell(html: str) -> str:
    match = re.search(r'id="bell"[^>]*>([^<]*)<', html)
    assert match, "no bell in the header"
    return match.group(1)


def test_the_bell_shows_the_unread_count_in_words_for_signed_in_users_only(client, auth, db, people):
    assert 'id="bell"' not in client.get("/login").get_data(as_text=True)
    _notice(db, people["hr_a"], "One")
    _notice(db, people["hr_a"], "Two")
    _notice(db, people["hr_a"], "Old", read=True)
    _notice(db, people["hr_b"], "Not yours")
    auth.as_user(people["hr_a"])
    assert _bell(client.get("/account").get_data(as_text=True)) == "Notifications (2 unread)"


def test_the_bell_costs_one_count_query(app, client, auth, db, people):
    auth.as_user(people["hr_a"])
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        client.get("/account")
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    about_notices = [sql for sql in statements if "notifications" in sql]
    assert len(about_notices) == 1 and "count(" in about_notices[0].lower()


def test_the_list_shows_newest_first_says_unread_in_words_and_links_to_the_case(client, auth, db, people):
    case = make_case(people["company_a"])
    db.session.commit()
    _notice(db, people["hr_a"], "Older and read", minutes_ago=10, read=True)
    _notice(db, people["hr_a"], f"{case.reference}: the park asks for information", case=case, minutes_ago=1)
    _notice(db, people["hr_b"], "Someone else's")
    auth.as_user(people["hr_a"])
    html = client.get("/notifications?show=all").get_data(as_text=True)
    assert html.index("the park asks for information") < html.index("Older and read")
    assert "Someone else" not in html
    assert '<span class="tag">Unread</span>' in html and '<span class="tag">Read</span>' in html
    assert f'href="/cases/{case.id}"' in html
    assert "1 unread of all your notifications; 2 shown here." in html


def test_the_list_is_paginated(client, auth, db, people):
    for index in range(30):
        _notice(db, people["officer"], f"Notice number {index:02d}", minutes_ago=100 - index)
    auth.as_user(people["officer"])
    first = client.get("/notifications").get_data(as_text=True)
    assert "Notice number 29" in first and "Notice number 05" in first and "Notice number 04" not in first
    assert "Page 1 of 2" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Notice number 04" in second and "Notice number 00" in second and "Notice number 05" not in second


def test_marking_one_notice_read_and_then_all(client, auth, db, people):
    first = _notice(db, people["hr_a"], "First")
    _notice(db, people["hr_a"], "Second")
    _notice(db, people["hr_a"], "Third")
    auth.as_user(people["hr_a"])
    response = client.post(f"/notifications/{first.id}/read")
    assert response.status_code == 302 and response.headers["Location"].endswith("/notifications")
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert _bell(client.get("/notifications").get_data(as_text=True)) == "Notifications (2 unread)"
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "2 notice(s) marked as read." in response.get_data(as_text=True)
    assert _bell(response.get_data(as_text=True)) == "Notifications (0 unread)"
    assert db.session.scalar(select(Notification).where(Notification.read_at.is_(None))) is None


def test_mark_all_read_leaves_other_users_notices_alone(client, auth, db, people):
    theirs = _notice(db, people["hr_b"], "Theirs")
    auth.as_user(people["hr_a"])
    client.post("/notifications/read-all")
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


@pytest.mark.parametrize("who", ["hr_a", "officer", "admin"])
def test_someone_elses_notice_is_not_found(client, auth, db, people, who):
    theirs = _notice(db, people["hr_b"], "Theirs")
    auth.as_user(people[who])
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_the_mail_preference_is_saved(client, auth, db, people):
    auth.as_user(people["hr_a"])
    page = client.get("/account").get_data(as_text=True)
    assert 'name="prefs-notification_mode"' in page and "Breached deadlines always reach you" not in page
    response = client.post(
        "/account",
        data={"prefs-name": "Ada", "prefs-preferred_language": "en", "prefs-notification_mode": "digest"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert people["hr_a"].notification_mode == "digest"
    response = client.post(
        "/account", data={"prefs-name": "Ada", "prefs-preferred_language": "en", "prefs-notification_mode": "loud"}
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert people["hr_a"].notification_mode == "digest"


def test_officers_are_told_that_breaches_always_reach_them(client, auth, db, people):
    auth.as_user(people["officer"])
    page = client.get("/account").get_data(as_text=True)
    assert "Breached deadlines always reach you by email at once" in page
    client.post("/account", data={"prefs-name": "", "prefs-preferred_language": "en", "prefs-notification_mode": "off"})
    db.session.expire_all()
    assert people["officer"].notification_mode == "off"


def _tomorrow() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()  # new targets start tomorrow at the earliest


SLA_FORM = {
    "effective_from": "",
    "review_days": 3,
    "quota_days": 14,
    "visa_days": 14,
    "overall_days": 28,
    "at_risk_percent": 75,
}


def test_the_admin_sets_the_alert_thresholds(client, auth, db, people):
    auth.as_user(people["admin"])
    page = client.get("/admin/sla").get_data(as_text=True)
    assert 'value="50, 75"' in page and 'value="2"' in page  # the defaults, to edit
    data = dict(SLA_FORM, effective_from=_tomorrow())
    response = client.post("/admin/sla", data=dict(data, alert_percentages="80, 60 ,60", alert_days_before_due="3 1"))
    assert response.status_code == 302
    policy = db.session.scalar(select(SlaPolicy))
    assert (policy.alert_percentages, policy.alert_days_before_due) == ([60, 80], [1, 3])
    page = client.get("/admin/sla").get_data(as_text=True)
    assert 'value="60, 80"' in page and "<td>60, 80</td><td>1, 3</td>" in page


def test_alert_thresholds_may_be_left_empty(client, auth, db, people):
    auth.as_user(people["admin"])
    data = dict(SLA_FORM, effective_from=_tomorrow(), alert_percentages="", alert_days_before_due="")
    assert client.post("/admin/sla", data=data).status_code == 302
    policy = db.session.scalar(select(SlaPolicy))
    assert (policy.alert_percentages, policy.alert_days_before_due) == ([], [])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("alert_percentages", "50, abc", "Write whole numbers separated by commas"),
        ("alert_percentages", "0, 75", "Use percentages from 1 to 99."),
        ("alert_percentages", "100", "Use percentages from 1 to 99."),
        ("alert_percentages", "10, 20, 30, 40, 50, 60", "Give at most 5 numbers."),
        ("alert_days_before_due", "-2", "Write whole numbers separated by commas"),
        ("alert_days_before_due", "61", "Use numbers of days from 1 to 60."),
    ],
)
def test_alert_thresholds_are_validated(client, auth, db, people, field, value, message):
    auth.as_user(people["admin"])
    data = dict(SLA_FORM, effective_from=_tomorrow(), alert_percentages="50", alert_days_before_due="2")
    response = client.post("/admin/sla", data=dict(data, **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'href="#{field}"' in html  # in the error summary, linked to the field
    assert db.session.scalar(select(SlaPolicy)) is None


def test_a_form_sent_back_with_another_error_keeps_the_thresholds_as_typed(client, auth, db, people):
    auth.as_user(people["admin"])
    data = dict(SLA_FORM, effective_from="2020-01-01", alert_percentages="60, 80", alert_days_before_due="3")
    response = client.post("/admin/sla", data=data)
    assert response.status_code == 422
    assert 'value="60, 80"' in response.get_data(as_text=True)
