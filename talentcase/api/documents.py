"""Documents over JSON: the checklist with the current uploads, uploading a file (multipart), an officer's review.

Same permissions as the documents page: HR of the case's company and officers; another tenant's case is a 404;
reviews are for officers only. Refused uploads store nothing and answer 413 (too large) or 422 with a plain message.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.api import bp
from talentcase.api.openapi import error_response
from talentcase.api.registry import openapi_extension
from talentcase.audit import services as audit
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.errors import json_error
from talentcase.common.http import client_ip
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services
from talentcase.documents.checklist import DOCUMENT_KINDS
from talentcase.documents.models import Document
from talentcase.documents.services import ChecklistRow, DocumentError
from talentcase.documents.views import too_large_message
from talentcase.extensions import db

DOCUMENT_ROLES = ("hr", "officer")
REVIEW_KEYS = frozenset({"decision", "reason"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATUSES = ("missing", "uploaded", "accepted", "rejected")


# --- serialising ---------------------------------------------------------------------------------------------------


def _user_label(user: Any, fallback: str = "") -> str | None:
    if user is not None:
        return user.email
    return fallback or None


def document_json(document: Document) -> dict[str, Any]:
    """One uploaded version of a checklist item."""
    return {
        "id": document.id,
        "case_id": document.case_id,
        "kind": document.kind,
        "label": str(DOCUMENT_KINDS.get(document.kind, document.kind)),
        "dependant_id": document.dependant_id,
        "version": document.version,
        "is_current": document.is_current,
        "status": document.status,
        "review_reason": document.review_reason or "",
        "display_name": document.display_name,
        "mime_type": document.mime_type,
        "size": document.size,
        "page_count": document.page_count,
        "sha256": document.sha256,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
        "uploaded_at": clock.isoformat(document.uploaded_at),
        "uploaded_by": _user_label(document.uploaded_by, document.uploaded_by_label) or "expert",
        "reviewed_at": clock.isoformat(document.reviewed_at),
        "reviewed_by": _user_label(document.reviewed_by),
    }


def checklist_json(row: ChecklistRow) -> dict[str, Any]:
    """One checklist item with its status; document_id when something is uploaded, reason when rejected."""
    body: dict[str, Any] = {
        "kind": row.item.kind,
        "label": str(row.item.label),
        "required": row.item.required,
        "provider": row.item.provider,
        "dependant_id": row.item.dependant_id,
        "status": row.status,
    }
    if row.current is not None:
        body["document_id"] = row.current.id
    if row.status == "rejected" and row.current is not None:
        body["reason"] = row.current.review_reason
    return body


# --- helpers -------------------------------------------------------------------------------------------------------


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _invalid(field: str, message: str):
    return json_error(422, message, "invalid", fields={field: message})


def _refused(error: DocumentError):
    db.session.rollback()
    message = str(error.message)
    extra = {"fields": {error.field: message}} if error.field else {}
    return json_error(error.status, message, error.code, **extra)


def _forbidden_unless(*roles: str):
    if current_user.role not in roles:
        return json_error(403, "Your account is not allowed to do this with documents.")
    return None


# --- endpoints -----------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/documents")
def list_documents(case_id: int):
    case = _load_case(case_id)
    if (denied := _forbidden_unless(*DOCUMENT_ROLES)) is not None:
        return denied
    rows = services.checklist(case)
    return jsonify(
        {
            "items": [document_json(row.current) for row in rows if row.current is not None],
            "checklist": [checklist_json(row) for row in rows],
        }
    )


@bp.post("/cases/<int:case_id>/documents")
def upload_document(case_id: int):
    case = _load_case(case_id)
    if (denied := _forbidden_unless(*DOCUMENT_ROLES)) is not None:
        return denied
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        return json_error(413, too_large_message(), "too_large")
    kind = (form.get("kind") or "").strip()
    if not kind:
        return _invalid("kind", "Say which checklist item this file is for, e.g. kind=passport.")
    chosen = files.get("file")
    if chosen is None or not chosen.filename:
        return _invalid("file", "Send the file as the multipart/form-data field 'file', with its file name.")
    dependant_raw = (form.get("dependant_id") or "").strip()
    if dependant_raw and not dependant_raw.isdigit():
        return _invalid("dependant_id", "Must be the id of one of the case's dependants.")
    expires_raw = (form.get("expires_on") or "").strip()
    expires_on: date | None = None
    if expires_raw:
        try:
            if not ISO_DATE.fullmatch(expires_raw):
                raise ValueError(expires_raw)
            expires_on = date.fromisoformat(expires_raw)
        except ValueError:
            return _invalid("expires_on", "Use a real date in the form YYYY-MM-DD.")
    try:
        document = services.upload(
            case,
            kind,
            chosen.read(),
            chosen.filename,
            dependant_id=int(dependant_raw) if dependant_raw else None,
            uploader=current_user._get_current_object(),
            expires_on=expires_on,
        )
    except DocumentError as error:
        return _refused(error)
    audit.record(
        "document_uploaded",
        actor=current_user,
        target_type="document",
        target_id=document.id,
        ip=client_ip(),
        case_id=case.id,
        kind=document.kind,
        version=document.version,
    )
    db.session.commit()
    response = jsonify(document_json(document))
    response.status_code = 201
    return response


@bp.post("/cases/<int:case_id>/documents/<int:document_id>/review")
def review_document(case_id: int, document_id: int):
    case = _load_case(case_id)
    if (denied := _forbidden_unless("officer")) is not None:
        return denied
    document = db.session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        return json_error(404, "This case has no such document.")
    body = request.get_json(silent=True)
    if body is None:
        return json_error(400, "Send a JSON object with 'Content-Type: application/json'.")
    if not isinstance(body, dict):
        return _invalid("body", "Send a JSON object.")
    unknown = sorted(set(body) - REVIEW_KEYS)
    if unknown:
        return json_error(422, "Unknown field.", "invalid", fields=dict.fromkeys(unknown, "Unknown field."))
    decision, reason = body.get("decision"), body.get("reason")
    if decision not in ("accept", "reject"):
        return _invalid("decision", "Decide 'accept' or 'reject'.")
    if reason is not None and not isinstance(reason, str):
        return _invalid("reason", "Must be text.")
    try:
        services.review(document, decision, reviewer=current_user._get_current_object(), reason=reason or "")
    except DocumentError as error:
        return _refused(error)
    audit.record(
        f"document_{document.status}",
        actor=current_user,
        target_type="document",
        target_id=document.id,
        ip=client_ip(),
        case_id=case.id,
        kind=document.kind,
        reason=document.review_reason or None,
    )
    db.session.commit()
    return jsonify(document_json(document))


# --- OpenAPI -------------------------------------------------------------------------------------------------------

CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
ERRORS = {
    400: "The body is not JSON, or a session-authenticated write lacks its X-CSRFToken header",
    401: "No valid API token",
    403: "Not allowed for this role",
    404: "No such case or document, or another tenant's case",
    409: "Not possible now (the case is closed, or the document is not the latest version)",
    413: "The file is larger than the upload limit; nothing was stored",
    422: "Invalid data or a refused file (wrong type, encrypted or damaged PDF, empty); `fields` names the field",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): error_response(ERRORS[status]) for status in statuses}


def _schemas() -> dict[str, Any]:
    kinds = {"type": "string", "enum": list(DOCUMENT_KINDS)}
    document = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "case_id": {"type": "integer"},
            "kind": kinds,
            "label": {"type": "string"},
            "dependant_id": {"type": ["integer", "null"]},
            "version": {"type": "integer", "minimum": 1},
            "is_current": {"type": "boolean"},
            "status": {"type": "string", "enum": ["uploaded", "accepted", "rejected"]},
            "review_reason": {"type": "string"},
            "display_name": {"type": "string", "description": "The sanitised file name shown and offered"},
            "mime_type": {"type": "string", "enum": ["application/pdf", "image/jpeg", "image/png"]},
            "size": {"type": "integer", "minimum": 1},
            "page_count": {"type": "integer", "minimum": 1},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "expires_on": NULLABLE_DATE,
            "uploaded_at": {"type": "string", "format": "date-time"},
            "uploaded_by": {"type": "string", "description": "The uploader's email, or `expert`"},
            "reviewed_at": NULLABLE_DATETIME,
            "reviewed_by": {"type": ["string", "null"]},
        },
    }
    document["required"] = list(document["properties"])
    checklist_item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "label", "required", "provider", "dependant_id", "status"],
        "properties": {
            "kind": kinds,
            "label": {"type": "string"},
            "required": {"type": "boolean"},
            "provider": {"type": "string", "enum": ["hr", "expert"]},
            "dependant_id": {"type": ["integer", "null"]},
            "status": {"type": "string", "enum": list(STATUSES)},
            "document_id": {"type": "integer", "description": "The current upload, when there is one"},
            "reason": {"type": "string", "description": "Why the current upload was rejected"},
        },
    }
    return {
        "Document": document,
        "DocumentChecklistItem": checklist_item,
        "DocumentList": {
            "type": "object",
            "additionalProperties": False,
            "required": ["items", "checklist"],
            "properties": {
                "items": {"type": "array", "items": _ref("Document"), "description": "The current uploads"},
                "checklist": {"type": "array", "items": _ref("DocumentChecklistItem")},
            },
        },
        "DocumentUpload": {
            "type": "object",
            "required": ["kind", "file"],
            "properties": {
                "kind": kinds,
                "file": {
                    "type": "string",
                    "contentMediaType": "application/octet-stream",
                    "description": "A PDF, JPEG or PNG file; its type is judged by its content, not its name",
                },
                "dependant_id": {"type": "integer", "description": "For a dependant's documents"},
                "expires_on": {**DATE, "description": "The passport's expiry date"},
            },
        },
        "DocumentReviewInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["decision"],
            "properties": {
                "decision": {"type": "string", "enum": ["accept", "reject"]},
                "reason": {"type": "string", "maxLength": 2000, "description": "Needed when rejecting"},
            },
        },
    }


def _paths() -> dict[str, Any]:
    document_response = {"description": "The document", "content": _json(_ref("Document"))}
    return {
        "/cases/{case_id}/documents": {
            "parameters": [CASE_ID],
            "get": {
                "summary": "The case's document checklist with the status of each item, and the current uploads",
                "operationId": "listCaseDocuments",
                "responses": {
                    "200": {"description": "Checklist and current uploads", "content": _json(_ref("DocumentList"))},
                    **_errors(401, 403, 404),
                },
            },
            "post": {
                "summary": "Upload a file as the new current version of a checklist item (older versions are kept)",
                "operationId": "uploadCaseDocument",
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": _ref("DocumentUpload")}},
                },
                "responses": {"201": document_response, **_errors(400, 401, 403, 404, 409, 413, 422)},
            },
        },
        "/cases/{case_id}/documents/{document_id}/review": {
            "parameters": [CASE_ID, DOCUMENT_ID],
            "post": {
                "summary": "Accept the current version of a document, or reject it with a reason (officers only)",
                "operationId": "reviewCaseDocument",
                "requestBody": {"required": True, "content": _json(_ref("DocumentReviewInput"))},
                "responses": {"200": document_response, **_errors(400, 401, 403, 404, 409, 422)},
            },
        },
    }


@openapi_extension
def describe_documents(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The documents endpoints and their schemas in /api/v1/openapi.json."""
    paths.update(_paths())
    schemas.update(_schemas())
