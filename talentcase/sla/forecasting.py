"""Keeping the expected dates current: each case's journey row and forecast row, on every event and nightly.

The calculation is talentcase.sla.forecast (pure); this module reads the history (the journeys of cases whose visa
was issued) and writes the rows. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlalchemy import delete, select

from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.sla import forecast
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.forecast import MILESTONE_OF_ACTION, MILESTONES, Estimate, Forecast, Journey, Step
from talentcase.sla.models import CaseForecast, CaseJourney
from talentcase.sla.services import load_calendar

_COLUMN = {name: f"{name}_on" for name in MILESTONES}


def journey_of(case: Case) -> Journey:
    """The case's way so far, from its event log."""
    milestones: dict[str, date] = {}
    asked: list[date] = []
    has_quota_step: bool | None = None
    for event in case.events:
        name = MILESTONE_OF_ACTION.get(event.action)
        if name is not None and name not in milestones:
            milestones[name] = event.occurred_on
        if event.action == "request_info":
            asked.append(event.occurred_on)
        if event.action == "accept":
            has_quota_step = event.to_status != workflow.VISA_PREP
    return Journey(case.company.park or "", case.policy_code, milestones, tuple(asked), has_quota_step)


def _row_journey(row: CaseJourney) -> Journey:
    milestones = {name: getattr(row, column) for name, column in _COLUMN.items() if getattr(row, column)}
    asked = tuple(date.fromisoformat(day) for day in row.info_requests or ())
    return Journey(row.park, row.policy_code, milestones, asked, row.has_quota_step)


def store_journey(journey: Journey, row: CaseJourney) -> CaseJourney:
    """Write a journey into its row."""
    row.park, row.policy_code, row.has_quota_step = journey.park, journey.policy_code, journey.has_quota_step
    for name, column in _COLUMN.items():
        setattr(row, column, journey.milestones.get(name))
    row.info_requests = [day.isoformat() for day in journey.info_requests]
    return row


def record_journey(case: Case) -> Journey:
    """Bring the case's journey row up to date with its events."""
    journey = journey_of(case)
    row = db.session.scalar(select(CaseJourney).where(CaseJourney.case_id == case.id))
    if row is None:
        row = CaseJourney(case_id=case.id)
        db.session.add(row)
    store_journey(journey, row)
    return journey


def history_steps(calendar: HKCalendar) -> dict[tuple[str, str], list[Step]]:
    """The steps of every finished journey (visa issued), the history forecasts are drawn from."""
    rows = db.session.scalars(select(CaseJourney).where(CaseJourney.visa_issued_on.is_not(None)))
    return forecast.past_steps((_row_journey(row) for row in rows), calendar)


def _put(row: CaseForecast, prefix: str, estimate: Estimate | None) -> None:
    for part in ("median", "low", "high"):
        setattr(row, f"{prefix}_{part}_on", getattr(estimate, part) if estimate else None)


def store_forecast(case_id: int, result: Forecast, today: date) -> CaseForecast:
    """Write a case's forecast into its row."""
    row = db.session.get(CaseForecast, case_id) or CaseForecast(case_id=case_id)
    if row not in db.session:
        db.session.add(row)
    row.computed_on = today
    _put(row, "quota", result.quota_granted_on)
    _put(row, "visa", result.visa_issued_on)
    _put(row, "start", result.start_on)
    row.quota_done = bool(result.quota_granted_on and result.quota_granted_on.is_actual)
    row.visa_done = bool(result.visa_issued_on and result.visa_issued_on.is_actual)
    basis = result.basis
    row.cases_used = basis.cases_used
    row.basis = {
        "since": basis.since,
        "conditions": dict(basis.conditions),
        "elapsed_days": basis.elapsed_days,
        "is_pledge": basis.is_pledge,
    }
    return row


def refresh_case(
    case: Case,
    *,
    today: date | None = None,
    calendar: HKCalendar | None = None,
    steps: Mapping[tuple[str, str], Sequence[Step]] | None = None,
) -> CaseForecast | None:
    """Recompute one case's journey and forecast (none for a draft or a closed case: its row goes)."""
    today = today or clock.today()
    calendar = calendar or load_calendar()
    journey = record_journey(case)
    if case.status not in workflow.SUBMITTED_STATES and case.status != workflow.APPROVED:
        db.session.execute(delete(CaseForecast).where(CaseForecast.case_id == case.id))
        return None
    steps = steps if steps is not None else history_steps(calendar)
    result = forecast.forecast_case(journey, steps, today=today, calendar=calendar, travel_days=case.travel_days)
    return store_forecast(case.id, result, today)


def refresh_open_cases(today: date | None = None, batch: Iterable[Case] | None = None) -> int:
    """Recompute the forecast of every open case (the nightly job), reading the history once."""
    today = today or clock.today()
    calendar = load_calendar()
    steps = history_steps(calendar)
    open_states = (*workflow.SUBMITTED_STATES, workflow.APPROVED)
    cases = batch if batch is not None else db.session.scalars(select(Case).where(Case.status.in_(open_states)))
    count = 0
    for case in cases:
        refresh_case(case, today=today, calendar=calendar, steps=steps)
        count += 1
    return count


def rebuild_journeys() -> int:
    """Rewrite the journey row of every case from its events (imported history rows stay)."""
    count = 0
    for case in db.session.scalars(select(Case).where(Case.status != workflow.DRAFT)):
        record_journey(case)
        count += 1
    return count


def set_travel_days(case: Case, days: int) -> CaseForecast | None:
    """Set the days HR expect from the visa's issue to the first day at work, and the start date with them."""
    case.travel_days = days
    return refresh_case(case)
