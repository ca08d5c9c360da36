"""The documents endpoints in /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from talentcase.api.documents import STATUSES
from talentcase.api.serializers import DATE, NULLABLE_DATE, ref
from talentcase.api.spec import CASE_ID, error_response, json_content
from talentcase.documents.checklist import DOCUMENT_KINDS

DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}
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
                "items": {"type": "array", "items": ref("Document"), "description": "The current uploads"},
                "checklist": {"type": "array", "items": ref("DocumentChecklistItem")},
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
                "reason": {"type": ["string", "null"], "maxLength": 2000, "description": "Needed when rejecting"},
            },
        },
    }


def _paths() -> dict[str, Any]:
    document_response = {"description": "The document", "content": json_content(ref("Document"))}
    return {
        "/cases/{case_id}/documents": {
            "parameters": [CASE_ID],
            "get": {
                "summary": "The case's document checklist with the status of each item, and the current uploads",
                "operationId": "listCaseDocuments",
                "responses": {
                    "200": {
                        "description": "Checklist and current uploads",
                        "content": json_content(ref("DocumentList")),
                    },
                    **_errors(401, 403, 404),
                },
            },
            "post": {
                "summary": "Upload a file as the new current version of a checklist item (older versions are kept)",
                "operationId": "uploadCaseDocument",
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": ref("DocumentUpload")}},
                },
                "responses": {"201": document_response, **_errors(400, 401, 403, 404, 409, 413, 422)},
            },
        },
        "/cases/{case_id}/documents/{document_id}/review": {
            "parameters": [CASE_ID, DOCUMENT_ID],
            "post": {
                "summary": "Accept the current version of a document, or reject it with a reason (officers only)",
                "operationId": "reviewCaseDocument",
                "requestBody": {"required": True, "content": json_content(ref("DocumentReviewInput"))},
                "responses": {"200": document_response, **_errors(400, 401, 403, 404, 409, 422)},
            },
        },
    }


def describe(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The documents endpoints and their schemas in /api/v1/openapi.json."""
    paths.update(_paths())
    schemas.update(_schemas())
