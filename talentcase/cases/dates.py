"""Dates on a case: the dates that cannot be right for a case opened on a given day (the candidate's age, an expired
passport, a start before the case began). Plausible years and the YYYY-MM-DD parser are common.dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from talentcase.common.i18n import LocalDay

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
