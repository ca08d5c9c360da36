"""Case particulars: the rules for the fields defined in cases.fields, shared by the form and the API."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from talentcase.cases.dates import date_problems
from talentcase.cases.fields import BY_API_NAME, BY_ATTR, DECLARATIONS, FIELDS, FieldSpec  # noqa: F401 (schema.X)
from talentcase.common import characters
from talentcase.common.dates import parse_date

# Babel's two-letter territories, less those that are no nationality: groupings (EU, UN, the eurozone, outlying
# Oceania), "Unknown Region", pseudo-locales and the regions ISO 3166 only reserves (Ascension, the Canaries, ...).
NOT_NATIONALITIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})
COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in NOT_NATIONALITIES
)


class InvalidInput(ValueError):
    """Field errors keyed by the API's dotted field names (candidate.email) and by model attribute."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


# A checkbox left out means "no"; a declaration left out is unanswered (never answered for the company).
BOOL_DEFAULTS: dict[str, bool | None] = {"is_mainland_resident": False, **dict.fromkeys(DECLARATIONS)}


def unanswered_declarations(answers: Any, *, asks_local_hire: bool) -> list[FieldSpec]:
    """The declarations still unanswered on a case (or anything with their attributes), in form order; the local-hire
    commitment only under a policy that asks for it."""
    asked = [attr for attr in DECLARATIONS if asks_local_hire or attr != "local_hire_confirmed"]
    return [BY_ATTR[attr] for attr in asked if getattr(answers, attr) is None]


def _check_text(spec: FieldSpec, value: str) -> str:
    """Apply the field's text rule to a trimmed value; raise ValueError with a message fit for the person."""
    # Refused, not removed: in a name the person has to see (and the officer to compare with the passport) what is
    # stored.
    if spec.text_rule in ("latin_name", "name", "passport") and characters.has_hidden(value):
        raise ValueError(
            _l(
                "The %(label)s has hidden characters that change how it is shown. Type it again instead of pasting it.",
                label=_in_sentence(str(spec.label)),
            )
        )
    if spec.text_rule == "latin_name" and not characters.is_name(value, latin_only=True):
        raise ValueError(_l("Enter the full name in English as it is written in the passport, in Latin letters."))
    if spec.text_rule == "name" and not characters.is_name(value, latin_only=False):
        raise ValueError(_l("Enter the name in Chinese without emoji, numbers or symbols."))
    if spec.text_rule == "passport":
        value = unicodedata.normalize("NFKC", value)
        if not characters.PASSPORT_NUMBER.fullmatch(value):
            raise ValueError(
                _l("Enter the passport number as it is written in the passport, in letters and numbers only.")
            )
    if spec.text_rule == "title" and characters.has_pictograph(value):
        raise ValueError(_l("Enter the name of the university without emoji or symbols."))
    return value


def _in_sentence(label: str) -> str:
    """A field label inside a sentence: "Full name in English" -> "full name in English"; an acronym stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _plain_number(text: str) -> Decimal | None:
    """A number as people write one (digits, a point): None for anything else, exponents ("1e1") included."""
    if "e" in text.lower():
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# The Hong Kong dollar signs a salary may be typed with ("HK$62,000", "$ 62,000"); another currency is refused.
_HKD_PREFIX = re.compile(r"^(?:HK\$|HKD|\$)", re.IGNORECASE)


def _amount_text(text: str) -> str:
    """A sum of Hong Kong dollars as typed, without its sign, thousands separators and spaces: "HK$ 62,000" -> "62000"
    (full-width digits from a Chinese keyboard become ASCII ones)."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return _HKD_PREFIX.sub("", text).replace(",", "")


def _bound_text(bound: float | None) -> str:
    """A range's bound as the messages write it: 10,000,000 (the grouping is the same in English and Chinese)."""
    return f"{int(bound):,}" if bound is not None and bound == int(bound) else f"{bound:,}"


class TextForNumber(str):
    """A JSON string sent to the API for a number field (marked by cases.schemas: the API takes JSON numbers)."""


def _number_value(spec: FieldSpec, raw: Any) -> int | Decimal:
    """Parse an int or decimal field (a form's text, the API's JSON number); raise ValueError naming the field."""
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal | float):
        raise ValueError(spec.number_message)
    if spec.kind == "int":
        number = _plain_number(_amount_text(str(raw)))
        # "60000.00" is a whole number written with cents; "60000.5" and "6e4" are not what a salary looks like.
        if number is None or number != number.to_integral_value():
            raise ValueError(spec.number_message)
        value: int | Decimal = int(number)
    else:
        number = _plain_number(str(raw).strip())
        if number is None:
            raise ValueError(spec.number_message)
        value = number
    # The range first: rounding a 400-digit number to tenths is beyond Decimal's precision (InvalidOperation).
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        raise ValueError(
            str(spec.range_message) % {"low": _bound_text(spec.minimum), "high": _bound_text(spec.maximum)}
        )
    if spec.kind == "decimal":
        if value != value.quantize(Decimal("0.1"), rounding="ROUND_DOWN"):
            raise ValueError(_l("%(name)s can have at most one decimal place, like 2.5.", name=spec.label))
        return value.quantize(Decimal("0.1"))  # not rounded without a word: refused above
    return value


def _clean_value(spec: FieldSpec, raw: Any) -> Any:
    """Parse one value; raise ValueError with a message fit for the person."""
    if isinstance(raw, TextForNumber):
        raise ValueError(_l("%(name)s must be a number, not text in quotes.", name=spec.label))
    if spec.kind == "bool":
        if isinstance(raw, bool) or (raw is None and spec.attr in DECLARATIONS):
            return raw  # a declaration may be unanswered (null) until the case is submitted
        if spec.attr in DECLARATIONS:
            raise ValueError(_l("Must be true, false or null (not answered yet)."))
        raise ValueError(_l("Must be true or false."))
    if raw is None or (isinstance(raw, str) and not characters.is_visible(raw)):
        if spec.required:
            label = _in_sentence(str(spec.label))
            if spec.kind in ("country", "choice"):
                raise ValueError(_l("Select the %(label)s.", label=label))
            raise ValueError(_l("Enter the %(label)s.", label=label))
        return None if spec.kind in ("date", "int", "decimal") else ""
    if spec.kind in ("text", "email", "country", "choice"):
        return _text_value(spec, raw)
    if spec.kind == "date":
        return parse_date(raw)
    return _number_value(spec, raw)


def _text_value(spec: FieldSpec, raw: Any) -> str:
    """Parse a text, email, country or choice field; raise ValueError with a message fit for the person."""
    if not isinstance(raw, str):
        raise ValueError(_l("Must be text."))
    if spec.kind == "text" and spec.text_rule in ("free", "title"):
        raw = characters.without_hidden(raw)
    value = " ".join(raw.split()) if spec.name != "duties" else raw.strip()
    if len(value) > spec.max_length:
        raise ValueError(_l("Use at most %(n)d characters.", n=spec.max_length))
    if spec.kind == "text":
        return _check_text(spec, value)
    if spec.kind == "email":
        try:
            return validate_email(value, check_deliverability=False, test_environment=True).normalized
        except EmailNotValidError as error:
            raise ValueError(_l("Enter a valid email address, like name@example.com.")) from error
    if spec.kind == "country":
        value = value.upper()
        if value not in COUNTRY_CODES:
            raise ValueError(_l("Use a two-letter ISO 3166 country code, such as GB or IN."))
    if spec.kind == "choice" and value not in spec.choices:
        raise ValueError(_l("Choose one of: %(choices)s.", choices=", ".join(spec.choices)))
    return value


def clean_attrs(raw: dict[str, Any], *, partial: bool, today: date, opened_on: date | None = None) -> dict[str, Any]:
    """Validate model-attribute values for a case opened on that day (default today); `partial` (an edit) checks only
    what is given. Every problem is reported at once. Raises InvalidInput."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.attr not in raw:
            if partial:
                continue
            if spec.kind == "bool":
                clean[spec.attr] = BOOL_DEFAULTS[spec.attr]
                continue
        try:
            clean[spec.attr] = _clean_value(spec, raw.get(spec.attr))
        except ValueError as error:
            errors[spec.attr] = str(error.args[0])
    errors.update(date_problems(clean, opened_on or today))
    if errors:
        raise InvalidInput(errors)
    return clean


def api_errors(error: InvalidInput) -> dict[str, str]:
    """Field errors renamed to the API's dotted names."""
    return {BY_ATTR[key].api_name if key in BY_ATTR else key: value for key, value in error.errors.items()}
