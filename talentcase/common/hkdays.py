"""Hong Kong's days off by law, as facts: the gazetted general holidays (from `holidays`) named in English or
Chinese, and the kinds of closure day (typhoon signal 8, black rainstorm). The SLA calendar counts with them; the
ground floor names them in the reader's language."""

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
def general_holidays(year: int, language: str) -> Mapping[date, str]:
    """The gazetted general holidays of a year (not plain Sundays), named in `language` (a `holidays` code)."""
    # Built once per (year, language) per process; the result is read-only so it can be shared safely.
    found = holidays.country_holidays("HK", years=year, categories=(GENERAL_HOLIDAY_CATEGORY,), language=language)
    return MappingProxyType(dict(found.items()))


def holiday_language(locale: str | None) -> str:
    """The `holidays` language for an app locale (en, zh_Hant_HK), English for any other."""
    return HOLIDAY_LANGUAGES.get(str(locale or ""), DEFAULT_LANGUAGE)


def holiday_name_in(d: date, language: str) -> str | None:
    """The gazetted general holiday on d named in `language` (a `holidays` language code), or None."""
    return general_holidays(d.year, language).get(d)
