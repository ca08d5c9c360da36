"""API writes leave the audit entries of their page twins (kind, actor, target, detail, plus `via: api`); so do 403s."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from talentcase.audit.models import AuditEntry
from tests.api import case_body
from tests.documents.test_document_views import make_pdf

VIA_API = {"via": "api"}


def _entries(db, action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def _only(db, action: str) -> AuditEntry:
    entries = _entries(db, action)
    assert len(entries) == 1, [(entry.action, entry.detail) for entry in _entries(db)]
    return entries[0]


def _said(entry: AuditEntry) -> tuple:
    """What the admin log shows of an entry, but the time."""
    return entry.action, entry.actor_id, entry.actor_label, entry.target_type, entry.target_id, entry.detail, entry.ip


def _upload(api, role: str, case_id: int, kind: str = "cv"):
    return api(
        role,
        "post",
        f"/api/v1/cases/{case_id}/documents",
        data={"kind": kind, "file": (io.BytesIO(make_pdf()), "cv.pdf")},
        content_type="multipart/form-data",
    )


# --- the writes ----------------------------------------------------------------------------------------------------


def test_opening_a_case_is_audited_as_on_the_page(api, db, people, frozen):
    response = api("hr_a", "post", "/api/v1/cases", json=case_body())
    assert response.status_code == 201, response.json
    hr = people["hr_a"]
    assert _said(_only(db, "case_opened")) == (
        "case_opened",
        hr.id,
        "hr@alpha.test",
        "case",
        response.json["id"],
        VIA_API,
        "127.0.0.1",
    )


@pytest.mark.parametrize("role", ["hr_a", "officer"])
def test_editing_a_case_is_audited_as_on_the_page(api, db, people, case_a, role):
    response = api(role, "patch", f"/api/v1/cases/{case_a.id}", json={"candidate": {"university": "ETH Zurich"}})
    assert response.status_code == 200, response.json
    user = people[role]
    assert _said(_only(db, "case_edited")) == (
        "case_edited",
        user.id,
        user.email,
        "case",
        case_a.id,
        VIA_API,
        "127.0.0.1",
    )


def test_each_action_is_audited_as_on_the_page(api, db, people, case_a):
    steps = [
        ("hr_a", {"action": "submit"}),
        ("officer", {"action": "request_info", "party": "company", "note": "Send the signed contract."}),
        ("hr_a", {"action": "provide_info", "note": "Sent."}),
    ]
    for role, body in steps:
        response = api(role, "post", f"/api/v1/cases/{case_a.id}/events", json=body)
        assert response.status_code == 201, response.json
    assert [_said(entry) for entry in _entries(db, "case_action")] == [
        (
            "case_action",
            people[role].id,
            people[role].email,
            "case",
            case_a.id,
            {"case_action": body["action"], **VIA_API},
            "127.0.0.1",
        )
        for role, body in steps
    ]


def test_a_document_upload_and_review_are_audited_as_on_the_page(api, db, people, case_a):
    uploaded = _upload(api, "hr_a", case_a.id)
    assert uploaded.status_code == 201, uploaded.json
    document_id = uploaded.json["id"]
    path = f"/api/v1/cases/{case_a.id}/documents/{document_id}/review"
    rejected = api("officer", "post", path, json={"decision": "reject", "reason": "Unreadable."})
    assert rejected.status_code == 200, rejected.json
    hr, officer = people["hr_a"], people["officer"]
    detail = {"case_id": case_a.id, "kind": "cv", **VIA_API}
    assert [_said(entry) for entry in _entries(db)] == [
        ("document_uploaded", hr.id, hr.email, "document", document_id, {**detail, "version": 1}, "127.0.0.1"),
        (
            "document_rejected",
            officer.id,
            officer.email,
            "document",
            document_id,
            {**detail, "reason": "Unreadable."},
            "127.0.0.1",
        ),
    ]


def test_a_pack_request_is_audited_as_on_the_page(api, db, people, case_a):
    response = api("hr_a", "post", f"/api/v1/cases/{case_a.id}/pack", json={"draft": True})
    assert response.status_code == 202, response.json
    hr = people["hr_a"]
    assert _said(_only(db, "pack_requested")) == (
        "pack_requested",
        hr.id,
        hr.email,
        "case",
        case_a.id,
        {"draft": True, "stage": "quota", **VIA_API},
        "127.0.0.1",
    )


def test_refused_and_read_only_requests_leave_no_entry(api, db, case_a):
    assert api("hr_a", "post", "/api/v1/cases", json={"candidate": {"nationality": "XX"}}).status_code == 422
    assert api("hr_a", "patch", f"/api/v1/cases/{case_a.id}", json={"salary": 1}).status_code == 422
    assert api("hr_a", "post", f"/api/v1/cases/{case_a.id}/events", json={"action": "accept_quota"}).status_code >= 400
    assert api("hr_b", "patch", f"/api/v1/cases/{case_a.id}", json={}).status_code == 404  # another tenant's case
    assert api("hr_a", "get", f"/api/v1/cases/{case_a.id}").status_code == 200
    assert api("officer", "get", "/api/v1/sla/summary").status_code == 200
    assert _entries(db) == []


# --- refusals for the caller's role --------------------------------------------------------------------------------


def test_an_action_refused_for_the_role_is_audited_as_on_the_case_page(api, db, people, case_a):
    response = api("officer", "post", f"/api/v1/cases/{case_a.id}/events", json={"action": "submit"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    officer = people["officer"]
    assert [_said(entry) for entry in _entries(db)] == [
        (
            "permission_denied",
            officer.id,
            officer.email,
            "case",
            case_a.id,
            {"case_action": "submit", **VIA_API},
            "127.0.0.1",
        )
    ]
    assert case_a.status == "draft"


# (role, method, path, request keyword arguments); {a} is a draft of company A, {d} a document uploaded to it.
ROLE_REFUSALS = [
    ("officer", "post", "/api/v1/cases", {"json": case_body()}),
    ("admin", "patch", "/api/v1/cases/{a}", {"json": {"candidate": {"university": "ETH Zurich"}}}),
    ("admin", "post", "/api/v1/cases/{a}/documents", {"data": {"kind": "cv"}}),
    ("admin", "get", "/api/v1/cases/{a}/documents", {}),
    ("hr_a", "post", "/api/v1/cases/{a}/documents/{d}/review", {"json": {"decision": "accept"}}),
    ("admin", "post", "/api/v1/cases/{a}/pack", {"json": {"draft": True}}),
    ("hr_a", "get", "/api/v1/sla/summary", {}),
]


@pytest.mark.parametrize(("role", "method", "path", "kwargs"), ROLE_REFUSALS, ids=lambda v: str(v)[:40])
def test_a_role_refusal_is_audited_as_by_the_pages_role_guard(api, db, people, case_a, role, method, path, kwargs):
    document_id = _upload(api, "hr_a", case_a.id).json["id"]
    before = len(_entries(db))
    url = path.format(a=case_a.id, d=document_id)
    response = api(role, method, url, **kwargs)
    assert response.status_code == 403, response.json
    assert set(response.json["error"]) == {"code", "message"} and response.json["error"]["code"] == "forbidden"
    assert response.json["error"]["message"] != "Your account is not allowed to do this."  # the API's own words
    user = people[role]
    entries = _entries(db)[before:]
    assert [_said(entry) for entry in entries] == [
        (
            "permission_denied",
            user.id,
            user.email,
            None,
            None,
            {"method": method.upper(), "path": url, **VIA_API},
            "127.0.0.1",
        )
    ]


# --- the admin log -------------------------------------------------------------------------------------------------


def test_the_admin_log_lists_and_filters_the_apis_entries(api, client, auth, db, people, case_a):
    api("hr_a", "patch", f"/api/v1/cases/{case_a.id}", json={"candidate": {"university": "ETH Zurich"}})
    api("officer", "post", f"/api/v1/cases/{case_a.id}/events", json={"action": "submit"})
    auth.as_user(people["admin"])
    page = client.get("/admin/audit?action=case_edited&actor=alpha").get_data(as_text=True)
    assert "1 entry" in page and "<code>case_edited</code>" in page and "permission_denied</code>" not in page
    assert f"case {case_a.id}" in page and "via:</span> api" in page
    page = client.get("/admin/audit?action=permission_denied&actor=officer@park").get_data(as_text=True)
    assert "1 entry" in page and "<code>permission_denied</code>" in page and "submit" in page
    options = client.get("/admin/audit").get_data(as_text=True)
    assert 'value="case_edited"' in options and 'value="permission_denied"' in options
