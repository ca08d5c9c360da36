"""/api/v1/cases/<id>/documents: the checklist with statuses, multipart uploads with versions, officer reviews, the
same permissions as the page, and responses that fit the OpenAPI document."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest

from talentcase.accounts import services as accounts
from talentcase.audit.models import AuditEntry
from talentcase.documents import services
from talentcase.documents.models import Document
from tests.documents.test_document_views import make_image, make_pdf
from tests.factories import CaseFactory

ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")


@pytest.fixture
def tokens(db, people) -> dict[str, dict[str, str]]:
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ROLES[1:]:
        headers[role] = {"Authorization": f"Bearer {accounts.issue_token(people[role], 'tests')[1]}"}
    db.session.commit()
    return headers


@pytest.fixture
def case_a(db, people):
    case = CaseFactory(company=people["company_a"], creator=people["hr_a"], full_name="Priya Raghunathan")
    db.session.commit()
    return case


def upload(client, headers, case_id: int, kind: str, data: bytes, filename: str, **fields: Any):
    return client.post(
        f"/api/v1/cases/{case_id}/documents",
        data={"kind": kind, "file": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
        headers=headers,
    )


def review(client, headers, case_id: int, document_id: int, body: Any):
    return client.post(f"/api/v1/cases/{case_id}/documents/{document_id}/review", json=body, headers=headers)


def test_the_list_gives_the_checklist_with_statuses_and_the_current_uploads(client, tokens, case_a):
    response = client.get(f"/api/v1/cases/{case_a.id}/documents", headers=tokens["hr_a"])
    assert response.status_code == 200
    assert response.json["items"] == []
    checklist = response.json["checklist"]
    assert [item["kind"] for item in checklist[:5]] == [
        "br_certificate",
        "employment_contract",
        "quota_approval_letter",
        "job_particulars",
        "passport",
    ]
    assert checklist[0] == {
        "kind": "br_certificate",
        "label": "Business registration certificate",
        "required": True,
        "provider": "hr",
        "dependant_id": None,
        "status": "missing",
        "source": "case",
        "expired": False,
    }
    assert {item["kind"]: item["required"] for item in checklist}["proof_of_experience"] is False


def test_upload_answers_201_with_the_document_and_keeps_versions(client, tokens, case_a, people, db):
    first = upload(client, tokens["hr_a"], case_a.id, "passport", make_pdf(), "passport.pdf", expires_on="2031-05-20")
    assert first.status_code == 201
    body = first.json
    assert body["kind"] == "passport" and body["version"] == 1 and body["is_current"] is True
    assert body["status"] == "uploaded" and body["expires_on"] == "2031-05-20"
    assert body["mime_type"] == "application/pdf" and body["uploaded_by"] == "hr@alpha.test"
    assert body["display_name"] == "passport.pdf" and len(body["sha256"]) == 64

    second = upload(client, tokens["officer"], case_a.id, "passport", make_image("JPEG"), "passport.jpg")
    assert second.status_code == 201 and second.json["version"] == 2
    rows = db.session.query(Document).order_by(Document.version).all()
    assert [(d.version, d.is_current) for d in rows] == [(1, False), (2, True)]
    assert db.session.query(AuditEntry).filter_by(action="document_uploaded").count() == 2

    listing = client.get(f"/api/v1/cases/{case_a.id}/documents", headers=tokens["hr_a"]).json
    assert [item["id"] for item in listing["items"]] == [second.json["id"]]  # only current versions
    passport = next(item for item in listing["checklist"] if item["kind"] == "passport")
    assert passport["status"] == "uploaded" and passport["document_id"] == second.json["id"]


def test_a_dependants_document_names_the_dependant(client, tokens, case_a, db):
    dependant = services.add_dependant(case_a, "spouse", "Arjun Mehta", date(1990, 5, 2))
    db.session.commit()
    response = upload(
        client, tokens["hr_a"], case_a.id, "dependant_photo", make_image(), "arjun.png", dependant_id=str(dependant.id)
    )
    assert response.status_code == 201 and response.json["dependant_id"] == dependant.id
    # Without the dependant the kind is not on the checklist.
    response = upload(client, tokens["hr_a"], case_a.id, "dependant_photo", make_image(), "arjun.png")
    assert response.status_code == 422 and response.json["error"]["fields"].keys() == {"kind"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": "not_a_kind"}, "kind"),
        ({"kind": "passport", "expires_on": "20/05/2031"}, "expires_on"),
        ({"kind": "passport", "expires_on": "2031-02-30"}, "expires_on"),
        # It becomes the case's passport expiry, which the case form keeps between 1900 and 2100.
        ({"kind": "passport", "expires_on": "9999-12-31"}, "expires_on"),
        ({"kind": "passport", "expires_on": "1899-12-31"}, "expires_on"),
        ({"kind": "cv", "dependant_id": "abc"}, "dependant_id"),
        # A NUL (PostgreSQL keeps none) in a multipart field is a mistake like any other, never a 500.
        ({"kind": "passport\x00"}, "kind"),
        ({"kind": "passport", "expires_on": "2031-05-20\x00"}, "expires_on"),
        ({"kind": "cv", "dependant_id": "1\x00"}, "dependant_id"),
        ({"kind": "dependant_photo", "dependant_id": "999"}, "dependant_id"),  # no such dependant on this case
    ],
)
def test_upload_input_mistakes_are_422_with_the_field(client, tokens, case_a, db, fields, field):
    response = client.post(
        f"/api/v1/cases/{case_a.id}/documents",
        data={**fields, "file": (io.BytesIO(make_pdf()), "x.pdf")},
        content_type="multipart/form-data",
        headers=tokens["hr_a"],
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid" and field in response.json["error"]["fields"]
    assert db.session.query(Document).count() == 0


def test_an_unknown_dependant_is_named_as_such(client, tokens, case_a):
    response = upload(client, tokens["hr_a"], case_a.id, "passport", make_pdf(), "p.pdf", dependant_id="999")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"dependant_id": "This case has no dependant with the id 999."}


def test_a_long_text_field_is_not_called_a_large_file(app, client, tokens, case_a):
    # A small file with a text field over the form's memory limit: the field is what is too long.
    app.config["MAX_FORM_MEMORY_SIZE"] = 1000
    response = client.post(
        f"/api/v1/cases/{case_a.id}/documents",
        data={"kind": "cv", "note": "x" * 5000, "file": (io.BytesIO(make_pdf()), "x.pdf")},
        content_type="multipart/form-data",
        headers=tokens["hr_a"],
    )
    assert response.status_code == 413
    assert "form field other than the file is too long" in response.json["error"]["message"]


def test_upload_without_a_file_is_422(client, tokens, case_a):
    response = client.post(
        f"/api/v1/cases/{case_a.id}/documents",
        data={"kind": "cv"},
        content_type="multipart/form-data",
        headers=tokens["hr_a"],
    )
    assert response.status_code == 422 and "file" in response.json["error"]["fields"]


def test_officer_reviews_and_the_reason_reaches_the_checklist(client, tokens, case_a, people, db):
    document_id = upload(client, tokens["hr_a"], case_a.id, "cv", make_pdf(), "cv.pdf").json["id"]
    missing_reason = review(client, tokens["officer"], case_a.id, document_id, {"decision": "reject"})
    assert missing_reason.status_code == 422 and "reason" in missing_reason.json["error"]["fields"]

    reason = "Page 2 is missing."
    rejected = review(client, tokens["officer"], case_a.id, document_id, {"decision": "reject", "reason": reason})
    assert rejected.status_code == 200
    assert rejected.json["status"] == "rejected" and rejected.json["review_reason"] == reason
    assert rejected.json["reviewed_by"] == "officer@park.test" and rejected.json["reviewed_at"]
    cv = next(
        item
        for item in client.get(f"/api/v1/cases/{case_a.id}/documents", headers=tokens["hr_a"]).json["checklist"]
        if item["kind"] == "cv"
    )
    assert cv["status"] == "rejected" and cv["reason"] == reason and cv["document_id"] == document_id

    accepted = review(client, tokens["officer"], case_a.id, document_id, {"decision": "accept"})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert accepted.json["review_reason"] == ""
    actions = [entry.action for entry in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-2:] == ["document_rejected", "document_accepted"]


def test_review_refusals(client, tokens, case_a, people, db):
    old = upload(client, tokens["hr_a"], case_a.id, "cv", make_pdf(), "cv.pdf").json["id"]
    upload(client, tokens["hr_a"], case_a.id, "cv", make_pdf(pages=2), "cv2.pdf")
    assert review(client, tokens["officer"], case_a.id, old, {"decision": "accept"}).status_code == 409
    other = CaseFactory(company=people["company_a"], creator=people["hr_a"])
    db.session.commit()
    assert review(client, tokens["officer"], other.id, old, {"decision": "accept"}).status_code == 404
    assert review(client, tokens["officer"], case_a.id, 999999, {"decision": "accept"}).status_code == 404
    bad = [({"decision": "maybe"}, 422), ({"decision": "accept", "extra": 1}, 422), ([1], 422), ({}, 422)]
    for body, status in bad:
        assert review(client, tokens["officer"], case_a.id, old, body).status_code == status, body
    not_json = client.post(
        f"/api/v1/cases/{case_a.id}/documents/{old}/review",
        data="x",
        content_type="text/plain",
        headers=tokens["officer"],
    )
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "bad_request"


def test_session_callers_need_the_csrf_header_for_uploads(client, auth, people, case_a, db):
    auth.as_user(people["hr_a"])
    response = upload(client, {}, case_a.id, "cv", make_pdf(), "cv.pdf")
    assert response.status_code == 400
    assert db.session.query(Document).count() == 0


# (anonymous, hr_a, hr_b, officer, admin); another tenant's case is a 404, never a 403.
API_TABLE = [
    ("GET /documents", (401, 200, 404, 200, 403)),
    ("POST /documents", (401, 201, 404, 201, 403)),
    ("POST /review", (401, 403, 404, 200, 403)),
]


@pytest.mark.parametrize(("route", "expected"), API_TABLE, ids=[route for route, _ in API_TABLE])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_api_route_role_table(client, tokens, people, case_a, db, route, expected, role_index):
    role = ROLES[role_index]
    document = services.upload(case_a, "cv", make_pdf(), "cv.pdf", uploader=people["hr_a"])
    db.session.commit()
    headers = tokens[role]
    if route == "GET /documents":
        response = client.get(f"/api/v1/cases/{case_a.id}/documents", headers=headers)
    elif route == "POST /documents":
        response = upload(client, headers, case_a.id, "photo", make_image(), "photo.png")
    else:
        response = review(client, headers, case_a.id, document.id, {"decision": "accept"})
    assert response.status_code == expected[role_index], f"{role} {route}"
    if response.status_code >= 400:
        assert set(response.json["error"]) >= {"code", "message"}
        assert db.session.query(Document).count() == 1
        assert db.session.get(Document, document.id).status == "uploaded"


# --- the OpenAPI document -------------------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_documents_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)
    documents = spec["paths"]["/cases/{case_id}/documents"]
    assert set(documents) >= {"get", "post", "parameters"}
    assert "multipart/form-data" in documents["post"]["requestBody"]["content"]
    assert {"201", "400", "401", "403", "404", "413", "422"} <= set(documents["post"]["responses"])
    review_path = spec["paths"]["/cases/{case_id}/documents/{document_id}/review"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(review_path["post"]["responses"])
    for name in ("Document", "DocumentList", "DocumentChecklistItem", "DocumentUpload", "DocumentReviewInput"):
        assert name in spec["components"]["schemas"]


def test_real_responses_fit_the_openapi_schemas(client, tokens, people, case_a, db):
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    spec = client.get("/api/v1/openapi.json").json
    uri = "urn:talentcase:openapi"
    registry = referencing.Registry().with_resource(
        uri, referencing.Resource.from_contents(spec, default_specification=referencing.jsonschema.DRAFT202012)
    )

    def check(path: str, method: str, response) -> None:
        status = str(response.status_code)
        assert status in spec["paths"][path][method]["responses"], (path, method, status)
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("paths", path, method, "responses", status, "content", "application/json", "schema")
        )
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{uri}#/{pointer}"}, registry=registry, format_checker=jsonschema.FormatChecker()
        )
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json)]
        assert not errors, errors[:5]

    listing, review_path = "/cases/{case_id}/documents", "/cases/{case_id}/documents/{document_id}/review"
    created = upload(client, tokens["hr_a"], case_a.id, "passport", make_pdf(), "p.pdf", expires_on="2031-05-20")
    check(listing, "post", created)
    check(listing, "post", upload(client, tokens["hr_a"], case_a.id, "cv", b"MZ" + bytes(50), "cv.pdf"))  # 422
    check(listing, "post", upload(client, tokens["admin"], case_a.id, "cv", make_pdf(), "cv.pdf"))  # 403
    check(listing, "post", upload(client, tokens["hr_b"], case_a.id, "cv", make_pdf(), "cv.pdf"))  # 404
    check(listing, "post", upload(client, tokens["anonymous"], case_a.id, "cv", make_pdf(), "cv.pdf"))  # 401
    reviewed = review(
        client, tokens["officer"], case_a.id, created.json["id"], {"decision": "reject", "reason": "Blurry"}
    )
    check(review_path, "post", reviewed)
    check(review_path, "post", review(client, tokens["hr_a"], case_a.id, created.json["id"], {"decision": "accept"}))
    check(listing, "get", client.get(f"/api/v1/cases/{case_a.id}/documents", headers=tokens["officer"]))
