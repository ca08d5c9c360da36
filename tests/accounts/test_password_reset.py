"""Forgot password: a single-use, 30-minute link by mail, the same answer for any address, audited (issue 21)."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from talentcase.accounts import services
from talentcase.audit.models import AuditEntry
from talentcase.common import clock
from talentcase.notifications.models import OutboundMail
from tests import factories

NEW_PASSWORD = "a-brand-new-secret"


def _ask(client, email: str, **kwargs):
    return client.post("/forgot-password", data={"email": email}, **kwargs)


def _mails(db, to: str) -> list[OutboundMail]:
    return list(db.session.scalars(select(OutboundMail).where(OutboundMail.to_address == to)))


def _link(mail: OutboundMail) -> str:
    return re.search(r"https?://\S+/reset-password/\S+", mail.body_text).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _actions(db) -> list[str]:
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _set(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"new_password": password, "confirm_password": password})


def test_the_forgot_password_page_offers_a_form(client):
    page = client.get("/forgot-password").get_data(as_text=True)
    assert 'name="email"' in page
    assert "does not send password reset links" not in page


def test_a_known_address_gets_a_link_built_from_the_base_url_not_the_host(app, client, people, db):
    response = _ask(client, "HR@alpha.test", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "If an account uses HR@alpha.test" in response.get_data(as_text=True)
    [mail] = _mails(db, "hr@alpha.test")
    assert mail.kind == "password_reset"
    assert _link(mail).startswith(app.config["BASE_URL"] + "/reset-password/")
    assert "evil.example" not in mail.body_text
    assert "password_reset_requested" in _actions(db)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, people, db):
    known = _ask(client, "hr@alpha.test").get_data(as_text=True).replace("hr@alpha.test", "ADDRESS")
    unknown = _ask(client, "nobody@alpha.test").get_data(as_text=True).replace("nobody@alpha.test", "ADDRESS")
    strip = lambda page: re.sub(r'name="csrf_token"[^>]*', "", page)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert _mails(db, "nobody@alpha.test") == []


def test_a_bad_address_is_a_clear_message(client):
    response = _ask(client, "not an address")
    assert response.status_code == 422
    assert b"Enter" in response.data


def test_the_link_sets_the_password_once_and_ends_sessions_and_tokens(app, client, people, db):
    _, token = services.issue_token(people["hr_a"], "ci")
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": "hr@alpha.test", "password": factories.PASSWORD})
    assert other.get("/account").status_code == 200
    _ask(client, "hr@alpha.test")
    path = _path(_link(_mails(db, "hr@alpha.test")[0]))
    assert client.get(path).status_code == 200
    response = _set(client, path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert other.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/login", data={"email": "hr@alpha.test", "password": NEW_PASSWORD}).status_code == 302
    used = app.test_client()
    assert used.get(path).status_code == 410
    assert _set(used, path, "yet-another-secret").status_code == 410
    assert "password_reset_completed" in _actions(db)


def test_a_weak_new_password_is_explained_and_the_link_still_works(client, people, db):
    _ask(client, "hr@alpha.test")
    path = _path(_link(_mails(db, "hr@alpha.test")[0]))
    response = _set(client, path, "short")
    assert response.status_code == 422
    assert b"Use at least 10 characters." in response.data
    assert _set(client, path).status_code == 302


def test_the_link_runs_out_after_30_minutes(client, people, db):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _ask(client, "hr@alpha.test")
        path = _path(_link(_mails(db, "hr@alpha.test")[0]))
        traveller.shift(timedelta(minutes=31))
        response = client.get(path)
        assert response.status_code == 410
        assert b"/forgot-password" in response.data
        assert _set(client, path).status_code == 410


def test_a_tampered_link_is_refused(client, people, db):
    _ask(client, "hr@alpha.test")
    path = _path(_link(_mails(db, "hr@alpha.test")[0]))
    assert client.get(path[:-2] + "xx").status_code == 410


def test_asking_again_and_again_is_limited(client, people, db):
    answers = [_ask(client, "hr@alpha.test").status_code for _ in range(6)]
    assert answers[:3] == [200, 200, 200]
    assert answers[-1] == 429
    assert len(_mails(db, "hr@alpha.test")) == 3


def test_a_deactivated_account_gets_no_link(client, people, db):
    people["hr_a"].is_enabled = False
    db.session.commit()
    assert _ask(client, "hr@alpha.test").status_code == 200
    assert _mails(db, "hr@alpha.test") == []
