"""API tokens end with the password (F3), a new one is shown only after the password is asked again, and it never
travels in the session cookie (F7)."""

from __future__ import annotations

from talentcase.accounts import services
from talentcase.accounts.models import ApiToken
from tests import factories


def _bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_changing_the_password_revokes_the_api_tokens(app, client, auth, people, db):
    _, plain = services.issue_token(people["hr_a"], "ci")
    db.session.commit()
    auth.login("hr@alpha.test")
    response = client.post(
        "/account/password",
        data={
            "pw-current_password": factories.PASSWORD,
            "pw-new_password": "a-new-long-secret",
            "pw-confirm_password": "a-new-long-secret",
        },
    )
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=_bearer(plain)).status_code == 401


def test_an_admin_reset_revokes_the_api_tokens(app, client, auth, people, db):
    _, plain = services.issue_token(people["hr_a"], "ci")
    db.session.commit()
    auth.as_user(people["admin"])
    response = client.post(
        f"/admin/users/{people['hr_a'].id}/password", data={"confirm": "yes", "password": "a-new-long-secret"}
    )
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=_bearer(plain)).status_code == 401


def test_a_new_token_needs_the_current_password(client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post("/account/tokens", data={"token-name": "sync", "token-password": "wrong-password-x"})
    assert response.status_code == 422
    assert b"Your current password is not right." in response.data
    assert db.session.query(ApiToken).count() == 0
    response = client.post("/account/tokens", data={"token-name": "sync"})
    assert response.status_code == 422
    assert db.session.query(ApiToken).count() == 0


def test_a_new_token_is_shown_on_the_answer_to_the_post_and_never_kept_in_the_session(app, client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post("/account/tokens", data={"token-name": "sync", "token-password": factories.PASSWORD})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    plain = response.get_data(as_text=True).split('id="new-token">')[1].split("<")[0]
    assert plain.startswith("tc_")
    with client.session_transaction() as session:
        assert plain not in repr(dict(session))
    assert plain not in client.get("/account").get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers=_bearer(plain)).status_code == 200


def test_the_admin_reset_page_says_the_tokens_stop(client, auth, people):
    auth.as_user(people["admin"])
    page = client.get(f"/admin/users/{people['hr_a'].id}/password").get_data(as_text=True)
    assert "Their API tokens will stop working." in page
    assert "Their API tokens will keep working." not in page
