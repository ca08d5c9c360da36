"""HR's side of the expert link: send, re-send, revoke, the status panel, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from talentcase.audit.models import AuditEntry
from talentcase.cases import services as cases
from talentcase.common import clock
from talentcase.documents.models import ExpertLink
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import OutboundMail
from talentcase.portal import services as portal
from tests.portal import NOW, issue_link, make_case, token_in, walk


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people):
    return make_case(people, email="priya@candidate.test")


def _mails(db) -> list[OutboundMail]:
    return db.session.scalars(select(OutboundMail).order_by(OutboundMail.id)).all()


def _audit(db, action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_invite_queues_exactly_one_email_with_a_link_that_works(client, auth, people, db, case):
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/expert-link/invite")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}#expert-link")

    mails = _mails(db)
    assert len(mails) == 1
    mail = mails[0]
    assert mail.to_address == "priya@candidate.test"
    assert mail.kind == "expert_invite" and mail.case_id == case.id
    token = token_in(mail.body_text)
    assert portal.resolve(token).problem is None
    assert portal.resolve(token).link.case_id == case.id
    # The mail job is in the outbox (no Redis here, so it waits there for the dispatcher).
    assert db.session.get(JobRecord, f"mail-{mail.id}").status == "wanted"
    entries = _audit(db, "expert_link_sent")
    assert [(e.actor_id, e.target_id, e.detail["sent_to"]) for e in entries] == [
        (people["hr_a"].id, case.id, "priya@candidate.test")
    ]

    assert client.get(f"/portal/{token}").status_code == 200
    # The plain link never shows to HR: only the expert's mailbox gets it.
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert token not in panel
    assert "priya@candidate.test" in panel


def test_only_a_hash_of_the_token_is_stored(app, people, db, case):
    token = issue_link(app, case)
    link = db.session.scalars(select(ExpertLink)).one()
    assert token not in (link.token_hash, link.sent_to)
    assert len(link.token_hash) == 64
    assert clock.as_aware(link.expires_at) == NOW + timedelta(days=30)


def test_resend_revokes_the_old_link_and_the_new_one_works(client, auth, people, db, case):
    auth.as_user(people["hr_a"])
    client.post(f"/cases/{case.id}/expert-link/invite")
    old = token_in(_mails(db)[0].body_text)
    response = client.post(f"/cases/{case.id}/expert-link/resend")
    assert response.status_code == 302
    mails = _mails(db)
    assert len(mails) == 2
    new = token_in(mails[1].body_text)
    assert new != old

    page = client.get(f"/portal/{old}")
    assert page.status_code == 410
    text = page.get_data(as_text=True)
    assert "This link no longer works" in text and "Ask your HR contact for a new link" in text
    assert client.get(f"/portal/{new}").status_code == 200
    assert len(_audit(db, "expert_link_resent")) == 1


def test_revoke_switches_the_link_off(client, auth, people, db, case, app):
    token = issue_link(app, case, by=people["hr_a"])
    auth.as_user(people["hr_a"])
    assert client.post(f"/cases/{case.id}/expert-link/revoke").status_code == 302
    response = client.get(f"/portal/{token}")
    assert response.status_code == 410
    assert "Ask your HR contact for a new link" in response.get_data(as_text=True)
    assert portal.active_link(case) is None
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert "No working link" in panel and "switched off" in panel
    assert len(_audit(db, "expert_link_revoked")) == 1


def test_a_link_stops_working_after_thirty_days(client, app, people, case):
    token = issue_link(app, case)
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        assert client.get(f"/portal/{token}").status_code == 200
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        response = client.get(f"/portal/{token}")
        assert response.status_code == 410
        assert "This link no longer works" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
        lambda t: t[:-3],  # cut short
        lambda t: t + "x",  # something added
        lambda t: "x" * 200,  # far too long
        lambda t: "not-a-token",
    ],
    ids=["changed", "short", "longer", "overlong", "made-up"],
)
def test_tampered_or_unknown_tokens_get_the_friendly_page(client, app, people, case, mangle):
    token = issue_link(app, case)
    response = client.get(f"/portal/{mangle(token)}")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "This link no longer works" in text
    assert "Ask your HR contact for a new link" in text
    assert "Traceback" not in text and "Page not found" not in text
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_panel_says_where_the_link_went_and_whether_it_was_opened(client, auth, app, people, case):
    auth.as_user(people["hr_a"])
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert "No link has been sent to the expert yet." in panel
    assert f'action="/cases/{case.id}/expert-link/invite"' in panel

    token = issue_link(app, case, by=people["hr_a"])
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert "Active" in panel and "priya@candidate.test" in panel
    assert panel.count("Not opened yet") == 2
    assert "Works until" in panel and "19 Apr 2026" in panel
    assert f'action="/cases/{case.id}/expert-link/resend"' in panel
    assert f'action="/cases/{case.id}/expert-link/revoke"' in panel
    assert 'name="csrf_token"' in panel

    client.get(f"/portal/{token}")
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert "Not opened yet" not in panel
    assert "First opened" in panel and "20 Mar 2026" in panel


def test_officers_see_the_panel_without_buttons(client, auth, app, people, case):
    issue_link(app, case)
    auth.as_user(people["officer"])
    panel = client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)
    assert "Active" in panel
    assert "/expert-link/resend" not in panel and "/expert-link/revoke" not in panel


def test_no_new_link_for_a_closed_case(client, auth, people, db, case):
    walk(case, people, "review")
    cases.take_action(case, "withdraw", role="hr", actor=people["hr_a"], note="On hold.")
    db.session.commit()
    auth.as_user(people["hr_a"])
    client.post(f"/cases/{case.id}/expert-link/invite")
    assert [mail for mail in _mails(db) if mail.to_address == case.email] == []
    assert "/expert-link/invite" not in client.get(f"/cases/{case.id}/expert-link").get_data(as_text=True)


ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")
# HR of the case's company manages the link; officers may look; another tenant gets 404, never 403.
LINK_ROUTES = {
    ("GET", ""): (302, 200, 404, 200, 403),
    ("POST", "/invite"): (302, 302, 404, 403, 403),
    ("POST", "/resend"): (302, 302, 404, 403, 403),
    ("POST", "/revoke"): (302, 302, 404, 403, 403),
}


@pytest.mark.parametrize(("method", "suffix"), sorted(LINK_ROUTES))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_link_routes_by_role(client, auth, people, db, case, method, suffix, role_index):
    role = ROLES[role_index]
    if role != "anonymous":
        auth.as_user(people[role])
    response = client.open(f"/cases/{case.id}/expert-link{suffix}", method=method)
    expected = LINK_ROUTES[(method, suffix)][role_index]
    assert response.status_code == expected, f"{role} {method} {suffix}"
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    if expected != 302 or role == "anonymous":
        assert _mails(db) == []  # nothing sent by anyone who may not send


def test_an_unknown_case_is_404(client, auth, people):
    auth.as_user(people["hr_a"])
    assert client.post("/cases/99999/expert-link/invite").status_code == 404
