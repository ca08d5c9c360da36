"""Signing in and out: good and bad credentials, lockout, throttling, CSRF, cookies."""

from __future__ import annotations

import pytest

from talentcase.accounts import services
from talentcase.audit.models import AuditEntry
from talentcase.extensions import db as _db
from tests import factories
from tests.conftest import make_app


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Sign in to TalentCase" in response.data
    assert b'for="email"' in response.data


def test_good_login_lands_on_home_and_is_audited(client, auth, people, db):
    response = auth.login("hr@alpha.test")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home", follow_redirects=True)
    assert page.status_code == 200
    assert b"hr@alpha.test" in page.data or b"User" in page.data
    actions = [entry.action for entry in db.session.query(AuditEntry).all()]
    assert "login" in actions


# One answer for an unknown email, a wrong password and a locked account, so that accounts cannot be discovered.
REFUSED = (
    b"The email address or password is not right, or the account is locked for a few minutes after repeated failed "
    b"sign-ins."
)


@pytest.mark.parametrize("email", ["hr@alpha.test", "nobody@alpha.test"])
def test_wrong_password_and_unknown_email_get_the_same_clear_message(client, auth, people, email):
    response = auth.login(email, "wrong-password")
    assert response.status_code == 200
    assert REFUSED in response.data
    assert b"There is a problem" in response.data
    assert client.get("/account").status_code == 302  # still signed out


def test_empty_and_overlong_fields_are_form_errors(client, people):
    response = client.post("/login", data={"email": "", "password": ""})
    assert b"Enter your email address." in response.data
    assert b"Enter your password." in response.data
    response = client.post("/login", data={"email": "a" * 300 + "@x.test", "password": "x" * 5000})
    assert response.status_code == 200
    assert b"There is a problem" in response.data
    assert b'href="#email"' in response.data


def test_lockout_after_repeated_failures(client, auth, people, db):
    for _ in range(services.MAX_FAILED_LOGINS):
        auth.login("hr@alpha.test", "wrong-password")
    response = auth.login("hr@alpha.test")  # even the right password is refused while locked
    assert client.get("/account").status_code == 302
    failures = db.session.query(AuditEntry).filter_by(action="login_failed").all()
    assert len(failures) == services.MAX_FAILED_LOGINS + 1
    assert failures[-1].detail["reason"] == "locked"  # the audit log still tells the administrator why
    # The page says no more than for an address that has no account: the same words, the same page.
    unknown = auth.login("nobody@alpha.test", factories.PASSWORD)
    assert REFUSED in response.data
    assert response.data.replace(b"hr@alpha.test", b"@") == unknown.data.replace(b"nobody@alpha.test", b"@")


def test_a_locked_account_checks_the_password_like_any_other_attempt(people, db, monkeypatch):
    # Answering a locked account without hashing would be faster, and the time alone would say the account exists.
    for _ in range(services.MAX_FAILED_LOGINS):
        services.authenticate("hr@alpha.test", "wrong-password")
    checked = []
    verify = services._verify
    monkeypatch.setattr(services, "_verify", lambda *args: checked.append(args) or verify(*args))
    for email in ("hr@alpha.test", "nobody@alpha.test"):
        assert services.authenticate(email, factories.PASSWORD).reason in ("locked", "unknown")
    assert len(checked) == 2


def test_a_locked_account_keeps_its_api_tokens(people, db):
    # The lockout is against guessing passwords; a token is no password and goes on working.
    _, plain = services.issue_token(people["hr_a"], "ci")
    for _ in range(services.MAX_FAILED_LOGINS):
        services.authenticate("hr@alpha.test", "wrong-password")
    assert services.authenticate("hr@alpha.test", factories.PASSWORD).reason == "locked"
    assert services.user_for_token(plain) == people["hr_a"]


def test_deactivated_user_cannot_sign_in(client, auth, people, db):
    people["hr_a"].is_enabled = False
    db.session.commit()
    response = auth.login("hr@alpha.test")
    assert b"deactivated" in response.data


def test_logout_needs_post_and_ends_the_session(client, auth, people):
    auth.login("hr@alpha.test")
    assert client.get("/account").status_code == 200
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/account").status_code == 302


def test_a_copy_of_the_session_cookie_stops_working_at_sign_out(app, client, auth, people):
    auth.login("hr@alpha.test")
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie(cookie.key, cookie.value)
    assert copy.get("/account").status_code == 200
    response = client.post("/logout", follow_redirects=True)
    assert b"You have signed out on this device." in response.data
    assert copy.get("/account").status_code == 302


def test_session_cookie_flags(client, auth, people):
    response = auth.login("hr@alpha.test")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_is_rotated_at_login(client, auth, people):
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login("hr@alpha.test")
    with client.session_transaction() as session:
        assert "planted" not in session


def _change_password(client):
    """The account page's password form, with the right current password and a good new one."""
    return client.post(
        "/account/password",
        data={
            "pw-current_password": factories.PASSWORD,
            "pw-new_password": "a-new-long-secret",
            "pw-confirm_password": "a-new-long-secret",
        },
    )


def test_password_change_signs_out_other_sessions(app, client, auth, people):
    other = app.test_client()
    auth.login("hr@alpha.test")
    other.post("/login", data={"email": "hr@alpha.test", "password": factories.PASSWORD})
    assert other.get("/account").status_code == 200
    response = _change_password(client)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_password_rules_are_explained(client, auth, people):
    auth.login("hr@alpha.test")
    response = client.post(
        "/account/password",
        data={"pw-current_password": factories.PASSWORD, "pw-new_password": "short", "pw-confirm_password": "short"},
    )
    assert response.status_code == 422
    assert b"Use at least 10 characters." in response.data


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(
        WTF_CSRF_ENABLED=True, STORAGE_DIR=str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}"
    )
    with app.app_context():
        _db.create_all()
        factories.UserFactory(email="hr@alpha.test")
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.drop_all()


def test_post_without_csrf_token_is_refused_with_a_message(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "hr@alpha.test", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert b"Your form expired" in response.data
    assert client.get("/account").status_code == 302


def test_login_with_csrf_token_works(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    credentials = {"email": "hr@alpha.test", "password": factories.PASSWORD, "csrf_token": token}
    response = client.post("/login", data=credentials)
    assert response.status_code == 302
    # A state-changing POST elsewhere without the token gets a clear 400 page, not a traceback.
    response = client.post("/account/tokens", data={"token-name": "x"})
    assert response.status_code == 400
    assert b"Your form expired or was sent from somewhere else" in response.data


def test_login_is_throttled(tmp_path):
    app = make_app(
        STORAGE_DIR=str(tmp_path), LOGIN_RATE_LIMIT="3 per minute", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db"
    )
    with app.app_context():
        _db.create_all()
        client = app.test_client()
        statuses = [client.post("/login", data={"email": "x@y.test", "password": "nope"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert b"Too many attempts" in client.post("/login", data={"email": "x@y.test", "password": "n"}).data
        _db.drop_all()


def test_changing_the_password_while_locked_says_so_rather_than_that_it_is_wrong(client, auth, people, db):
    from datetime import timedelta

    from talentcase.common import clock

    auth.login("hr@alpha.test")
    people["hr_a"].locked_until = clock.now() + timedelta(minutes=10)
    db.session.commit()
    response = _change_password(client)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Too many wrong passwords in a row: try again in a few minutes." in page
    assert "Your current password is not right." not in page
