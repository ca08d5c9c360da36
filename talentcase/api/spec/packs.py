"""The pack and job endpoints in /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from talentcase.api.spec import CASE_ID, error_response, json_content


def describe(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The pack and job endpoints in /api/v1/openapi.json."""
    schemas["PackRequest"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "draft": {"type": "boolean", "default": False},
            "language": {"type": "string", "enum": ["en", "zh-Hant"]},
        },
    }
    schemas["PackQueued"] = {
        "type": "object",
        "required": ["job_id", "status_url"],
        "properties": {"job_id": {"type": "string"}, "status_url": {"type": "string"}, "cached": {"type": "boolean"}},
    }
    schemas["JobStatus"] = {
        "type": "object",
        "required": ["status", "progress"],
        "properties": {
            "job_id": {"type": "string"},
            "status": {"type": "string", "enum": ["queued", "started", "finished", "failed"]},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "message": {"type": "string"},
            "error": {"type": "string"},
            "advice": {
                "type": "string",
                "description": "For a pack that failed on one of its documents: which one and what to do, in words",
            },
            "download_url": {"type": "string"},
        },
    }
    paths["/cases/{case_id}/pack"] = {
        "post": {
            "summary": "Queue the submission pack",
            "operationId": "createPack",
            "parameters": [CASE_ID],
            "requestBody": {
                "required": False,
                "content": json_content({"$ref": "#/components/schemas/PackRequest"}),
            },
            "responses": {
                "202": {
                    "description": "Queued (or already made)",
                    "content": json_content({"$ref": "#/components/schemas/PackQueued"}),
                },
                "400": error_response("Not a JSON object"),
                "401": error_response("No valid token"),
                "403": error_response("Role cannot make packs"),
                "404": error_response("No such case"),
                "409": error_response("Required documents missing or not accepted (`missing` lists them)"),
                "422": error_response("Invalid fields"),
            },
        }
    }
    paths["/jobs/{job_id}"] = {
        "get": {
            "summary": "A background job's status",
            "operationId": "getJob",
            "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "The job",
                    "content": json_content({"$ref": "#/components/schemas/JobStatus"}),
                },
                "401": error_response("No valid token"),
                "404": error_response("No such job"),
            },
        }
    }
    paths["/cases/{case_id}/pack.pdf"] = {
        "get": {
            "summary": "The latest pack (the one asked for last), or the pack a finished job's download_url names",
            "operationId": "getPackPdf",
            "parameters": [
                CASE_ID,
                {
                    "name": "pack",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1},
                    "description": "A ready pack of this case (as in a job's download_url)",
                },
            ],
            "responses": {
                "200": {
                    "description": "The PDF",
                    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                },
                "401": error_response("No valid token"),
                "403": error_response("Role cannot read packs"),
                "404": error_response("No such case, no pack yet, or no such ready pack of this case"),
                "422": error_response("`pack` is not a pack id"),
            },
        }
    }
