"""The state of a clock: the rule in Python, for the engine. Its SQL twin over the cached clock rows (which lists,
filters, counts, the export and the API read) is `talentcase.sla.queries.running_state`, kept beside the SQL it
serves because the SLA core imports no SQLAlchemy (the import contract "sla-core-pure"); the property tests in
tests/sla/test_breach_while_paused.py hold the two equal.

DESIGN.md: a clock is `met` when it stopped on or before its due date and `breached` when it stopped after it or is
past it while running or paused (a pause never hides a breach; `is_paused` is shown beside it); otherwise a paused
clock is `paused`, a running one `at_risk` once its elapsed days reach the at-risk share of the target, else
`on_track`.
"""

from __future__ import annotations

from datetime import date

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
