"""Set-based SQL over the cached clock rows (the state of every clock on any day, without Python recompute), and
the calendar's closure days and the SLA policies as the administration lists them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, select

from talentcase.extensions import db
from talentcase.sla.models import CaseClock, ClosureDay, SlaPolicy

STATES = ("on_track", "at_risk", "breached", "paused", "met")


def current_state(today: date) -> ColumnElement[str]:
    """The state of a clock row on `today`: stopped clocks keep theirs, running ones follow from their dates."""
    return case(
        (CaseClock.is_running.is_(False), CaseClock.state),
        (CaseClock.is_paused.is_(True), "paused"),
        (CaseClock.due_on < today, "breached"),
        (CaseClock.at_risk_on <= today, "at_risk"),
        else_="on_track",
    )


def case_has_running_clock_in_state(case_id_column, state: str, today: date) -> ColumnElement[bool]:
    """EXISTS a running clock of the case in this state today (the API's `sla` filter)."""
    return exists(
        select(CaseClock.id).where(
            and_(CaseClock.case_id == case_id_column, CaseClock.is_running.is_(True), current_state(today) == state)
        )
    )


def state_counts(today: date, case_filter=None) -> dict[str, dict[str, int]]:
    """Counts per clock and state today: {"review": {"on_track": 3, ...}, ...}."""
    state = current_state(today).label("state")
    stmt = select(CaseClock.name, state, func.count()).group_by(CaseClock.name, state)
    if case_filter is not None:
        stmt = stmt.where(CaseClock.case_id.in_(case_filter))
    counts: dict[str, dict[str, int]] = {}
    from talentcase.extensions import db

    for name, state_value, count in db.session.execute(stmt):
        counts.setdefault(name, dict.fromkeys(STATES, 0))[state_value] = count
    return counts


def closure_days() -> list[ClosureDay]:
    """Every closure day recorded, latest first."""
    return list(db.session.scalars(select(ClosureDay).order_by(ClosureDay.day.desc())))


def sla_policies() -> list[SlaPolicy]:
    """Every SLA policy, the latest to take effect first (the first is the one in force or scheduled)."""
    return list(db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.effective_from.desc(), SlaPolicy.id.desc())))
