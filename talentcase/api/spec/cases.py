"""The cases endpoints in /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from talentcase.api.cases import PER_PAGE_DEFAULT, PER_PAGE_MAX, SLA_FILTER_STATES
from talentcase.api.serializers import DATE, DATETIME, NULLABLE_DATE, json_schemas, obj, ref
from talentcase.api.spec import CASE_ID, json_content
from talentcase.cases import workflow
from talentcase.sla import engine


def _errors(*statuses: int) -> dict[str, Any]:
    described = {
        400: "The body is not JSON, or a session-authenticated write lacks its CSRF token",
        401: "No valid API token",
        403: "Not allowed for this role",
        404: "No such case, or another tenant's case",
        409: "Not possible in the case's current state (code `ineligible` lists the failed checks)",
        422: "Invalid data; `fields` names each field in error",
    }
    return {
        str(status): {"description": described[status], "content": json_content(ref("CaseError"))}
        for status in statuses
    }


STATE_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
CLOCK_COUNTS = {"type": "object", "additionalProperties": STATE_COUNTS}


def _schemas() -> dict[str, Any]:
    event_input = obj(
        {
            "action": {"type": "string", "enum": list(workflow.ACTIONS)},
            "occurred_on": {**NULLABLE_DATE, "description": "Default today; never future, never before the last event"},
            "note": {
                "type": ["string", "null"],
                "maxLength": 5000,
                "description": "Required (not blank) for request_info (what is needed), reject and withdraw (why)",
            },
            "party": {"type": ["string", "null"], "enum": [*workflow.PARTIES, None]},
            "quota_places": {"type": ["integer", "null"], "minimum": 1, "maximum": 100},
            "quota_valid_until": NULLABLE_DATE,
            "quota_reference": {"type": ["string", "null"], "maxLength": 60},
        },
        ["action"],
    )
    case_input = obj(
        {
            "candidate": ref("CandidateInput"),
            "position": ref("PositionInput"),
            "opened_on": {**NULLABLE_DATE, "description": "POST only; default today"},
        },
        [],
    )
    error_detail = obj(
        {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "field": {"type": "string"},
            "case_status": {"type": "string"},
            "failures": {
                "type": "array",
                "items": obj({"check": {"type": "string"}, "reason": {"type": "string"}}),
            },
        },
        ["code", "message"],
        closed=False,
    )
    company_summary = obj(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "open_cases": {"type": "integer"},
            "clocks": CLOCK_COUNTS,
        }
    )
    return {
        **json_schemas(),
        "CaseList": obj(
            {
                "items": {"type": "array", "items": ref("CaseSummary")},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
                "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
            }
        ),
        "CaseInput": case_input,
        "EventInput": event_input,
        "SlaSummary": obj(
            {
                "as_of": DATE,
                "clocks": CLOCK_COUNTS,
                "companies": {"type": "array", "items": company_summary},
            }
        ),
        "CaseError": {"allOf": [ref("Error"), obj({"error": error_detail}, closed=False)]},
        "Alert": obj(
            {
                "clock": {"type": "string", "enum": list(engine.CLOCK_NAMES)},
                "threshold": {
                    "type": "string",
                    "description": "`50pct`-style share of the target, `due-2d`-style days before due, or `breach`",
                },
                "cycle": {"type": "integer", "minimum": 1, "description": "Which run of the clock (a re-based clock)"},
                "threshold_on": {**DATE, "description": "The day the threshold was crossed"},
                "due_on": {**DATE, "description": "The clock's due date when the alert was raised"},
                "created_at": DATETIME,
            }
        ),
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _paths() -> dict[str, Any]:
    case_response = {"description": "The case", "content": json_content(ref("Case"))}
    return {
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "getOpenApi",
                "security": [],
                "responses": {"200": {"description": "The OpenAPI document", "content": json_content({})}},
            }
        },
        "/cases": {
            "get": {
                "summary": "List the cases the caller may see",
                "operationId": "listCases",
                "parameters": [
                    _query("status", {"type": "string", "enum": list(workflow.STATES)}, "Only cases in this status"),
                    _query(
                        "sla",
                        {"type": "string", "enum": list(SLA_FILTER_STATES)},
                        "Only cases with a running clock in this state today",
                    ),
                    _query("company", {"type": "integer"}, "Only this company's cases"),
                    _query(
                        "q",
                        {"type": "string", "maxLength": 200},
                        "Words, each the start of the reference, the passport number or a word of the name or Chinese"
                        " name; case, accents and traditional or simplified characters do not matter",
                    ),
                    _query(
                        "page", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}, "Page number"
                    ),
                    _query(
                        "per_page",
                        {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": PER_PAGE_DEFAULT},
                        "Cases per page",
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "A page of cases (without events)",
                        "content": json_content(ref("CaseList")),
                    },
                    **_errors(401, 422),
                },
            },
            "post": {
                "summary": "Open a draft case for the caller's company (HR only)",
                "operationId": "createCase",
                "requestBody": {
                    "required": True,
                    # Opening needs both objects (their required fields are checked one by one, with a 422).
                    "content": json_content({"allOf": [ref("CaseInput"), {"required": ["candidate", "position"]}]}),
                },
                "responses": {
                    "201": {
                        **case_response,
                        "headers": {"Location": {"schema": {"type": "string"}, "description": "The case's URL"}},
                    },
                    **_errors(400, 401, 403, 422),
                },
            },
        },
        "/cases/{case_id}": {
            "parameters": [CASE_ID],
            "get": {
                "summary": "One case with its clocks, events, eligibility and the caller's allowed actions",
                "operationId": "getCase",
                "responses": {"200": case_response, **_errors(401, 404)},
            },
            "patch": {
                "summary": "Edit the particulars while the case is a draft or paused for information",
                "operationId": "updateCase",
                "requestBody": {"required": True, "content": json_content(ref("CaseInput"))},
                "responses": {"200": case_response, **_errors(400, 401, 403, 404, 409, 422)},
            },
        },
        "/cases/{case_id}/events": {
            "parameters": [CASE_ID],
            "post": {
                "summary": "Take an action on the case, recorded with the date it really happened",
                "operationId": "addCaseEvent",
                "requestBody": {"required": True, "content": json_content(ref("EventInput"))},
                "responses": {
                    "201": {"description": "The updated case", "content": json_content(ref("Case"))},
                    **_errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/cases/{case_id}/alerts": {
            "parameters": [CASE_ID],
            "get": {
                "summary": "The SLA alerts raised for the case, oldest first",
                "operationId": "listCaseAlerts",
                "responses": {
                    "200": {
                        "description": "The alerts",
                        "content": json_content({"type": "array", "items": ref("Alert")}),
                    },
                    **_errors(401, 404),
                },
            },
        },
        "/sla/summary": {
            "get": {
                "summary": "Clock states per clock and per company today (officers and admins)",
                "operationId": "getSlaSummary",
                "responses": {
                    "200": {"description": "The summary", "content": json_content(ref("SlaSummary"))},
                    **_errors(401, 403),
                },
            }
        },
    }


def describe(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The cases endpoints and their schemas in /api/v1/openapi.json."""
    paths.update(_paths())
    schemas.update(_schemas())
