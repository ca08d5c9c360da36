"""Cases in the JSON API, declared once: marshmallow schemas that dump the answers, load the requests and (through
apispec) make /api/v1/openapi.json. The particulars' fields come from cases.fields, their one list of names, labels
and limits; their values are judged by cases.schema, the rules the HR form applies too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from marshmallow import Schema, ValidationError, fields, missing, post_load, validates_schema
from marshmallow.validate import Length, OneOf, Range, Regexp

from talentcase.cases import quotas, workflow
from talentcase.cases.fields import DECLARATIONS, FIELDS, FieldSpec
from talentcase.cases.list_schemas import LAST_PAGE, PER_PAGE_MAX
from talentcase.cases.models import Case
from talentcase.cases.schema import TextForNumber
from talentcase.common.roles import Role
from talentcase.common.schemas import HongKongTime, Input, IsoDate, Text, every_field_present
from talentcase.sla.schemas import ForecastSchema, clocks_field

# --- the particulars -----------------------------------------------------------------------------------------------

_KIND_FIELDS: dict[str, type[fields.Field]] = {
    "text": fields.String,
    "email": fields.Email,
    "country": fields.String,
    "date": fields.Date,
    "bool": fields.Boolean,
    "int": fields.Integer,
    "decimal": fields.Float,  # a JSON number, as the clients read it
    "choice": fields.String,
}


def _description(spec: FieldSpec) -> Any:
    if spec.attr not in DECLARATIONS:
        return spec.label
    return LazyString(
        lambda: (
            f"{spec.question} The company's declaration: null until answered, never a default; every one the "
            "submission's policy asks for must be answered (true or false) before `submit`"
        )
    )


def particular_field(spec: FieldSpec, *, nullable: bool) -> fields.Field:
    """The field of one particular, its limits read from the FieldSpec."""
    validators: list[Any] = []
    metadata: dict[str, Any] = {"description": _description(spec)}
    if spec.choices:
        validators.append(OneOf(spec.choices))
    if spec.kind in ("text", "email"):
        validators.append(Length(max=spec.max_length))
    if spec.minimum is not None or spec.maximum is not None:
        validators.append(Range(min=spec.minimum, max=spec.maximum))
    if spec.kind == "country":
        validators.append(Regexp("^[A-Za-z]{2}$"))  # ISO 3166 alpha-2
    if spec.kind == "email":
        metadata["format"] = "idn-email"  # addresses in any script, as the checks accept
    return _KIND_FIELDS[spec.kind](
        validate=validators, allow_none=nullable, metadata=metadata, data_key=spec.name, attribute=spec.attr
    )


def _nullable_answer(spec: FieldSpec) -> bool:
    return (not spec.required and spec.kind in ("date", "int", "decimal")) or spec.attr in DECLARATIONS


class Particular(fields.Raw):
    """One particular as sent, for cases.schema.clean_attrs to judge with every other problem at once; `shape` is
    the field that documents it."""

    def __init__(self, spec: FieldSpec) -> None:
        nullable = _nullable_answer(spec) or (not spec.required and spec.kind != "bool")
        super().__init__(data_key=spec.name, attribute=spec.attr)
        self.spec = spec
        self.shape = particular_field(spec, nullable=nullable)

    def _validate_missing(self, value: Any) -> None:
        if value is not None:  # null reaches clean_attrs, which says what to enter
            super()._validate_missing(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if self.spec.kind in ("int", "decimal") and isinstance(value, str):
            # Numbers are JSON numbers, as the document says ("60000" is refused, not read as a number; the pages'
            # forms send text for all): marked here, refused by the field's check.
            return TextForNumber(value)
        return value


def _answer(spec: FieldSpec) -> fields.Field:
    return particular_field(spec, nullable=_nullable_answer(spec))


def _group(group: str, name: str, make: Any, base: type[Schema] = Schema) -> type[Schema]:
    """`candidate` or `position` as a schema class, one field per FieldSpec of the group made by `make`."""
    declared: dict[str, Any] = {spec.attr: make(spec) for spec in FIELDS if spec.group == group}
    if base is Input:
        declared["error_messages"] = {"type": f"{group} must be an object."}
    return type(name, (base,), declared)


# The answers name every particular (null when it has none); the requests any subset of them.
CandidateSchema = every_field_present(_group("candidate", "Candidate", _answer))
PositionSchema = every_field_present(_group("position", "Position", _answer))
CandidateInputSchema = _group("candidate", "CandidateInput", Particular, Input)
PositionInputSchema = _group("position", "PositionInput", Particular, Input)


# --- answers -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """A case with what its JSON adds to the columns: the clocks, and on the case itself its eligibility checklist
    and the caller's next actions."""

    case: Case
    sla: dict[str, Any]
    eligibility: list[Any] | None = None
    allowed_actions: list[str] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.case, name)


class Columns(fields.Nested):
    """A nested object read from its parent's own attributes (the particulars are columns of the case)."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = missing) -> Any:
        return obj


@every_field_present
class CompanyRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


def _actor(event: Any) -> str:
    if event.actor_label:
        return event.actor_label
    if event.actor_role == Role.EXPERT:
        return "expert"
    return event.actor.email if event.actor is not None else ""


@every_field_present
class EventSchema(Schema):
    """One entry of the event log."""

    sequence = fields.Integer()
    action = fields.String(validate=OneOf(workflow.ACTIONS))
    occurred_on = fields.Date()
    recorded_at = HongKongTime()
    actor = fields.Function(
        _actor, metadata={"type": "string", "description": "The recording user's label or email, or `expert`"}
    )
    actor_role = fields.Function(lambda event: event.actor_role or None, metadata={"type": ["string", "null"]})
    note = fields.Function(lambda event: event.note or "", metadata={"type": "string"})
    party = fields.String(allow_none=True, validate=OneOf(workflow.PARTIES))
    from_status = fields.String(validate=OneOf(workflow.STATES))
    to_status = fields.String(validate=OneOf(workflow.STATES))
    detail = fields.Function(lambda event: dict(event.detail or {}), metadata={"type": "object"})


@every_field_present
class EligibilityCheckSchema(Schema):
    """One row of the eligibility checklist, with whether an officer overrode a failure."""

    code = fields.String(attribute="result.code")
    label = fields.String(attribute="result.label")
    passed = fields.Boolean(attribute="result.passed")
    answered = fields.Boolean(
        attribute="result.is_answered",
        metadata={"description": "false while a declaration the check reads is unanswered (it has not passed either)"},
    )
    reason = fields.String(attribute="result.reason")
    blocking = fields.Boolean(attribute="result.blocking")
    overridable = fields.Boolean(attribute="result.overridable")
    overridden = fields.Function(lambda row: row.override is not None, metadata={"type": "boolean"})


@every_field_present
class OwnerRefSchema(Schema):
    """The owning park officer."""

    id = fields.Integer()
    name = fields.String(attribute="display_name")


@every_field_present
class CaseSummarySchema(Schema):
    """A case in a list: without its events."""

    id = fields.Integer()
    reference = fields.String(metadata={"examples": ["TC-2027-000042"]})
    company = fields.Nested(CompanyRefSchema)
    status = fields.String(validate=OneOf(workflow.STATES))
    paused_party = fields.String(allow_none=True, validate=OneOf(workflow.PARTIES))
    policy_code = fields.String(allow_none=True)
    opened_on = fields.Date()
    submitted_on = fields.Date(allow_none=True)
    quota_place = fields.String(allow_none=True, validate=OneOf(("reserved", "used")))
    owner = fields.Nested(
        OwnerRefSchema, allow_none=True, metadata={"description": "The owning park officer; null before submission"}
    )
    candidate = Columns(CandidateSchema)
    position = Columns(PositionSchema)
    sla = clocks_field()
    forecast = fields.Nested(
        ForecastSchema,
        attribute="forecast_row",
        allow_none=True,
        metadata={"description": "Expected dates of an open, submitted case; null for a draft or a closed case"},
    )
    created_at = HongKongTime()
    updated_at = HongKongTime()


@every_field_present
class CaseSchema(CaseSummarySchema):
    """One case with its events, its eligibility checklist and what the caller may do next."""

    events = fields.List(fields.Nested(EventSchema))
    eligibility = fields.List(fields.Nested(EligibilityCheckSchema))
    allowed_actions = fields.List(fields.String(validate=OneOf(workflow.ACTIONS)))


@every_field_present
class CaseListSchema(Schema):
    items = fields.List(fields.Nested(CaseSummarySchema))
    total = fields.Integer(validate=Range(min=0))
    page = fields.Integer(validate=Range(min=1, max=LAST_PAGE))
    per_page = fields.Integer(validate=Range(min=1, max=PER_PAGE_MAX))


# --- requests ------------------------------------------------------------------------------------------------------


class CaseInputSchema(Input):
    """POST (both objects) and PATCH (any subset; no `opened_on`) bodies: the particulars as model attributes."""

    candidate = fields.Nested(CandidateInputSchema, allow_none=True)
    position = fields.Nested(PositionInputSchema, allow_none=True)
    # Passed on as sent: the service checks the opening day with the particulars, to answer every problem at once.
    opened_on = fields.Raw(
        allow_none=True, metadata={"type": "string", "format": "date", "description": "POST only; default today"}
    )

    @post_load
    def as_attributes(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        values = {**(data.get("candidate") or {}), **(data.get("position") or {})}
        return {"values": values, "opened_on": data.get("opened_on")}


ACTION_MESSAGE = f"Say which action: one of {', '.join(workflow.ACTIONS)}."
QUOTA_KEYS = ("quota_places", "quota_valid_until", "quota_reference")  # only with grant_quota


class EventInputSchema(Input):
    """An action on the case, with the date it really happened; take_action judges the values."""

    action = fields.String(
        required=True,
        validate=Length(min=1, error=ACTION_MESSAGE),
        error_messages={"required": ACTION_MESSAGE, "null": ACTION_MESSAGE, "invalid": ACTION_MESSAGE},
        metadata={"enum": list(workflow.ACTIONS)},
    )
    occurred_on = IsoDate(
        allow_none=True, metadata={"description": "Default today; never future, never before the last event"}
    )
    note = Text(
        allow_none=True,
        metadata={
            "maxLength": 5000,
            "description": "Required (not blank) for request_info (what is needed), reject and withdraw (why)",
        },
    )
    party = Text(allow_none=True, metadata={"enum": [*workflow.PARTIES, None]})
    quota_places = fields.Integer(
        strict=True,
        allow_none=True,
        error_messages={"invalid": "Must be a whole number."},
        metadata={"minimum": 1, "maximum": quotas.MAX_PLACES_A_YEAR},
    )
    quota_valid_until = IsoDate(allow_none=True)
    quota_reference = Text(allow_none=True, metadata={"maxLength": 60})

    @validates_schema
    def only_with_their_action(self, data: dict[str, Any], **kwargs: Any) -> None:
        wrong: dict[str, str] = {}
        if data["action"] != "grant_quota":
            wrong = {key: "Only for the grant_quota action." for key in QUOTA_KEYS if data.get(key) is not None}
        if data.get("party") is not None and data["action"] != "request_info":
            wrong["party"] = "Only for the request_info action."
        if wrong:
            raise ValidationError(wrong)

    @post_load
    def as_arguments(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """take_action's keyword arguments."""
        return {
            "action": data["action"],
            "occurred_on": data.get("occurred_on"),
            "note": data.get("note") or "",
            "party": data.get("party"),
            "detail": {key: data[key] for key in QUOTA_KEYS if data.get(key) is not None},
        }
