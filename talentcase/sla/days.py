"""Day arithmetic on the Hong Kong calendar: calendar periods rolled forward off non-running days, working days.

Pure functions of dates and an `HKCalendar`; the engine builds its clocks on them and the threshold days use them too.
"""

from __future__ import annotations

from datetime import date, timedelta

from talentcase.common.text import N_
from talentcase.sla.calendar import SATURDAY, HKCalendar

ONE_DAY = timedelta(days=1)


def calendar_due(start: date, target: int, paused: int, cal: HKCalendar) -> tuple[date, list[tuple[date, str]]]:
    """Start + target + paused days, rolled forward past Sundays, general holidays and closures (each with reason)."""
    due = start + timedelta(days=target + paused)
    rolled: list[tuple[date, str]] = []
    # Interpretation and General Clauses Ordinance: a period ending on such a day runs on to the next day that is none.
    while (reason := cal.non_running_reason(due)) is not None:
        rolled.append((due, reason))
        due += ONE_DAY
    return due, rolled


def add_working_days(start: date, n: int, cal: HKCalendar) -> date:
    """The n-th working day after start (start itself when n <= 0)."""
    d = start
    while n > 0:
        d += ONE_DAY
        if cal.is_working_day(d):
            n -= 1
    return d


def working_due(start: date, target: int, paused_working: int, cal: HKCalendar) -> date:
    """The (target + paused working days)-th working day after start."""
    return add_working_days(start, target + paused_working, cal)


def count_working_days(after: date, upto: date, cal: HKCalendar) -> int:
    """How many working days d there are with after < d <= upto."""
    count = 0
    d = after + ONE_DAY
    while d <= upto:
        if cal.is_working_day(d):
            count += 1
        d += ONE_DAY
    return count


def skipped_weekdays(start: date, due: date, cal: HKCalendar) -> list[tuple[date, str]]:
    """Monday-to-Friday days in (start, due] that were not working days, with the reason."""
    skipped = []
    d = start + ONE_DAY
    while d <= due:
        if d.weekday() < SATURDAY and not cal.is_working_day(d):
            skipped.append((d, cal.non_running_reason(d) or N_("not a working day")))
        d += ONE_DAY
    return skipped
