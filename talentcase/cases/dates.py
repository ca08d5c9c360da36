"""Dates on a case: plausible years, one strict YYYY-MM-DD parser, and the dates that cannot be right for a case
opened on a given day (the candidate's age, an expired passport, a start before the case began)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from talentcase.common.i18n import LocalDay

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def is_plausible_date(value: date) -> bool:
    """A date a person could mean on a case: one outside these years is a typing slip (and near year 9999 the date
    sums, such as six months after the start, would fail)."""
    return EARLIEST_DATE <= value <= LATEST_DATE


def implausible_date_message():
    """What to say about a date that is not plausible."""
    return _l("Use a date between %(first)s and %(last)s.", first=EARLIEST_DATE.year, last=LATEST_DATE.year)


# A candidate's age on the day the case opened. TechTAS sets no age limit; these bounds catch typing slips (2026 for
# 1996, 1926 for 1996) and a date of birth put in the wrong field, while letting any working-age expert through.
YOUNGEST_AGE, OLDEST_AGE = 18, 80


def age_on(born: date, day: date) -> int:
    """Whole years from the date of birth to the day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def date_problems(values: dict[str, Any], opened_on: date) -> dict[str, str]:
    """Dates that cannot be right for a case opened on that day: the candidate's age, a passport already expired, an
    intended start before the case began (a start before today is fine: a case may be entered late with its real
    dates). Only the dates given are checked."""
    problems: dict[str, str] = {}
    day = LocalDay(opened_on)
    born = values.get("date_of_birth")
    if born and age_on(born, opened_on) < YOUNGEST_AGE:
        problems["date_of_birth"] = _l(
            "The candidate must be at least %(n)d on the day the case opened (%(day)s). Check the date of birth.",
            n=YOUNGEST_AGE,
            day=day,
        )
    elif born and age_on(born, opened_on) > OLDEST_AGE:
        problems["date_of_birth"] = _l(
            "The candidate would be over %(n)d on the day the case opened (%(day)s). Check the year of the date of "
            "birth.",
            n=OLDEST_AGE,
            day=day,
        )
    expiry = values.get("passport_expiry_on")
    if expiry and expiry < opened_on:
        problems["passport_expiry_on"] = _l(
            "The passport expiry date must be on or after the day the case opened (%(day)s). Enter the expiry date of "
            "the passport the candidate holds now.",
            day=day,
        )
    start = values.get("intended_start_on")
    if start and start < opened_on:
        problems["intended_start_on"] = _l(
            "The intended start date must be on or after the day the case opened (%(day)s).", day=day
        )
    return {name: str(message) for name, message in problems.items()}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(raw: Any) -> date:
    """A date given as YYYY-MM-DD (or a date), whatever its year; raise ValueError with a message fit for the person."""
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise ValueError(_l("Use a date in the form YYYY-MM-DD."))
    # date.fromisoformat alone would also take 20260320 and 2026-W12-5; the form and the API promise YYYY-MM-DD.
    text = raw.strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(_l("Use a real date in the form YYYY-MM-DD.")) from error


def parse_date(raw: Any) -> date:
    """A plausible date given as YYYY-MM-DD (or a date); raise ValueError with a message fit for the person."""
    value = iso_date(raw)
    if not is_plausible_date(value):
        raise ValueError(implausible_date_message())
    return value
