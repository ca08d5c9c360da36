"""API tokens: shown once, stored hashed, revocable, from the account page and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from talentcase.accounts import services
from talentcase.accounts.models import ApiToken
from talentcase.common import clock
from tests.factories import PASSWORD


def test_token_is_stored_hashed(db, people):
    token, plain = services.issue_token(people["hr_a"], "ci")
    assert plain.startswith("tc_")
    assert plain not in token.token_hash
    assert services.user_for_token(plain) == people["hr_a"]
    assert services.user_for_token(plain + "x") is None
    assert services.user_for_token("not-a-token") is None


def test_create_token_from_account_page_shows_it_once(client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post("/account/tokens", data={"token-name": "payroll sync", "token-password": PASSWORD})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    plain = page.split('id="new-token">')[1].split("<")[0]
    assert plain.startswith("tc_")
    assert plain not in client.get("/account").get_data(as_text=True)  # gone on the next view
    api = client.application.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200


def test_revoked_token_stops_working(client, auth, people, db):
    token, plain = services.issue_token(people["hr_a"], "ci")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    api = client.application.test_client()
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_cannot_revoke_someone_elses_token(client, auth, people, db):
    token, _ = services.issue_token(people["hr_b"], "theirs")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_token_of_deactivated_user_is_refused(app, db, people):
    _, plain = services.issue_token(people["officer"], "x")
    people["officer"].is_enabled = False
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_empty_token_name_is_a_clear_message(client, auth, people):
    auth.as_user(people["hr_a"])
    page = client.post("/account/tokens", data={"token-name": ""}, follow_redirects=True)
    assert b"Give the token a name." in page.data


def test_token_use_is_recorded_to_within_five_minutes_so_reads_stay_reads(app, db, people):
    """The first use is recorded; a use a minute later writes nothing (no UPDATE, no commit of a change); a use five
    minutes after the recorded one moves it on."""
    from sqlalchemy import event

    token, plain = services.issue_token(people["hr_a"], "sync")
    db.session.commit()
    writes: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    start = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with time_machine.travel(start, tick=False):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        with time_machine.travel(start + timedelta(minutes=1), tick=False):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
            assert client.get("/api/v1/cases", headers=headers).status_code == 200
        assert len(writes) == 1
        with time_machine.travel(start + timedelta(minutes=5), tick=False):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert len(writes) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    db.session.expire_all()
    assert clock.as_aware(db.session.get(ApiToken, token.id).last_used_at) == start + timedelta(minutes=5)


@pytest.mark.parametrize("language", ["en", "zh_Hant_HK"])
def test_the_account_page_shows_the_header_a_token_is_sent_in(client, auth, people, language):
    # "<token>" is a placeholder to read, not a tag: it must come out escaped in every language.
    auth.as_user(people["hr_a"])
    client.get(f"/lang/{language}")
    page = client.get("/account").get_data(as_text=True)
    assert '"Authorization: Bearer &lt;token&gt;"' in page
    assert "<token>" not in page
