"""Authorisation before validation (probe F12): a role that can never take an action is refused with 403 even when
the form or body is incomplete, never with a 422 about the missing fields first; web and API alike."""

from __future__ import annotations

import pytest

from talentcase.accounts import services as accounts
from tests.test_routes import draft_case  # noqa: F401  (company A's draft case)

# (who, action): roles the workflow never lets take the action; the body is left incomplete on purpose.
WEB_REFUSALS = [
    ("hr_a", "accept"),
    ("hr_a", "reject"),
    ("officer", "withdraw"),
    ("officer", "lodge_visa"),
    ("officer", "record_arrival"),
    ("officer", "submit"),
]
API_REFUSALS = [*WEB_REFUSALS, ("admin", "request_info"), ("admin", "reject")]


@pytest.mark.parametrize(("who", "action"), WEB_REFUSALS)
def test_the_case_page_refuses_a_role_before_reading_the_form(client, auth, people, draft_case, who, action):  # noqa: F811
    auth.as_user(people[who])
    response = client.post(f"/cases/{draft_case.id}/actions", data={"action": action})
    assert response.status_code == 403, f"{who} {action}"


@pytest.mark.parametrize(("who", "action"), API_REFUSALS)
def test_the_api_refuses_a_role_before_reading_the_body(app, db, people, draft_case, who, action):  # noqa: F811
    _, plain = accounts.issue_token(people[who], "probe")
    db.session.commit()
    response = app.test_client().post(
        f"/api/v1/cases/{draft_case.id}/events",
        json={"action": action},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 403, f"{who} {action}: {response.json}"
    assert response.json["error"]["code"] == "forbidden"


def test_an_allowed_role_with_an_incomplete_form_still_gets_its_field_errors(client, auth, people, draft_case):  # noqa: F811
    auth.as_user(people["hr_a"])
    assert client.post(f"/cases/{draft_case.id}/actions", data={"action": "withdraw"}).status_code in (302, 422)
