"""Sessions: idle and absolute expiry, the signed-in devices, and signing out one device, the others or all."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from config import Config
from talentcase.accounts import recovery
from talentcase.accounts.session_models import UserSession
from talentcase.audit.models import AuditEntry
from talentcase.common import clock
from tests import factories

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
    "Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """The limits of every deployment (the tests' own config lets sessions outlive time travel)."""
    return {
        **app_config,
        "SESSION_IDLE_MINUTES": Config.SESSION_IDLE_MINUTES,
        "SESSION_MAX_HOURS": Config.SESSION_MAX_HOURS,
    }


def _sign_in(app, email: str, agent: str = FIREFOX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.data
    return client


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_a_session_ends_after_30_idle_minutes_and_says_why(app, people):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        client = _sign_in(app, "hr@alpha.test")
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert _signed_in(client)
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert _signed_in(client)  # 29 minutes after the last request: still in
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/account")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after 30 minutes without activity" in page


def test_a_session_ends_after_12_hours_however_busy(app, people):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        client = _sign_in(app, "hr@alpha.test")
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert _signed_in(client), minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/account")
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out 12 hours after signing in" in page


def test_stay_signed_in_moves_the_idle_clock_on(app, people):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        client = _sign_in(app, "hr@alpha.test")
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert client.post("/account/session/keep").status_code == 204
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert _signed_in(client)


def test_my_account_lists_both_devices_and_marks_this_one(app, people):
    firefox = _sign_in(app, "hr@alpha.test", FIREFOX)
    _sign_in(app, "hr@alpha.test", IPHONE)
    page = firefox.get("/account").get_data(as_text=True)
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert page.count("This device") == 1
    assert page.index("This device") > page.index("Firefox on Linux")


def test_sign_out_ends_only_this_device_and_says_so(app, people):
    firefox = _sign_in(app, "hr@alpha.test", FIREFOX)
    iphone = _sign_in(app, "hr@alpha.test", IPHONE)
    response = firefox.post("/logout", follow_redirects=True)
    assert "You have signed out on this device." in response.get_data(as_text=True)
    assert not _signed_in(firefox)
    assert _signed_in(iphone)


def test_sign_out_another_device_from_the_list(app, people, db):
    firefox = _sign_in(app, "hr@alpha.test", FIREFOX)
    iphone = _sign_in(app, "hr@alpha.test", IPHONE)
    other = db.session.query(UserSession).filter(UserSession.user_agent.like("%iPhone%")).one()
    assert firefox.post(f"/account/sessions/{other.id}/end").status_code == 302
    assert not _signed_in(iphone)
    assert _signed_in(firefox)
    assert db.session.query(AuditEntry).filter_by(action="session_ended").count() == 1


def test_sign_out_all_other_devices(app, people, db):
    firefox = _sign_in(app, "hr@alpha.test", FIREFOX)
    others = [_sign_in(app, "hr@alpha.test", IPHONE) for _ in range(2)]
    response = firefox.post("/account/sessions/end-others", follow_redirects=True)
    assert "2 other devices are signed out." in response.get_data(as_text=True)
    assert _signed_in(firefox)
    assert not any(_signed_in(client) for client in others)
    entry = db.session.query(AuditEntry).filter_by(action="other_sessions_ended").one()
    assert entry.actor_id == people["hr_a"].id


def test_a_device_of_another_user_cannot_be_signed_out(app, people, db):
    _sign_in(app, "hr@beta.test")
    theirs = db.session.query(UserSession).one()
    mine = _sign_in(app, "hr@alpha.test")
    assert mine.post(f"/account/sessions/{theirs.id}/end").status_code == 404
    db.session.refresh(theirs)
    assert theirs.ended_at is None


def test_a_password_reset_still_ends_every_session(app, people, db):
    clients = [_sign_in(app, "hr@alpha.test"), _sign_in(app, "hr@alpha.test", IPHONE)]
    recovery.set_password_by_link(people["hr_a"], "a brand new passphrase")
    db.session.commit()
    assert not any(_signed_in(client) for client in clients)
    assert db.session.query(UserSession).filter(UserSession.ended_at.is_(None)).count() == 0


def test_the_session_cookie_holds_only_a_random_id_and_the_table_its_hash(app, people, db):
    client = _sign_in(app, "hr@alpha.test")
    with client.session_transaction() as session:
        plain = session["device"]
    row = db.session.query(UserSession).one()
    assert len(plain) >= 32 and plain not in row.id_hash


def test_an_edit_sent_after_the_idle_limit_is_kept_for_after_sign_in(app, people, db):
    start = clock.now()
    with time_machine.travel(start, tick=False):
        client = _sign_in(app, "hr@alpha.test")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        response = client.post(
            "/account", data={"prefs-name": "Helen Ho", "prefs-phone": ""}, headers={"Origin": "http://localhost"}
        )
        assert response.headers["Location"] == "/login?next=/account"
        signed_in = client.post(
            response.headers["Location"], data={"email": "hr@alpha.test", "password": factories.PASSWORD}
        )
        assert signed_in.headers["Location"] == "/account"
        page = client.get("/account").get_data(as_text=True)
    assert "we kept what you typed" in page and 'value="Helen Ho"' in page
    db.session.refresh(people["hr_a"])
    assert people["hr_a"].name != "Helen Ho"
