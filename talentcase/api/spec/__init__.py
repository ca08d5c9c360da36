"""The OpenAPI pieces of /api/v1, one module per group of endpoints; `talentcase.api.openapi` puts them together."""

from __future__ import annotations

from typing import Any

CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON response or request body with this schema."""
    return {"application/json": {"schema": schema}}


def error_response(description: str) -> dict[str, Any]:
    """A response in the API's error shape."""
    return {"description": description, "content": json_content({"$ref": "#/components/schemas/Error"})}
