"""Case messages over JSON: the conversation oldest first, posting to one of the other sides, and the errors
(401/403/404/422), each answer checked against /api/v1/openapi.json."""

from __future__ import annotations

from datetime import date

import pytest

from talentcase.cases.models import Case
from tests.api import make_case
from tests.api.test_openapi import ResponseChecker

LIST = "/cases/{case_id}/messages"
QUESTION = "Please send the signed contract."  # the note tests.api.make_case gives a request for information


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/v1/openapi.json").json


@pytest.fixture
def paused(db, people, frozen) -> Case:
    """A case of company A the officer asked the company about (its question is the first message)."""
    steps = [("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 17), "company")]
    case = make_case(people["company_a"], steps=steps)
    db.session.commit()
    return case


@pytest.fixture
def call(api, spec):
    checker = ResponseChecker(spec)

    def checked(role: str, method: str, case: Case, **kwargs):
        response = api(role, method, f"/api/v1/cases/{case.id}/messages", **kwargs)
        checker.check(LIST, method, response)
        return response

    return checked


def test_the_openapi_document_lists_the_message_operations(spec):
    operations = spec["paths"][LIST]
    assert operations["get"]["operationId"] == "listCaseMessages"
    assert operations["post"]["operationId"] == "postCaseMessage"
    assert {"201", "401", "403", "404", "422"} <= set(operations["post"]["responses"])


def test_hr_posts_to_the_park_and_both_read_the_conversation_oldest_first(call, people, paused):
    response = call("hr_a", "post", paused, json={"body": "The signed page is on its way.", "to": "park"})
    assert response.status_code == 201
    posted = response.json
    assert posted["to"] == "park" and posted["author"] == {"role": "hr", "name": people["hr_a"].display_name}
    assert posted["documents"] == []
    for role in ("hr_a", "officer"):
        listed = call(role, "get", paused).json
        assert [(m["to"], m["author"]["role"], m["body"]) for m in listed["items"]] == [
            ("company", "officer", QUESTION),
            ("park", "hr", "The signed page is on its way."),
        ]
        assert listed["total"] == 2


@pytest.mark.parametrize(
    ("role", "body", "field"),
    [
        ("hr_a", {"body": "  ", "to": "park"}, "body"),
        ("hr_a", {"body": "Hello", "to": "everyone"}, "to"),
        ("hr_a", {"body": "Hello", "to": "company"}, "to"),  # HR are the company: they write to the park or expert
        ("officer", {"body": "Hello", "to": "park"}, "to"),
        ("officer", {"body": "Hello"}, "to"),
    ],
)
def test_an_empty_body_or_an_addressee_not_allowed_is_a_422_naming_the_field(call, paused, role, body, field):
    response = call(role, "post", paused, json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert len(call("officer", "get", paused).json["items"]) == 1  # nothing was added


def test_another_company_gets_404_an_administrator_403_and_no_token_401(call, paused):
    assert call("hr_b", "get", paused).status_code == 404
    assert call("hr_b", "post", paused, json={"body": "Hello", "to": "park"}).status_code == 404
    assert call("admin", "get", paused).status_code == 403
    assert call("admin", "post", paused, json={"body": "Hello", "to": "park"}).status_code == 403
    assert call("anonymous", "get", paused).status_code == 401
