"""The OpenAPI 3.1 document for /api/v1, built from the schemas the endpoints use."""

from __future__ import annotations

from typing import Any

from talentcase.api.spec import cases, documents, error_response, packs

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def build_spec() -> dict[str, Any]:
    """The whole document."""
    paths: dict[str, Any] = {
        "/me": {
            "get": {
                "summary": "The signed-in user",
                "operationId": "getMe",
                "responses": {
                    "200": {
                        "description": "The user",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}},
                    },
                    "401": error_response("No valid token"),
                },
            }
        },
    }
    schemas: dict[str, Any] = {
        "Error": ERROR_SCHEMA,
        "Me": {
            "type": "object",
            "required": ["id", "email", "role"],
            "properties": {
                "id": {"type": "integer"},
                "email": {"type": "string"},
                "name": {"type": "string"},
                "role": {"type": "string", "enum": ["hr", "officer", "admin"]},
                "company": {
                    "oneOf": [
                        {"type": "null"},
                        {
                            "type": "object",
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                        },
                    ]
                },
                "preferred_language": {
                    "type": ["string", "null"],
                    "enum": ["en", "zh_Hant_HK", None],
                    "description": "The language the user chose; null when they have not (pages follow the browser).",
                },
            },
        },
    }
    for group in (cases, documents, packs):
        group.describe(paths, schemas)
    for operation in (op for item in paths.values() for op in item.values() if isinstance(op, dict)):
        # Any request can be malformed whatever the endpoint: a NUL character in a parameter, broken JSON.
        operation["responses"].setdefault("400", error_response("A malformed request"))
    return {
        "openapi": "3.1.0",
        "info": {"title": "TalentCase API", "version": "1.0.0"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }
