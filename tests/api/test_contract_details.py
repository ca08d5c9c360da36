"""Details of the JSON API contract QA checked against the OpenAPI document (schemathesis)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentcase.cases.models import Case
from tests.api import case_body


def test_a_request_without_a_token_is_told_how_to_authenticate(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="TalentCase API"'  # RFC 6750
    assert response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("group", "field", "text", "label"),
    [
        ("position", "monthly_salary_hkd", "60000", "Monthly salary (HKD)"),
        ("candidate", "years_experience", "2", "Years of relevant experience"),
    ],
)
def test_numbers_are_taken_as_json_numbers_not_text(api, db, group, field, text, label):
    body = case_body(email="chan@")
    body[group][field] = text
    response = api("hr_a", "post", "/api/v1/cases", json=body)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields[f"{group}.{field}"] == f"{label} must be a number, not text in quotes."
    assert "candidate.email" in fields  # with every other problem of the request at once
    assert db.session.scalar(select(func.count(Case.id))) == 0
    body = case_body()
    body[group][field] = int(text)
    assert api("hr_a", "post", "/api/v1/cases", json=body).status_code == 201


def test_the_document_names_what_the_endpoints_really_accept_and_answer(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = [op for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert operations and all("400" in op["responses"] for op in operations)  # e.g. a NUL character in a parameter
    review = spec["paths"]["/cases/{case_id}/documents/{document_id}/review"]["post"]
    review_body = review["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in review_body:
        review_body = spec["components"]["schemas"][review_body["$ref"].rsplit("/", 1)[-1]]
    assert review_body["properties"]["reason"]["type"] == ["string", "null"]  # null is taken as "no reason"
    assert spec["components"]["schemas"]["Candidate"]["properties"]["email"]["format"] == "idn-email"
