"""Documents in the JSON API, declared once for the answers, the requests and /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, missing, pre_load
from marshmallow.validate import OneOf, Range, Regexp

from talentcase.common.schemas import HongKongTime, Input, IsoDate, Text, every_field_present
from talentcase.documents.checklist import DOCUMENT_KINDS

STATUSES = ("missing", "uploaded", "accepted", "rejected")
MIME_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _user_label(user: Any, fallback: str = "") -> str | None:
    if user is not None:
        return user.email
    return fallback or None


@every_field_present
class DocumentSchema(Schema):
    """One uploaded version of a checklist item."""

    id = fields.Integer()
    case_id = fields.Integer(allow_none=True, metadata={"description": "null for a company document on file"})
    kind = fields.String(validate=OneOf(list(DOCUMENT_KINDS)))
    label = fields.Function(
        lambda document: str(DOCUMENT_KINDS.get(document.kind, document.kind)), metadata={"type": "string"}
    )
    dependant_id = fields.Integer(allow_none=True)
    version = fields.Integer(validate=Range(min=1))
    is_current = fields.Boolean()
    status = fields.String(validate=OneOf(("uploaded", "accepted", "rejected")))
    review_reason = fields.Function(lambda document: document.review_reason or "", metadata={"type": "string"})
    display_name = fields.String(metadata={"description": "The sanitised file name shown and offered"})
    mime_type = fields.String(validate=OneOf(MIME_TYPES))
    size = fields.Integer(validate=Range(min=1))
    page_count = fields.Integer(validate=Range(min=1))
    sha256 = fields.String(validate=Regexp("^[0-9a-f]{64}$"))
    expires_on = fields.Date(allow_none=True)
    uploaded_at = HongKongTime()
    uploaded_by = fields.Function(
        lambda document: _user_label(document.uploaded_by, document.uploaded_by_label) or "expert",
        metadata={"type": "string", "description": "The uploader's email, or `expert`"},
    )
    reviewed_at = HongKongTime(allow_none=True)
    reviewed_by = fields.Function(
        lambda document: _user_label(document.reviewed_by), metadata={"type": ["string", "null"]}
    )


class DocumentChecklistItemSchema(Schema):
    """One checklist item with its status; document_id when something is uploaded, reason when it was rejected."""

    kind = fields.String(required=True, attribute="item.kind", validate=OneOf(list(DOCUMENT_KINDS)))
    label = fields.String(required=True, attribute="item.label")
    required = fields.Boolean(required=True, attribute="item.required")
    provider = fields.String(required=True, attribute="item.provider", validate=OneOf(("hr", "expert")))
    dependant_id = fields.Integer(required=True, attribute="item.dependant_id", allow_none=True)
    status = fields.String(required=True, validate=OneOf(STATUSES))
    source = fields.String(
        required=True,
        validate=OneOf(("case", "company")),
        metadata={"description": "`company` when the company's document on file stands for the item"},
    )
    expired = fields.Boolean(
        required=True, attribute="is_expired", metadata={"description": "The document on file has expired"}
    )
    document_id = fields.Function(
        lambda row: row.current.id if row.current is not None else missing,
        metadata={"type": "integer", "description": "The current upload, when there is one"},
    )
    reason = fields.Function(
        lambda row: row.current.review_reason if row.status == "rejected" and row.current is not None else missing,
        metadata={"type": "string", "description": "Why the current upload was rejected"},
    )


@every_field_present
class DocumentListSchema(Schema):
    items = fields.List(fields.Nested(DocumentSchema), metadata={"description": "The current uploads"})
    checklist = fields.List(fields.Nested(DocumentChecklistItemSchema))


class DocumentUploadSchema(Input):
    """The multipart form of an upload: its fields and its file part."""

    class Meta:
        unknown = "exclude"  # whatever else a form sends

    kind = fields.String(
        required=True,
        error_messages={"required": "Say which checklist item this file is for, e.g. kind=passport."},
        metadata={"enum": list(DOCUMENT_KINDS)},
    )
    file = fields.Raw(
        required=True,
        error_messages={"required": "Send the file as the multipart/form-data field 'file', with its file name."},
        metadata={
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "description": "A PDF, JPEG or PNG file; its type is judged by its content, not its name",
        },
    )
    dependant_id = fields.Integer(
        strict=False,
        validate=Range(min=0, error="Must be the id of one of the case's dependants."),
        error_messages={"invalid": "Must be the id of one of the case's dependants."},
        metadata={"description": "For a dependant's documents"},
    )
    expires_on = IsoDate(metadata={"description": "The passport's expiry date"})

    @pre_load
    def without_blanks(self, form: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Blank fields are left out, and a file part without a file name (or a text field called `file`)."""
        values = {name: value.strip() if isinstance(value, str) else value for name, value in form.items()}
        if isinstance(values.get("file"), str) or not getattr(values.get("file"), "filename", None):
            values.pop("file", None)
        return {name: value for name, value in values.items() if value != ""}


class DocumentReviewInputSchema(Input):
    """An officer's decision on the current version of a document."""

    decision = fields.String(
        required=True,
        validate=OneOf(("accept", "reject"), error="Decide 'accept' or 'reject'."),
        error_messages={key: "Decide 'accept' or 'reject'." for key in ("required", "null", "invalid")},
    )
    reason = Text(allow_none=True, metadata={"maxLength": 2000, "description": "Needed when rejecting"})
