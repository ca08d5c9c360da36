"""Cases as the JSON the API promises (DESIGN.md, "Case JSON"); reusable by anything that exports cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from talentcase.cases import workflow
from talentcase.cases.models import Case, CaseEvent
from talentcase.cases.schema import DECLARATIONS, FIELDS, FieldSpec
from talentcase.cases.services import EligibilityReport
from talentcase.common import clock
from talentcase.common.i18n import translator
from talentcase.sla import engine
from talentcase.sla import services as sla_services
from talentcase.sla.calendar import HKCalendar


def _value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind == "decimal" or isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def particulars(case: Case) -> dict[str, dict[str, Any]]:
    """The `candidate` and `position` objects, under the API names of schema.FIELDS."""
    groups: dict[str, dict[str, Any]] = {"candidate": {}, "position": {}}
    for spec in FIELDS:
        groups[spec.group][spec.name] = _value(spec, getattr(case, spec.attr))
    return groups


def clock_json(result: engine.ClockResult) -> dict[str, Any]:
    """One started clock: the engine's summary plus the sentences that explain it."""
    return {**result.as_dict(), "explanation": result.explanation_lines(translator())}


def event_json(event: CaseEvent) -> dict[str, Any]:
    """One entry of the event log."""
    if event.actor_label:
        actor = event.actor_label
    elif event.actor_role == "expert":
        actor = "expert"
    else:
        actor = event.actor.email if event.actor is not None else ""
    return {
        "sequence": event.sequence,
        "action": event.action,
        "occurred_on": event.occurred_on.isoformat(),
        "recorded_at": clock.isoformat(event.recorded_at),
        "actor": actor,
        "actor_role": event.actor_role or None,
        "note": event.note or "",
        "party": event.party,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "detail": dict(event.detail or {}),
    }


def eligibility_json(report: EligibilityReport) -> list[dict[str, Any]]:
    """The eligibility checklist rows, with whether an officer overrode a failure."""
    return [
        {
            "code": row.result.code,
            "label": str(row.result.label),
            "passed": row.result.passed,
            "answered": row.result.is_answered,
            "reason": str(row.result.reason),
            "blocking": row.result.blocking,
            "overridable": row.result.overridable,
            "overridden": row.override is not None,
        }
        for row in report.rows
    ]


def case_json(
    case: Case,
    *,
    today: date,
    calendar: HKCalendar | None = None,
    resolver: engine.Resolver | None = None,
    include_events: bool = True,
) -> dict[str, Any]:
    """The case as JSON. The clocks are computed from the event log, so `case.events` must be loaded (eagerly for
    lists); pass one calendar and resolver when serialising many cases so they are read once."""
    clocks = sla_services.compute_for_case(case, today=today, calendar=calendar, resolver=resolver)
    body: dict[str, Any] = {
        "id": case.id,
        "reference": case.reference,
        "company": {"id": case.company.id, "name": case.company.name},
        "status": case.status,
        "paused_party": case.paused_party,
        "policy_code": case.policy_code,
        "opened_on": case.opened_on.isoformat(),
        "submitted_on": case.submitted_on.isoformat() if case.submitted_on else None,
        "quota_place": case.quota_place,
        **particulars(case),
        "sla": {name: clock_json(result) for name, result in clocks.items()},
        "created_at": clock.isoformat(case.created_at),
        "updated_at": clock.isoformat(case.updated_at),
    }
    if include_events:
        body["events"] = [event_json(event) for event in case.events]
    return body


# --- the JSON Schema of the above, for the OpenAPI document -----------------------------------------------------

_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "email": {"type": "string", "format": "idn-email"},  # addresses in any script, as the checks accept
    "country": {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166 alpha-2"},
    "date": {"type": "string", "format": "date"},
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "decimal": {"type": "number"},
    "choice": {"type": "string"},
}


def _field_schema(spec: FieldSpec, *, for_input: bool) -> dict[str, Any]:
    schema = dict(_KIND_SCHEMAS[spec.kind])
    if spec.choices:
        schema["enum"] = list(spec.choices)
    if spec.kind in ("text", "email") and spec.max_length:
        schema["maxLength"] = spec.max_length
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    schema["description"] = str(spec.label)
    if spec.attr in DECLARATIONS:
        schema["description"] = (
            f"{spec.question} The company's declaration: null until answered, never a default; every one the "
            "submission's policy asks for must be answered (true or false) before `submit`"
        )
    nullable = (not spec.required and spec.kind in ("date", "int", "decimal")) or spec.attr in DECLARATIONS
    if nullable or (for_input and not spec.required and spec.kind != "bool"):
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def _group_schema(group: str, *, for_input: bool) -> dict[str, Any]:
    """`candidate` or `position` from schema.FIELDS: every field in output, any subset (nullable) in input."""
    specs = [spec for spec in FIELDS if spec.group == group]
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {spec.name: _field_schema(spec, for_input=for_input) for spec in specs},
    }
    if not for_input:
        schema["required"] = [spec.name for spec in specs]
    return schema


def obj(properties: dict[str, Any], required: list[str] | None = None, *, closed: bool = True) -> dict[str, Any]:
    """An object schema; every property required unless told, and closed so that undocumented fields show up."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    schema["required"] = list(properties) if required is None else required
    if closed:
        schema["additionalProperties"] = False
    return schema


DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_schemas() -> dict[str, Any]:
    """Component schemas of what this module produces: Case (with events, eligibility, allowed_actions as the
    detail views add them), CaseSummary (a list item), Clock, Event, EligibilityCheck, Candidate and Position,
    and the CandidateInput/PositionInput objects that POST and PATCH take."""
    nullable_str = {"type": ["string", "null"]}
    case_properties = {
        "id": {"type": "integer"},
        "reference": {"type": "string", "examples": ["TC-2027-000042"]},
        "company": obj({"id": {"type": "integer"}, "name": {"type": "string"}}),
        "status": {"type": "string", "enum": list(workflow.STATES)},
        "paused_party": {"type": ["string", "null"], "enum": [*workflow.PARTIES, None]},
        "policy_code": nullable_str,
        "opened_on": DATE,
        "submitted_on": NULLABLE_DATE,
        "quota_place": {"type": ["string", "null"], "enum": ["reserved", "used", None]},
        "candidate": ref("Candidate"),
        "position": ref("Position"),
        "sla": {
            "type": "object",
            "propertyNames": {"enum": list(engine.CLOCK_NAMES)},
            "additionalProperties": ref("Clock"),
            "description": "One entry per clock that has started",
        },
        "created_at": DATETIME,
        "updated_at": DATETIME,
    }
    case_summary = obj(case_properties)
    case = obj(
        {
            **case_properties,
            "events": {"type": "array", "items": ref("Event")},
            "eligibility": {"type": "array", "items": ref("EligibilityCheck")},
            "allowed_actions": {"type": "array", "items": {"type": "string", "enum": list(workflow.ACTIONS)}},
        }
    )
    pause = obj(
        {
            "from": DATE,
            "to": NULLABLE_DATE,
            "days": {"type": "integer"},
            "party": {"type": "string"},
            "extends_due": {"type": "boolean"},
        }
    )
    clock_schema = obj(
        {
            "target_days": {"type": "integer"},
            "day_kind": {"type": "string", "enum": list(engine.DAY_KINDS)},
            "started_on": DATE,
            "due_on": DATE,
            "stopped_on": NULLABLE_DATE,
            "stopped_by": nullable_str,
            "elapsed_days": {"type": "integer"},
            "paused_days": {"type": "integer"},
            "state": {"type": "string", "enum": list(engine.CLOCK_STATES)},
            "is_running": {"type": "boolean"},
            "is_paused": {"type": "boolean"},
            "cycle": {"type": "integer"},
            "waiting": {
                "type": "object",
                "description": "Days the clock ran while waiting on each party: who the delay is on",
                "additionalProperties": {"type": "integer"},
            },
            "pauses": {"type": "array", "items": pause},
            "rolled_days": {
                "type": "array",
                "items": obj({"date": DATE, "reason": {"type": "string"}}),
            },
            "explanation": {"type": "array", "items": {"type": "string"}},
        }
    )
    event = obj(
        {
            "sequence": {"type": "integer"},
            "action": {"type": "string", "enum": list(workflow.ACTIONS)},
            "occurred_on": DATE,
            "recorded_at": DATETIME,
            "actor": {"type": "string", "description": "The recording user's label or email, or `expert`"},
            "actor_role": nullable_str,
            "note": {"type": "string"},
            "party": {"type": ["string", "null"], "enum": [*workflow.PARTIES, None]},
            "from_status": {"type": "string", "enum": list(workflow.STATES)},
            "to_status": {"type": "string", "enum": list(workflow.STATES)},
            "detail": {"type": "object"},
        }
    )
    eligibility = obj(
        {
            "code": {"type": "string"},
            "label": {"type": "string"},
            "passed": {"type": "boolean"},
            "answered": {
                "type": "boolean",
                "description": "false while a declaration the check reads is unanswered (it has not passed either)",
            },
            "reason": {"type": "string"},
            "blocking": {"type": "boolean"},
            "overridable": {"type": "boolean"},
            "overridden": {"type": "boolean"},
        }
    )
    return {
        "Candidate": _group_schema("candidate", for_input=False),
        "Position": _group_schema("position", for_input=False),
        "CandidateInput": _group_schema("candidate", for_input=True),
        "PositionInput": _group_schema("position", for_input=True),
        "Case": case,
        "CaseSummary": case_summary,
        "Clock": clock_schema,
        "Event": event,
        "EligibilityCheck": eligibility,
    }
