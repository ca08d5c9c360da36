"""Documents over JSON: the checklist with the current uploads, uploading a file (multipart), an officer's review.

Same permissions as the documents page: HR of the case's company and officers; another tenant's case is a 404;
reviews are for officers only. Refused uploads store nothing and answer 413 (too large) or 422 with a plain message.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.api import bp, forbidden, json_body, load
from talentcase.api.openapi import documented
from talentcase.audit.requests import request_via
from talentcase.cases.models import Case
from talentcase.common.errors import json_error
from talentcase.common.http import client_ip
from talentcase.common.roles import can_review_documents, works_on_cases
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services
from talentcase.documents.display import too_large_message
from talentcase.documents.models import Document
from talentcase.documents.schemas import (
    DocumentListSchema,
    DocumentReviewInputSchema,
    DocumentSchema,
    DocumentUploadSchema,
)
from talentcase.documents.services import DocumentError
from talentcase.extensions import db
from talentcase.jobs import uow

ERRORS = {
    400: "The body is not JSON, or a session-authenticated write lacks its X-CSRFToken header",
    401: "No valid API token",
    403: "Not allowed for this role",
    404: "No such case or document, or another tenant's case",
    409: "Not possible now (the case is closed, or the document is not the latest version)",
    413: "The file is larger than the upload limit; nothing was stored",
    422: "Invalid data or a refused file (wrong type, encrypted or damaged PDF, empty); `fields` names the field",
}


def _errors(*statuses: int) -> dict[int, str]:
    return {status: ERRORS[status] for status in statuses}


# --- helpers -------------------------------------------------------------------------------------------------------


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _refused(error: DocumentError):
    uow.discard()
    message = str(error.message)
    extra = {"fields": {error.field: message}} if error.field else {}
    return json_error(error.status, message, error.code, **extra)


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise forbidden("Your account is not allowed to do this with documents.")


def _too_large():
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) <= limit:
        # Within the upload limit, so it is a text field over the form's memory limit, not the file.
        return json_error(
            413, "A form field other than the file is too long; send the file in the file part.", "too_large"
        )
    return json_error(413, too_large_message(), "too_large")


# --- endpoints -----------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/documents")
@documented(
    "listCaseDocuments",
    "The case's document checklist with the status of each item, and the current uploads",
    answer=DocumentListSchema,
    description="Checklist and current uploads",
    errors=_errors(401, 403, 404),
)
def list_documents(case_id: int):
    case = _load_case(case_id)
    _forbid_unless(works_on_cases(current_user))
    rows = services.checklist(case)
    current = [row.current for row in rows if row.current is not None]
    return jsonify(DocumentListSchema().dump({"items": current, "checklist": rows}))


@bp.post("/cases/<int:case_id>/documents")
@documented(
    "uploadCaseDocument",
    "Upload a file as the new current version of a checklist item (older versions are kept)",
    answer=DocumentSchema,
    status=201,
    description="The document",
    body=DocumentUploadSchema,
    body_media="multipart/form-data",
    errors=_errors(400, 401, 403, 404, 409, 413, 422),
)
def upload_document(case_id: int):
    case = _load_case(case_id)
    _forbid_unless(works_on_cases(current_user))
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        return _too_large()
    upload = load(DocumentUploadSchema(), {**form.to_dict(), **files.to_dict()})
    chosen = upload["file"]
    try:
        document = services.upload(
            case,
            upload["kind"],
            chosen.read(),
            chosen.filename,
            dependant_id=upload.get("dependant_id"),
            uploader=current_user._get_current_object(),
            expires_on=upload.get("expires_on"),
        )
    except DocumentError as error:
        return _refused(error)
    services.audit_upload(document, actor=current_user, ip=client_ip(), via=request_via())
    response = jsonify(DocumentSchema().dump(document))
    response.status_code = 201
    return response


@bp.post("/cases/<int:case_id>/documents/<int:document_id>/review")
@documented(
    "reviewCaseDocument",
    "Accept the current version of a document, or reject it with a reason (officers only)",
    answer=DocumentSchema,
    description="The document",
    body=DocumentReviewInputSchema,
    errors=_errors(400, 401, 403, 404, 409, 422),
)
def review_document(case_id: int, document_id: int):
    case = _load_case(case_id)
    _forbid_unless(can_review_documents(current_user))
    document = db.session.get(Document, document_id)
    if document is None or not services.belongs_to_case(document, case):
        return json_error(404, "This case has no such document.")
    body = json_body(DocumentReviewInputSchema())
    try:
        reviewer = current_user._get_current_object()
        services.review(document, body["decision"], reviewer=reviewer, reason=body.get("reason") or "")
    except DocumentError as error:
        return _refused(error)
    services.audit_review(document, actor=current_user, ip=client_ip(), via=request_via())
    return jsonify(DocumentSchema().dump(document))
