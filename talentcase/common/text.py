"""Sentences that pure code returns untranslated (a catalogue msgid and its parameters) and the app translates where
it shows them, so the SLA engine and the state machine stay free of Flask and still speak the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


def N_(msgid: str) -> str:
    """Mark msgid for extraction (`pybabel extract` knows N_) without translating it here."""
    return msgid


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def english_long_date(d: date) -> str:
    """E.g. "Friday 3 April 2026", spelled out by hand so the text does not depend on the process locale."""
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Translator:
    """How to turn a Msg into text: catalogue look-ups (templates, not yet %-formatted), dates, day reasons."""

    gettext: Callable[[str], str] = N_
    ngettext: Callable[[str, str, int], str] = lambda singular, plural, n: singular if n == 1 else plural
    long_date: Callable[[date], str] = english_long_date
    # Why a day is not counted (a holiday's name, "Sunday", a closure): the names come from data, not the catalogue.
    day_reason: Callable[[date, str], str] = lambda day, reason: reason


ENGLISH = Translator()


@dataclass(frozen=True)
class DayReason:
    """Why `day` does not count, as the calendar named it (in English); translated by Translator.day_reason."""

    day: date
    reason: str

    def render(self, tr: Translator) -> str:
        """The reason in the translator's language."""
        return tr.day_reason(self.day, self.reason)


@dataclass(frozen=True)
class Msg:
    """A translatable sentence: msgid (with `plural` and count `n` for a plural one) and named parameters, which
    may be further Msg, dates (written long) or plain values."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int = 1

    @classmethod
    def gettext(cls, msgid: str, **params: Any) -> Msg:
        """A sentence translated later (named like gettext so that `pybabel extract` finds the msgid)."""
        return cls(msgid, tuple(params.items()))

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, **params: Any) -> Msg:
        """A sentence with a count, translated later; the count is the parameter `num` (as in Flask-Babel)."""
        return cls(singular, tuple({"num": n, **params}.items()), plural, n)

    def render(self, tr: Translator = ENGLISH) -> str:
        """The sentence in the translator's language (English with the default translator)."""
        template = tr.gettext(self.msgid) if self.plural is None else tr.ngettext(self.msgid, self.plural, self.n)
        if not self.params:
            return template
        return template % {name: _render_value(value, tr) for name, value in self.params}

    def __str__(self) -> str:
        return self.render()


def _render_value(value: Any, tr: Translator) -> Any:
    if isinstance(value, Msg | DayReason):
        return value.render(tr)
    if isinstance(value, date):
        return tr.long_date(value)
    return value
