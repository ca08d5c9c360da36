"""Form helpers shared across domains, and WTForms' own messages in the page's language."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from gettext import NullTranslations
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import Translations
from flask import current_app, has_app_context
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path


def choice_list(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects that WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def wtforms_locales(locale: Locale | str) -> tuple[str, ...]:
    """WTForms' catalogues for one of our locales, best first.

    WTForms' `zh` catalogue is Simplified Chinese, and gettext would pick it for zh_Hant_HK; its `zh_TW` one is
    Traditional."""
    try:
        parsed = Locale.parse(str(locale))
    except (ValueError, UnknownLocaleError):
        return (str(locale),)
    if parsed.language == "zh" and (parsed.script == "Hant" or parsed.territory in ("HK", "MO", "TW")):
        return ("zh_TW", "zh")
    return (str(parsed),)


@cache
def _catalogue(locales: tuple[str, ...]) -> NullTranslations:
    # Translations.load only opens the first catalogue it finds, so the later ones are chained as fallbacks.
    first, *rest = locales
    catalogue = Translations.load(messages_path(), [first], domain="wtforms")
    for locale in rest:
        catalogue.add_fallback(Translations.load(messages_path(), [locale], domain="wtforms"))
    return catalogue


class WTFormsTranslations:
    """WTForms' built-in messages ("This field is required.") in the current locale, forced or not.

    Flask-WTF's own version asks gettext for the locale's name (so zh_Hant_HK got Simplified Chinese) and keeps the
    first catalogue of a request even when a view later renders with force_locale (as the expert portal does)."""

    def _current(self) -> NullTranslations:
        locale = get_locale() if has_app_context() and "babel" in current_app.extensions else None
        return _catalogue(wtforms_locales(locale)) if locale is not None else NullTranslations()

    def gettext(self, string: str) -> str:
        return self._current().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._current().ngettext(singular, plural, n)


def use_our_wtforms_translations() -> None:
    """Point Flask-WTF's forms (FlaskForm.Meta.get_translations, while WTF_I18N_ENABLED) at WTFormsTranslations.

    Every form in the app is a FlaskForm, and this is the one name Flask-WTF reads its translations from."""
    import flask_wtf.form

    if flask_wtf.form.translations is not None:  # None: Flask-WTF found no Babel and translates nothing
        flask_wtf.form.translations = WTFormsTranslations()
