"""Choosing the language of a page: explicit choice, then the user's preference, then the browser."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel import dates as babel_dates
from babel.lists import format_list
from flask import current_app, has_app_context, request, session
from flask_babel import LazyString, format_currency, get_locale, get_timezone, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentcase.common import clock
from talentcase.common.forms import use_our_wtforms_translations
from talentcase.common.hkdays import (
    CLOSURE_KINDS,
    CLOSURE_NOTE_SEPARATOR,
    DEFAULT_LANGUAGE,
    holiday_language,
    holiday_name_in,
)
from talentcase.common.text import ENGLISH, Msg, Translator, english_long_date

LANGUAGE_NAMES = {"en": "English", "zh_Hant_HK": "繁體中文"}
# How browsers name the languages we have, for Accept-Language.
BROWSER_LANGUAGES = ["en", "zh-HK", "zh-TW", "zh-Hant", "zh"]
# Who did something, when it was not a user: the fixed labels stored with the record (e.g. portal.timeline.EXPERT on
# an upload through the expert's link), named in words when shown.
ACTOR_NAMES = {"expert": _l("the expert")}


def normalise_language(code: str | None) -> str | None:
    """Map browser and API spellings (zh-Hant, zh-HK, zh_TW) to a supported locale, or None."""
    if not code:
        return None
    code = code.replace("-", "_")
    if code.lower().startswith("zh"):
        return "zh_Hant_HK"
    if code.lower().startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    """Flask-Babel locale selector: this browser's explicit choice, the user's saved choice, then the browser."""
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalise_language(session.get("lang"))
    if chosen:
        return chosen
    if getattr(current_user, "is_authenticated", False):
        preferred = normalise_language(current_user.preferred_language)
        if preferred:  # None: the user never chose, so the browser's language is theirs
            return preferred
    return browser_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def browser_language() -> str | None:
    """The supported locale the browser's Accept-Language prefers, or None when it names none of ours."""
    return normalise_language(request.accept_languages.best_match(BROWSER_LANGUAGES))


def _make_lazy_strings_plain_text() -> None:
    """Flask-Babel marks lazy strings as safe HTML (`__html__`), so Jinja would not escape them; ours often carry
    user data (e.g. "Travel document: %(name)s"), so they must be escaped like any other text."""
    from flask_babel.speaklater import LazyString

    if "__html__" in LazyString.__dict__:
        del LazyString.__html__


_make_lazy_strings_plain_text()
use_our_wtforms_translations()  # WTForms' own messages in Traditional Chinese for zh_Hant_HK, not Simplified


def json_provider_class():
    """Flask's JSON provider, taught that lazy strings are text (it used to rely on their __html__) and that a body
    nested too deeply to parse is malformed."""
    from flask.json.provider import DefaultJSONProvider
    from flask_babel.speaklater import LazyString

    class Provider(DefaultJSONProvider):
        @staticmethod
        def default(o):
            if isinstance(o, LazyString):
                return str(o)
            return DefaultJSONProvider.default(o)

        def loads(self, s, **kwargs):
            # A body nested thousands deep ("[[[[…") exhausts Python's recursion: a malformed body like any other
            # (request.get_json turns a ValueError into a 400), not a server error.
            try:
                return super().loads(s, **kwargs)
            except RecursionError as error:
                raise ValueError("the JSON is nested too deeply") from error

    return Provider


# English dates in Hong Kong (and British) order, with CLDR's plain English month abbreviations ("Sep", not "Sept").
ENGLISH_DAY = "d MMM y"
ENGLISH_MOMENT = "d MMM y, h:mm:ss a"


def _reader_locale() -> Locale:
    return (get_locale() if has_app_context() else None) or Locale("en")


def day_text(day: date | None) -> str:
    """A date for people, the one way every page, mail and PDF writes it: "8 Dec 2026", "2026年12月8日"; a dash when
    there is none. (Machines get ISO dates: inputs, CSV, the API, iCal.)"""
    if not day:
        return "—"
    locale = _reader_locale()
    return babel_dates.format_date(day, ENGLISH_DAY if locale.language == "en" else "medium", locale=locale)


def long_day_text(day: date) -> str:
    """A date with its weekday, for sentences that need it (why a day was skipped): "Friday 11 December 2026"."""
    locale = _reader_locale()
    return english_long_date(day) if locale.language == "en" else babel_dates.format_date(day, "full", locale=locale)


def moment_text(value: datetime | None) -> str:
    """A moment for people, in Hong Kong time, its date written as day_text writes it; a dash when there is none."""
    if not value:
        return "—"
    locale = _reader_locale()
    pattern = ENGLISH_MOMENT if locale.language == "en" else "medium"
    return babel_dates.format_datetime(clock.as_aware(value), pattern, tzinfo=get_timezone(), locale=locale)


def translator() -> Translator:
    """A Translator for the current locale (the request's, or one set with force_locale), for Msg sentences."""
    if not has_app_context():
        return ENGLISH
    translations = get_translations()
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])

    def day_reason(day: date, reason: str) -> str:
        if locale != "en":
            if holiday_name_in(day, DEFAULT_LANGUAGE) == reason:
                return holiday_name_in(day, holiday_language(locale)) or reason
            for kind in CLOSURE_KINDS.values():
                if reason == kind or reason.startswith(f"{kind}{CLOSURE_NOTE_SEPARATOR}"):
                    return translations.ugettext(kind) + reason[len(kind) :]
        return translations.ugettext(reason)

    return Translator(translations.ugettext, translations.ungettext, long_day_text, day_reason)


def translate(text: Msg | str) -> str:
    """A Msg in the current locale (a plain string is returned as it is)."""
    return text.render(translator()) if isinstance(text, Msg) else text


def list_text(items: list[str]) -> str:
    """Items joined as the reader's locale joins them ("A, B and C", "A、B及C")."""
    return format_list([str(item) for item in items], locale=get_locale() or "en")


def hkd_text(amount: int) -> str:
    """A whole-dollar HK$ amount as the reader's locale writes it ("HK$58,000"), as on a contract."""
    return format_currency(amount, "HKD", "¤#,##0", currency_digits=False)


class LocalDay:
    """A date inside a lazily translated sentence, written as the reader's locale writes it when the sentence is."""

    __slots__ = ("day",)

    def __init__(self, day: date) -> None:
        self.day = day

    def __str__(self) -> str:
        return day_text(self.day) if has_app_context() else self.day.isoformat()


class LocalHKD:
    """A whole-dollar HK$ amount inside a lazily translated sentence, formatted in the reader's locale."""

    __slots__ = ("amount",)

    def __init__(self, amount: int) -> None:
        self.amount = amount

    def __str__(self) -> str:
        return hkd_text(self.amount) if has_app_context() else f"HK${self.amount:,}"


def actor_name(label: str) -> str:
    """Who did something, from the label stored with it: a fixed label ("expert") in words in the current locale,
    anything else (e.g. the e-mail address of a user since deleted) as it is."""
    name = ACTOR_NAMES.get(label)
    return str(name) if name is not None else label


def country_name(code: str) -> str:
    """The country or territory with ISO 3166 code `code`, named in the current locale (the code when unknown)."""
    locale = (get_locale() if has_app_context() else None) or Locale("en")
    return locale.territories.get(code.upper(), code)


def lazy_country_name(code: str) -> LazyString:
    """country_name, worked out when the text is shown (for lazy messages built before the locale is known)."""
    return LazyString(country_name, code)
