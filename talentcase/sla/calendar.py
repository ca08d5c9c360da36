"""Hong Kong days: Sundays and gazetted general holidays (common.hkdays), plus closure days an admin records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from talentcase.common.hkdays import DEFAULT_LANGUAGE, general_holidays
from talentcase.common.text import N_

SUNDAY_REASON = N_("Sunday")

SUNDAY = 6
SATURDAY = 5


class HKCalendar:
    """Which Hong Kong days count: working days, general holidays (incl. Sundays) and recorded closure days."""

    __slots__ = ("_closures", "_language", "_years")

    def __init__(self, closures: Mapping[date, str] | None = None, *, language: str = DEFAULT_LANGUAGE) -> None:
        # Copied so that a later change to the caller's mapping cannot change answers already given.
        self._closures: dict[date, str] = dict(closures or {})
        self._language = language
        self._years: dict[int, Mapping[date, str]] = {}

    @property
    def closures(self) -> Mapping[date, str]:
        """The recorded closure days (typhoon signal 8+, black rainstorm) and their reasons."""
        return MappingProxyType(self._closures)

    def _holidays_of(self, year: int) -> Mapping[date, str]:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = general_holidays(year, self._language)
        return found

    def holiday_name(self, d: date) -> str | None:
        """The gazetted general holiday on d (not counting plain Sundays), or None."""
        return self._holidays_of(d.year).get(d)

    def general_holiday_reason(self, d: date) -> str | None:
        """Why d is a general holiday: the holiday's name, "Sunday", or None when it is not one."""
        name = self._holidays_of(d.year).get(d)
        if name is not None:
            return name
        return SUNDAY_REASON if d.weekday() == SUNDAY else None

    def closure_reason(self, d: date) -> str | None:
        """The recorded closure on d (e.g. "Typhoon signal 8"), or None."""
        return self._closures.get(d)

    def non_running_reason(self, d: date) -> str | None:
        """Why a period may not end on d (general holiday, Sunday or closure), or None when it may."""
        return self.general_holiday_reason(d) or self._closures.get(d)

    def is_working_day(self, d: date) -> bool:
        """True for Monday to Friday that is neither a general holiday nor a closure day."""
        return d.weekday() < SATURDAY and d not in self._holidays_of(d.year) and d not in self._closures
