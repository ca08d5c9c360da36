"""The request bodies are read by the schemas the OpenAPI document is made from: every problem of a body is answered
at once, and the particulars' limits in the document are those of cases.fields."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from talentcase.cases.fields import FIELDS
from talentcase.documents.models import Document
from tests.documents.test_document_views import make_pdf


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid"
    for message in error["fields"].values():
        assert message in error["message"]
    return set(error["fields"])


def test_an_event_body_gets_every_problem_at_once(api, case_a):
    body = {"action": "", "occurred_on": "soon", "note": 5, "colour": "blue"}
    response = api("hr_a", "post", f"/api/v1/cases/{case_a.id}/events", json=body)
    assert _fields(response) == {"action", "occurred_on", "note", "colour"}


def test_a_review_gets_every_problem_at_once(api, db, people, case_a):
    upload = api(
        "hr_a",
        "post",
        f"/api/v1/cases/{case_a.id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(make_pdf()), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.json
    url = f"/api/v1/cases/{case_a.id}/documents/{upload.json['id']}/review"
    response = api("officer", "post", url, json={"decision": "maybe", "reason": 5, "colour": "blue"})
    assert _fields(response) == {"decision", "reason", "colour"}
    assert db.session.get(Document, upload.json["id"]).status == "uploaded"


def test_an_upload_form_gets_every_problem_at_once(api, db, case_a):
    form = {"dependant_id": "first", "expires_on": "soon", "file": (io.BytesIO(b""), "")}
    response = api(
        "hr_a", "post", f"/api/v1/cases/{case_a.id}/documents", data=form, content_type="multipart/form-data"
    )
    assert _fields(response) == {"kind", "file", "dependant_id", "expires_on"}
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_a_pack_request_gets_every_problem_at_once(api, case_a):
    body = {"draft": "yes", "language": "fr", "colour": "blue"}
    response = api("hr_a", "post", f"/api/v1/cases/{case_a.id}/pack", json=body)
    assert _fields(response) == {"draft", "language", "colour"}


@pytest.mark.parametrize("spec", FIELDS, ids=lambda spec: spec.api_name)
def test_the_documented_particulars_have_the_limits_of_their_field_spec(client, spec):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for name in (spec.group.title(), f"{spec.group.title()}Input"):
        documented = schemas[name]["properties"][spec.name]
        assert documented.get("maxLength") == (spec.max_length if spec.kind in ("text", "email") else None), name
        assert documented.get("minimum") == spec.minimum, name
        assert documented.get("maximum") == spec.maximum, name
        assert [value for value in documented.get("enum", []) if value is not None] == list(spec.choices), name
        assert spec.name in schemas[name].get("required", [spec.name]) or name.endswith("Input"), name
