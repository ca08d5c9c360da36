"""The pieces every marshmallow schema of the JSON API is built from: strict dates, Hong Kong times, closed input
objects, and errors flattened to the API's dotted field names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from marshmallow import Schema, fields

from talentcase.common import clock

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_MESSAGE = "Use a real date in the form YYYY-MM-DD."
TEXT_MESSAGE = "Must be text."
OBJECT_MESSAGE = "Send a JSON object."

SchemaClass = TypeVar("SchemaClass", bound=type[Schema])


class IsoDate(fields.Date):
    """A YYYY-MM-DD date: date.fromisoformat alone would also take 20260320 and 2026-W12-5."""

    default_error_messages = {"invalid": DATE_MESSAGE}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> date:
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.make_error("invalid")


class HongKongTime(fields.DateTime):
    """A moment as ISO 8601 with its offset, in Hong Kong time, as the API promises."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return clock.isoformat(value)


class Text(fields.String):
    """A JSON string, or null where the field allows it."""

    default_error_messages = {"invalid": TEXT_MESSAGE}


class Input(Schema):
    """A request body: a JSON object whose names are all known."""

    error_messages = {"unknown": "Unknown field.", "type": OBJECT_MESSAGE}


def every_field_present(schema: SchemaClass) -> SchemaClass:
    """Mark every field of a response schema required: the API always sends each name (null when it has no value),
    and the document says so, so that a drifting serializer shows up."""
    for field in schema._declared_fields.values():
        field.required = True
    return schema


def flat_errors(messages: Any, path: tuple[str, ...] = ()) -> dict[str, str]:
    """marshmallow's nested error messages as {"candidate.email": "message"}; a body that is no object is `body`."""
    if isinstance(messages, dict):
        flat: dict[str, str] = {}
        for key, value in messages.items():
            flat.update(flat_errors(value, path if key == "_schema" else (*path, str(key))))
        return flat
    first = messages[0] if isinstance(messages, list) and messages else messages
    if isinstance(first, dict | list):
        return flat_errors(first, path)
    return {".".join(path) or "body": str(first)}
