"""Invitations: a new user sets their own password through a 7-day single-use link by mail (issue 21)."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from talentcase.accounts import services
from talentcase.audit.models import AuditEntry
from talentcase.common import clock
from talentcase.notifications.models import OutboundMail

NEW = {"email": "new@park.test", "name": "New Person", "role": "officer", "company_id": 0}
PASSWORD = "my-own-long-secret"


def _invitations(db, to: str = "new@park.test") -> list[OutboundMail]:
    query = select(OutboundMail).where(OutboundMail.to_address == to, OutboundMail.kind == "invitation")
    return list(db.session.scalars(query.order_by(OutboundMail.id)))


def _path(mail: OutboundMail) -> str:
    link = re.search(r"https?://\S+/invitation/\S+", mail.body_text).group(0)
    return "/" + link.split("/", 3)[3]


def _accept(client, path: str):
    return client.post(path, data={"new_password": PASSWORD, "confirm_password": PASSWORD})


def _actions(db) -> list[str]:
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_an_admin_adds_a_user_who_sets_their_own_password(app, client, auth, people, db):
    auth.as_user(people["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'name="password"' not in page  # nobody types a password for someone else
    response = client.post("/admin/users", data=NEW)
    assert response.status_code == 302
    user = services.find_user("new@park.test")
    assert user.password_hash is None
    [mail] = _invitations(db)
    assert app.config["BASE_URL"] + "/invitation/" in mail.body_text
    assert "Invited" in client.get("/admin/users").get_data(as_text=True)
    visitor = app.test_client()
    assert "Choose a password for new@park.test" in visitor.get(_path(mail)).get_data(as_text=True)
    assert _accept(visitor, _path(mail)).status_code == 302
    assert visitor.post("/login", data={"email": "new@park.test", "password": PASSWORD}).status_code == 302
    assert app.test_client().get(_path(mail)).status_code == 410  # single use
    assert {"user_created", "invitation_sent", "invitation_accepted"} <= set(_actions(db))


def test_sending_the_invitation_again_ends_the_earlier_link(app, client, auth, people, db):
    auth.as_user(people["admin"])
    client.post("/admin/users", data=NEW)
    user = services.find_user("new@park.test")
    assert client.post(f"/admin/users/{user.id}/invite").status_code == 302
    first, second = _invitations(db)
    visitor = app.test_client()
    assert visitor.get(_path(first)).status_code == 410
    assert _accept(visitor, _path(second)).status_code == 302


def test_an_invitation_runs_out_after_7_days(app, client, auth, people, db):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        auth.as_user(people["admin"])
        client.post("/admin/users", data=NEW)
        path = _path(_invitations(db)[0])
        traveller.shift(timedelta(days=6, hours=23))
        assert app.test_client().get(path).status_code == 200
        traveller.shift(timedelta(hours=2))
        page = app.test_client().get(path)
        assert page.status_code == 410
        assert b"new invitation" in page.data


def test_no_invitation_again_for_someone_who_has_a_password(client, auth, people, db):
    auth.as_user(people["admin"])
    page = client.post(f"/admin/users/{people['hr_a'].id}/invite", follow_redirects=True)
    assert b"has set a password already" in page.data
    assert _invitations(db, "hr@alpha.test") == []


def test_an_invitation_link_is_not_a_reset_link(app, client, auth, people, db):
    auth.as_user(people["admin"])
    client.post("/admin/users", data=NEW)
    path = _path(_invitations(db)[0])
    assert app.test_client().get(path.replace("/invitation/", "/reset-password/")).status_code == 410


def test_only_an_admin_sends_invitations(client, auth, people):
    for who in ("hr_a", "officer"):
        auth.as_user(people[who])
        assert client.post(f"/admin/users/{people['hr_b'].id}/invite").status_code == 403


def test_the_cli_invites_when_no_password_is_given(runner, db):
    result = runner.invoke(args=["users", "create", "cli@park.test", "--role", "officer"])
    assert result.exit_code == 0, result.output
    assert "invitation" in result.output.lower()
    assert len(_invitations(db, "cli@park.test")) == 1
    assert services.find_user("cli@park.test").password_hash is None


def test_the_cli_keeps_password_for_scripts(runner, db):
    result = runner.invoke(args=["users", "create", "s@park.test", "--role", "officer", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert _invitations(db, "s@park.test") == []
    assert services.authenticate("s@park.test", PASSWORD).ok
