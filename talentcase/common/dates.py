"""Dates as people type them: plausible years, and one strict YYYY-MM-DD parser with messages fit for the person."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def is_plausible_date(value: date) -> bool:
    """A date a person could mean on a case: one outside these years is a typing slip (and near year 9999 the date
    sums, such as six months after the start, would fail)."""
    return EARLIEST_DATE <= value <= LATEST_DATE


def implausible_date_message():
    """What to say about a date that is not plausible."""
    return _l("Use a date between %(first)s and %(last)s.", first=EARLIEST_DATE.year, last=LATEST_DATE.year)


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
