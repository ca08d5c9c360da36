"""Text no database column can keep (NUL, which PostgreSQL refuses; unpaired surrogates, which JSON escapes can spell)
is refused before any view reads it: a 422 naming the JSON fields, a 400 for a query string or form, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentcase.accounts import services as accounts
from talentcase.cases.models import Case
from tests.api import bearer, case_body
from tests.cases.test_views import VALID


@pytest.fixture
def hr_token(db, people) -> str:
    token = accounts.issue_token(people["hr_a"], "not-text")[1]
    db.session.commit()
    return token


def _cases(db) -> int:
    return db.session.scalar(select(func.count(Case.id)))


@pytest.mark.parametrize(
    ("field", "value"),
    [("chinese_name", "\ud800張"), ("full_name", "Alice\x00 Chan"), ("university", "\udfffImperial")],
)
def test_api_bodies_with_text_that_is_not_text_are_422_naming_the_field(client, db, hr_token, field, value):
    body = case_body()
    body["candidate"][field] = value
    response = client.post("/api/v1/cases", json=body, headers=bearer(hr_token))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert list(response.json["error"]["fields"]) == [f"candidate.{field}"]
    assert _cases(db) == 0


def test_an_escaped_surrogate_in_raw_json_and_in_a_key_are_refused_too(client, db, hr_token):
    raw = '{"candidate": {"full_name": "\\ud83d"}, "position": {"\\udc00title": "x"}}'
    response = client.post("/api/v1/cases", data=raw, content_type="application/json", headers=bearer(hr_token))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"candidate.full_name", "position.\udc00title"}
    assert _cases(db) == 0


def test_a_nul_in_a_query_string_is_a_400_for_pages_and_api(client, auth, people, hr_token):
    response = client.get("/api/v1/cases?q=%00", headers=bearer(hr_token))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    auth.as_user(people["officer"])
    assert client.get("/officers/cases?q=chan%00").status_code == 400
    assert client.get("/officers/cases?q=chan").status_code == 200


def test_a_nul_in_a_form_is_a_400_page_and_nothing_is_written(client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post("/cases/new", data={**VALID, "full_name": "Alice\x00 Chan", "opened_on": "2026-03-02"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    assert _cases(db) == 0
    response = client.post("/cases/new", data={**VALID, "opened_on": "2026-03-02"})  # the same form, clean
    assert response.status_code == 302 and _cases(db) == 1
