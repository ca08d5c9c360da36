"""Packs and their jobs in the JSON API, declared once for the answers, the requests and /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load
from marshmallow.validate import OneOf, Range

from talentcase.common.models import MAX_ID
from talentcase.common.schemas import Input
from talentcase.packs.stages import STAGES

# The pack's language as a client may name it, and the catalogue it is made in.
PACK_ID_MESSAGE = "Must be a pack id."
LANGUAGES = {"en": "en", "zh-Hant": "zh_Hant_HK", "zh_Hant_HK": "zh_Hant_HK", "zh-Hant-HK": "zh_Hant_HK"}


class JsonBoolean(fields.Boolean):
    """true or false, and nothing that merely looks like them (1, "yes")."""

    default_error_messages = {"invalid": "Must be true or false."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class PackRequestSchema(Input):
    """What to make: a draft or the final pack, for the quota or the visa step, in English or Chinese."""

    draft = JsonBoolean(load_default=False)
    stage = fields.String(
        load_default=None,
        validate=OneOf(STAGES, error="Must be quota or visa."),
        error_messages={"invalid": "Must be quota or visa."},
        metadata={"description": "quota (to ITC) or visa (to ImmD); by default the step the case needs next"},
    )
    internal_annex = JsonBoolean(
        load_default=False,
        metadata={"description": "Officers only (403 otherwise): add the park's internal annex; never shown to HR"},
    )
    language = fields.String(
        load_default="en",
        validate=OneOf(list(LANGUAGES), error="Must be en or zh-Hant."),
        error_messages={"invalid": "Must be en or zh-Hant."},
    )

    @post_load
    def in_catalogue_terms(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "language": LANGUAGES[data["language"]]}


class PackQueuedSchema(Schema):
    job_id = fields.String(required=True)
    status_url = fields.String(required=True)
    cached = fields.Boolean()


class JobStatusSchema(Schema):
    """A background job's status, as the progress bar reads it too."""

    job_id = fields.String()
    status = fields.String(required=True, validate=OneOf(("queued", "started", "finished", "failed")))
    progress = fields.Integer(required=True, validate=Range(min=0, max=100))
    message = fields.String()
    error = fields.String()
    advice = fields.String(
        metadata={"description": "For a pack that failed on one of its documents: which one and what to do, in words"}
    )
    download_url = fields.String()


class PackChoiceSchema(Schema):
    """Which ready pack of the case to download: by default the latest."""

    class Meta:
        unknown = "exclude"

    pack = fields.Integer(
        validate=Range(min=1, max=MAX_ID, error=PACK_ID_MESSAGE),
        error_messages={"invalid": PACK_ID_MESSAGE},
        metadata={"description": "A ready pack of this case (as in a job's download_url)"},
    )
