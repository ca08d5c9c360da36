"""The state of a clock: one rule, written here twice side by side, in Python for the engine and in SQL over the
cached clock rows (lists, filters, counts, the export and the API read the SQL one).

DESIGN.md: a clock is `met` when it stopped on or before its due date and `breached` when it stopped after it or is
past it while running or paused (a pause never hides a breach; `is_paused` is shown beside it); otherwise a paused
clock is `paused`, a running one `at_risk` once its elapsed days reach the at-risk share of the target, else
`on_track`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, literal, or_

from talentcase.sla.models import CaseClock

STATES = ("on_track", "at_risk", "breached", "paused", "met")
# The states a running clock can be in (the filters and counts over running clocks).
RUNNING_STATES = ("on_track", "at_risk", "breached", "paused")


def clock_state(
    *,
    today: date,
    due_on: date,
    stopped_on: date | None,
    is_paused: bool,
    elapsed_days: int,
    target_days: int,
    at_risk_ratio: float,
) -> str:
    """The state of a clock on `today` (the Python rule)."""
    if stopped_on is not None:
        return "met" if stopped_on <= due_on else "breached"
    if today > due_on:
        return "breached"
    if is_paused:
        return "paused"
    if elapsed_days >= at_risk_ratio * target_days:
        return "at_risk"
    return "on_track"


# --- the same rule in SQL over the cached rows ---------------------------------------------------------------------
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
