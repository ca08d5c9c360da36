"""Choosing the language of a page: explicit choice, then the user's preference, then the browser."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh_Hant_HK": "繁體中文"}


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
    """Flask-Babel locale selector."""
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalise_language(session.get("lang"))
    if chosen:
        return chosen
    if getattr(current_user, "is_authenticated", False):
        preferred = normalise_language(current_user.preferred_language)
        if preferred:
            return preferred
    browser = request.accept_languages.best_match(["en", "zh-HK", "zh-TW", "zh-Hant", "zh"])
    return normalise_language(browser) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _make_lazy_strings_plain_text() -> None:
    """Flask-Babel marks lazy strings as safe HTML (`__html__`), so Jinja would not escape them; ours often carry
    user data (e.g. "Travel document: %(name)s"), so they must be escaped like any other text."""
    from flask_babel.speaklater import LazyString

    if "__html__" in LazyString.__dict__:
        del LazyString.__html__


_make_lazy_strings_plain_text()


def json_provider_class():
    """Flask's JSON provider, taught that lazy strings are text (it used to rely on their __html__)."""
    from flask.json.provider import DefaultJSONProvider
    from flask_babel.speaklater import LazyString

    class Provider(DefaultJSONProvider):
        @staticmethod
        def default(o):
            if isinstance(o, LazyString):
                return str(o)
            return DefaultJSONProvider.default(o)

    return Provider
