"""Documents over JSON: the checklist with the current uploads, uploading a file (multipart), an officer's review.

Same permissions as the documents page: HR of the case's company and officers; another tenant's case is a 404;
reviews are for officers only. Refused uploads store nothing and answer 413 (too large) or 422 with a plain message.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.api import bp, forbidden
from talentcase.audit.requests import request_via
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.errors import json_error
from talentcase.common.http import client_ip
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services
from talentcase.documents.checklist import DOCUMENT_KINDS
from talentcase.documents.display import too_large_message
from talentcase.documents.models import Document
from talentcase.documents.services import ChecklistRow, DocumentError
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


def _forbid_unless(*roles: str) -> None:
    if current_user.role not in roles:
        raise forbidden("Your account is not allowed to do this with documents.")


# --- endpoints -----------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/documents")
def list_documents(case_id: int):
    case = _load_case(case_id)
    _forbid_unless(*DOCUMENT_ROLES)
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
    _forbid_unless(*DOCUMENT_ROLES)
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit and (request.content_length or 0) <= limit:
            # Within the upload limit, so it is a text field over the form's memory limit, not the file.
            return json_error(
                413, "A form field other than the file is too long; send the file in the file part.", "too_large"
            )
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
    services.audit_upload(document, actor=current_user, ip=client_ip(), via=request_via())
    db.session.commit()
    response = jsonify(document_json(document))
    response.status_code = 201
    return response


@bp.post("/cases/<int:case_id>/documents/<int:document_id>/review")
def review_document(case_id: int, document_id: int):
    case = _load_case(case_id)
    _forbid_unless("officer")
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
    services.audit_review(document, actor=current_user, ip=client_ip(), via=request_via())
    db.session.commit()
    return jsonify(document_json(document))
