"""Every private page and API answer says `Cache-Control: no-store` (probe F6): Back after sign-out on a shared
computer shows nothing from the browser's cache. The routes are those of tests/test_routes.py's tables."""

from __future__ import annotations

import pytest

from talentcase.accounts import services
from tests.test_routes import CASE_GET_TABLE, GET_TABLE, ROLES, _sign_in, draft_case  # noqa: F401


@pytest.mark.parametrize("path", sorted(GET_TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_route_table_is_not_stored(client, auth, people, path, role):
    _sign_in(auth, people, role)
    response = client.get(path)
    assert "no-store" in response.headers.get("Cache-Control", ""), f"{role} GET {path}"


@pytest.mark.parametrize("path", sorted(CASE_GET_TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_every_case_page_is_not_stored(client, auth, people, draft_case, path, role):  # noqa: F811
    _sign_in(auth, people, role)
    response = client.get(path.format(id=draft_case.id))
    assert "no-store" in response.headers.get("Cache-Control", ""), f"{role} GET {path}"


def test_the_api_s_case_json_is_not_stored(app, db, people, draft_case):  # noqa: F811
    _, plain = services.issue_token(people["hr_a"], "ci")
    db.session.commit()
    response = app.test_client().get(f"/api/v1/cases/{draft_case.id}", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_static_files_stay_cacheable(client):
    with client.get("/static/favicon.svg") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
