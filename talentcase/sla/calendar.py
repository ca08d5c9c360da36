"""Hong Kong days: Sundays and gazetted general holidays (from `holidays`), plus closure days an admin records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

from talentcase.common.text import N_

# In `holidays.HongKong` the OPTIONAL category is the General Holidays Ordinance (Cap. 149) list, i.e. the gazetted
# general holidays (including Good Friday and the day following it); PUBLIC is the shorter statutory list of the
# Employment Ordinance. Neither lists plain Sundays, which are general holidays by law, so Sundays are added here.
GENERAL_HOLIDAY_CATEGORY = holidays.OPTIONAL
# en_HK gives the names as gazetted in Hong Kong ("Lunar New Year's Day", "Ching Ming Festival", ...); zh_HK the
# official Traditional Chinese names ("農曆年初一", "清明節", ...).
DEFAULT_LANGUAGE = "en_HK"
HOLIDAY_LANGUAGES = {"en": "en_HK", "zh_Hant_HK": "zh_HK"}
SUNDAY_REASON = N_("Sunday")

SUNDAY = 6
SATURDAY = 5
# The kinds of closure day an admin records, with the reason a deadline rolled past one ("<kind> — <note>").
CLOSURE_KINDS: Mapping[str, str] = MappingProxyType(
    {"typhoon8": N_("Typhoon signal 8 or above"), "black_rainstorm": N_("Black rainstorm warning")}
)
# Between a closure's kind and the admin's own note. The reason is shown in brackets ("… (<reason>), so …") and a
# note often has brackets of its own: a dash keeps the two apart instead of nesting a third pair.
CLOSURE_NOTE_SEPARATOR = " — "


def closure_reason(kind_name: str, note: str = "") -> str:
    """Why a closure day does not count: its kind (in English, translated when shown), then the admin's note."""
    return kind_name + CLOSURE_NOTE_SEPARATOR + note if note else kind_name


@lru_cache(maxsize=256)
def _general_holidays(year: int, language: str) -> Mapping[date, str]:
    # Built once per (year, language) per process; the result is read-only so it can be shared safely.
    found = holidays.country_holidays("HK", years=year, categories=(GENERAL_HOLIDAY_CATEGORY,), language=language)
    return MappingProxyType(dict(found.items()))


def holiday_language(locale: str | None) -> str:
    """The `holidays` language for an app locale (en, zh_Hant_HK), English for any other."""
    return HOLIDAY_LANGUAGES.get(str(locale or ""), DEFAULT_LANGUAGE)


def holiday_name_in(d: date, language: str) -> str | None:
    """The gazetted general holiday on d named in `language` (a `holidays` language code), or None."""
    return _general_holidays(d.year, language).get(d)


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
            found = self._years[year] = _general_holidays(year, self._language)
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
