"""Set-based SQL over the cached clock rows: the state of every clock on any day, without Python recompute."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, select

from talentcase.sla.models import CaseClock
from talentcase.sla.states import STATES, current_state

__all__ = ["STATES", "case_has_running_clock_in_state", "current_state", "state_counts"]


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
