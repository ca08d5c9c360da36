"""Set-based SQL over the cached clock rows (the state of every clock on any day, without Python recompute), and
the calendar's closure days and the SLA policies as the administration lists them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select

from talentcase.extensions import db
from talentcase.sla.models import CaseClock, ClosureDay, SlaPolicy
from talentcase.sla.states import RUNNING_STATES, STATES

__all__ = [
    "RUNNING_STATES",
    "STATES",
    "case_has_running_clock_in_state",
    "current_state",
    "running_state",
    "running_state_is",
    "state_counts",
]


# --- talentcase.sla.states.clock_state in SQL over the cached rows ---------------------------
# A running row's state on a later day follows from its dates, except while it is paused: a pause that began on or
# before the due date moves the due date on with every paused day (the engine never lets it pass while the pause
# lasts), so the row stays `paused`; one that began after the due date moves nothing, so the row was cached
# `breached` and stays so. Either way a paused row keeps the state it was cached with, until the answer refreshes it.


def running_state(today: date) -> ColumnElement[str]:
    """The state on `today` of a running clock row (`clock_state` in SQL)."""
    return case(
        (CaseClock.is_paused.is_(True), CaseClock.state),
        (CaseClock.due_on < today, literal("breached")),
        (CaseClock.at_risk_on <= today, literal("at_risk")),
        else_=literal("on_track"),
    )


def current_state(today: date) -> ColumnElement[str]:
    """The state on `today` of any clock row: a stopped clock keeps the state it stopped with."""
    return case((CaseClock.is_running.is_(False), CaseClock.state), else_=running_state(today))


def running_state_is(state: str, today: date) -> ColumnElement[bool]:
    """`running_state(today) == state` for running rows, written as plain comparisons on the columns of the running
    clocks' covering index (officers/models.py), so that a planner reads that index alone instead of every row."""
    unpaused = CaseClock.is_paused.is_(False)
    if state == "paused":
        return and_(CaseClock.is_paused.is_(True), CaseClock.state == "paused")
    if state == "breached":
        return or_(
            and_(unpaused, CaseClock.due_on < today),
            and_(CaseClock.is_paused.is_(True), CaseClock.state == "breached"),
        )
    if state == "at_risk":
        return and_(unpaused, CaseClock.due_on >= today, CaseClock.at_risk_on <= today)
    return and_(unpaused, CaseClock.due_on >= today, CaseClock.at_risk_on > today)


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
    for name, state_value, count in db.session.execute(stmt):
        counts.setdefault(name, dict.fromkeys(STATES, 0))[state_value] = count
    return counts


def closure_days() -> list[ClosureDay]:
    """Every closure day recorded, latest first."""
    return list(db.session.scalars(select(ClosureDay).order_by(ClosureDay.day.desc())))


def sla_policies() -> list[SlaPolicy]:
    """Every SLA policy, the latest to take effect first (the first is the one in force or scheduled)."""
    return list(db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.effective_from.desc(), SlaPolicy.id.desc())))
