"""The SLA in the JSON API, declared once for the answers and for /api/v1/openapi.json: a case's clocks, its alerts,
and the officers' summary of clock states."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_dump
from marshmallow.validate import OneOf, Range

from talentcase.common.i18n import translator
from talentcase.common.schemas import HongKongTime, every_field_present
from talentcase.sla import engine
from talentcase.sla.forecast_words import basis_text
from talentcase.sla.results import ClockResult


@every_field_present
class PauseSchema(Schema):
    started_on = fields.Date(data_key="from")
    ended_on = fields.Date(data_key="to", allow_none=True)
    days = fields.Integer()
    party = fields.String()
    extends_due = fields.Boolean()


@every_field_present
class RolledDaySchema(Schema):
    date = fields.Date()
    reason = fields.String()

    @pre_dump
    def from_pair(self, pair: tuple[Any, str], **kwargs: Any) -> dict[str, Any]:
        day, reason = pair
        return {"date": day, "reason": reason}


@every_field_present
class ClockSchema(Schema):
    """One started clock: the engine's result plus the sentences that explain it."""

    target_days = fields.Integer()
    day_kind = fields.String(validate=OneOf(engine.DAY_KINDS))
    started_on = fields.Date()
    due_on = fields.Date()
    stopped_on = fields.Date(allow_none=True)
    stopped_by = fields.String(allow_none=True)
    elapsed_days = fields.Integer()
    paused_days = fields.Integer()
    state = fields.String(validate=OneOf(engine.CLOCK_STATES))
    is_running = fields.Boolean()
    is_paused = fields.Boolean()
    cycle = fields.Integer()
    waiting = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Days the clock ran while waiting on each party: who the delay is on"},
    )
    pauses = fields.List(fields.Nested(PauseSchema))
    rolled_days = fields.List(fields.Nested(RolledDaySchema))
    explanation = fields.Method("explain", metadata={"type": "array", "items": {"type": "string"}})

    def explain(self, result: ClockResult) -> list[str]:
        return result.explanation_lines(translator())


def clocks_field() -> fields.Dict:
    """A case's `sla`: one entry per clock that has started, keyed by the clock's name."""
    return fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ClockSchema),
        metadata={
            "propertyNames": {"enum": list(engine.CLOCK_NAMES)},
            "description": "One entry per clock that has started",
        },
    )


@every_field_present
class AlertSchema(Schema):
    """An SLA alert the sweep raised: each threshold once per run of a clock."""

    clock = fields.String(attribute="clock_name", validate=OneOf(engine.CLOCK_NAMES))
    threshold = fields.String(
        metadata={"description": "`50pct`-style share of the target, `due-2d`-style days before due, or `breach`"}
    )
    cycle = fields.Integer(validate=Range(min=1), metadata={"description": "Which run of the clock (a re-based clock)"})
    threshold_on = fields.Date(metadata={"description": "The day the threshold was crossed"})
    due_on = fields.Date(metadata={"description": "The clock's due date when the alert was raised"})
    created_at = HongKongTime()


def _state_counts() -> fields.Dict:
    """{clock name: {state: how many}}."""
    return fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer(validate=Range(min=0)))
    )


@every_field_present
class CompanyClocksSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    open_cases = fields.Integer()
    clocks = _state_counts()


@every_field_present
class SlaSummarySchema(Schema):
    """Clock states per clock and per company, today."""

    as_of = fields.Date()
    clocks = _state_counts()
    companies = fields.List(fields.Nested(CompanyClocksSchema))


@every_field_present
class EstimateSchema(Schema):
    """An expected date: the median and the 80 % interval around it."""

    median = fields.Date()
    low = fields.Date()
    high = fields.Date()


def _estimate(row: Any, prefix: str, done: bool) -> dict[str, Any] | None:
    # One estimate of a forecast row, or None when the step is done or does not apply.
    if done or getattr(row, f"{prefix}_median_on") is None:
        return None
    return {part: getattr(row, f"{prefix}_{part}_on") for part in ("median", "low", "high")}


@every_field_present
class ForecastSchema(Schema):
    """A case's expected dates, each null once the step is done (or when it does not apply)."""

    quota_granted_on = fields.Nested(EstimateSchema, allow_none=True, metadata={"description": "The quota grant"})
    visa_issued_on = fields.Nested(EstimateSchema, allow_none=True, metadata={"description": "The visa's issue"})
    start_on = fields.Nested(
        EstimateSchema, allow_none=True, metadata={"description": "The earliest first day at work"}
    )
    basis = fields.String(metadata={"description": "What the dates rest on, in a sentence"})
    cases_used = fields.Integer(validate=Range(min=0), metadata={"description": "Past cases compared (0: the pledge)"})

    @pre_dump
    def from_row(self, row: Any, **kwargs: Any) -> dict[str, Any]:
        return {
            "quota_granted_on": _estimate(row, "quota", row.quota_done),
            "visa_issued_on": _estimate(row, "visa", row.visa_done),
            "start_on": _estimate(row, "start", False),
            "basis": basis_text(row),
            "cases_used": row.cases_used,
        }
