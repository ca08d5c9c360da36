"""Alert thresholds of a clock as dates: pure calculation, no database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from talentcase.sla import engine
from talentcase.sla.calendar import HKCalendar

BREACH = "breach"
DEFAULT_PERCENTAGES = (50, 75)
DEFAULT_DAYS_BEFORE_DUE = (2,)


@dataclass(frozen=True)
class ThresholdSettings:
    percentages: tuple[int, ...] = DEFAULT_PERCENTAGES
    days_before_due: tuple[int, ...] = DEFAULT_DAYS_BEFORE_DUE


def percent_code(percent: int) -> str:
    return f"{percent}pct"


def days_before_code(days: int) -> str:
    return f"due-{days}d"


def severity(code: str) -> tuple[int, int]:
    """Ordering from mild to severe: percentages, then days before due (fewer is worse), then the breach."""
    if code == BREACH:
        return (3, 0)
    if code.startswith("due-"):
        return (2, -int(code[4:-1]))
    return (1, int(code[:-3]))


def rank(code: str) -> int:
    """`severity` as one integer, for SQL: a higher rank is more severe (percentages 1-99, days before due 1-999)."""
    kind, value = severity(code)
    return {1: 1000 + value, 2: 3000 + value, 3: 4000}[kind]


def threshold_dates(
    *,
    started_on: date,
    target_days: int,
    day_kind: str,
    paused_days: int,
    due_on: date,
    settings: ThresholdSettings,
    calendar: HKCalendar,
) -> dict[str, date]:
    """The first day on which each threshold counts as crossed."""
    dates: dict[str, date] = {}
    for percent in settings.percentages:
        needed = math.ceil(percent / 100 * target_days) + paused_days
        if day_kind == engine.WORKING:
            dates[percent_code(percent)] = engine.add_working_days(started_on, needed, calendar)
        else:
            dates[percent_code(percent)] = started_on + timedelta(days=needed)
    for days in settings.days_before_due:
        dates[days_before_code(days)] = due_on - timedelta(days=days)
    dates[BREACH] = due_on + timedelta(days=1)
    return dates


def next_pending(dates: dict[str, date], done: set[str]) -> tuple[date, str] | None:
    """The earliest threshold not yet alerted (ties: the more severe first)."""
    pending = [(day, code) for code, day in dates.items() if code not in done]
    if not pending:
        return None
    return min(pending, key=lambda item: (item[0], -severity(item[1])[0], -severity(item[1])[1]))
