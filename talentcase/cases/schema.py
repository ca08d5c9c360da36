"""Case particulars: one definition of every field, its API name and its rules, shared by the form and the API."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from talentcase.cases.dates import date_problems
from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS
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


@dataclass(frozen=True)
class FieldSpec:
    attr: str  # model attribute
    group: str  # "candidate" or "position"
    name: str  # name inside the group in the API
    kind: str  # text, email, country, date, bool, int, decimal, choice
    label: Any
    required: bool = False
    max_length: int = 200
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    text_rule: str = "free"  # for text: latin_name, name, passport, title (the university: no emoji) or free

    @property
    def api_name(self) -> str:
        return f"{self.group}.{self.name}"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("full_name", "candidate", "full_name", "text", _l("Full name in English"), True, text_rule="latin_name"),
    FieldSpec(
        "chinese_name", "candidate", "chinese_name", "text", _l("Name in Chinese"), max_length=100, text_rule="name"
    ),
    FieldSpec("nationality", "candidate", "nationality", "country", _l("Nationality"), required=True),
    FieldSpec("email", "candidate", "email", "email", _l("Email address"), required=True, max_length=254),
    FieldSpec("date_of_birth", "candidate", "date_of_birth", "date", _l("Date of birth")),
    FieldSpec(
        "passport_number",
        "candidate",
        "passport_number",
        "text",
        _l("Passport number"),
        max_length=30,
        text_rule="passport",
    ),
    FieldSpec("passport_expiry_on", "candidate", "passport_expiry_on", "date", _l("Passport expiry date")),
    FieldSpec("is_mainland_resident", "candidate", "is_mainland_resident", "bool", _l("Mainland China resident")),
    FieldSpec(
        "degree_level", "candidate", "degree_level", "choice", _l("Highest degree"), True, choices=tuple(DEGREE_LEVELS)
    ),
    FieldSpec("degree_field", "candidate", "field", "text", _l("Field of study")),
    FieldSpec("university", "candidate", "university", "text", _l("University"), True, text_rule="title"),
    FieldSpec("is_stem_degree", "candidate", "is_stem_degree", "bool", _l("The degree is in a STEM subject")),
    FieldSpec(
        "is_top100_university",
        "candidate",
        "is_top100_university",
        "bool",
        _l("The university is in the top 100 of a recognised STEM ranking"),
    ),
    FieldSpec(
        "years_experience",
        "candidate",
        "years_experience",
        "decimal",
        _l("Years of relevant experience"),
        required=True,
        minimum=0,
        maximum=60,
    ),
    FieldSpec("position_title", "position", "title", "text", _l("Job title"), required=True),
    FieldSpec("tech_area", "position", "tech_area", "choice", _l("Technology area"), True, choices=tuple(TECH_AREAS)),
    FieldSpec("duties", "position", "duties", "text", _l("Duties"), max_length=5000),
    FieldSpec(
        "monthly_salary_hkd",
        "position",
        "monthly_salary_hkd",
        "int",
        _l("Monthly salary (HKD)"),
        required=True,
        minimum=1,
        maximum=10_000_000,
    ),
    FieldSpec("is_full_time", "position", "is_full_time", "bool", _l("Full-time post")),
    FieldSpec("is_principally_rd", "position", "is_principally_rd", "bool", _l("Principally research and development")),
    FieldSpec("intended_start_on", "position", "intended_start_on", "date", _l("Intended start date")),
    FieldSpec(
        "local_hire_confirmed",
        "position",
        "local_hire_confirmed",
        "bool",
        _l("The company confirms the local-hire commitment (policies before 28 December 2022)"),
    ),
)
BY_ATTR = {spec.attr: spec for spec in FIELDS}
BY_API_NAME = {spec.api_name: spec for spec in FIELDS}
BOOL_DEFAULTS = {
    "is_mainland_resident": False,
    "is_stem_degree": True,
    "is_top100_university": True,
    "is_full_time": True,
    "is_principally_rd": True,
    "local_hire_confirmed": False,
}


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


class _TextForNumber(str):
    """A JSON string sent to the API for a number field."""


def _clean_value(spec: FieldSpec, raw: Any) -> Any:
    """Parse one value; raise ValueError with a message fit for the person."""
    if isinstance(raw, _TextForNumber):
        raise ValueError(_l("Must be a number, not text in quotes."))
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise ValueError(_l("Must be true or false."))
    if raw is None or (isinstance(raw, str) and not characters.is_visible(raw)):
        if spec.required:
            label = _in_sentence(str(spec.label))
            if spec.kind in ("country", "choice"):
                raise ValueError(_l("Select the %(label)s.", label=label))
            raise ValueError(_l("Enter the %(label)s.", label=label))
        return None if spec.kind in ("date", "int", "decimal") else ""
    if spec.kind in ("text", "email", "country", "choice"):
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
    if spec.kind == "date":
        return parse_date(raw)
    if spec.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal | float):
            raise ValueError(_l("Must be a whole number."))
        text = str(raw).replace(",", "").strip()
        number = _plain_number(text)
        # "60000.00" is a whole number written with cents; "60000.5" and "6e4" are not what a salary looks like.
        if number is None or number != number.to_integral_value():
            raise ValueError(_l("Must be a whole number, like 45000."))
        value = int(number)
    else:  # decimal
        if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal | float):
            raise ValueError(_l("Must be a number."))
        value = _plain_number(str(raw).strip())
        if value is None:
            raise ValueError(_l("Must be a number, like 2.5."))
    # The range first: rounding a 400-digit number to tenths is beyond Decimal's precision (InvalidOperation).
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(_l("Must be at least %(n)s.", n=spec.minimum))
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(_l("Must be at most %(n)s.", n=spec.maximum))
    if spec.kind == "decimal" and value != value.quantize(Decimal("0.1"), rounding="ROUND_DOWN"):
        raise ValueError(_l("Use at most one decimal place, like 2.5."))  # not rounded without a word
    return value.quantize(Decimal("0.1")) if spec.kind == "decimal" else value


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


def attrs_from_api(body: Any) -> dict[str, Any]:
    """Flatten the API's {"candidate": {...}, "position": {...}} into model attributes; unknown names are errors."""
    if not isinstance(body, dict):
        raise InvalidInput({"body": "Send a JSON object."})
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for group in ("candidate", "position"):
        part = body.get(group, {})
        if part is None:
            continue
        if not isinstance(part, dict):
            errors[group] = f"{group} must be an object."
            continue
        for name, value in part.items():
            spec = BY_API_NAME.get(f"{group}.{name}")
            if spec is None:
                errors[f"{group}.{name}"] = "Unknown field."
            elif spec.kind in ("int", "decimal") and isinstance(value, str):
                # The API takes numbers as JSON numbers, as its OpenAPI schema says ("60000" is refused, not read as
                # a number; the pages' forms send text for all). Refused by the field's check, with every other
                # problem of the request at once.
                raw[spec.attr] = _TextForNumber(value)
            else:
                raw[spec.attr] = value
    if errors:
        raise InvalidInput(errors)
    return raw


def api_errors(error: InvalidInput) -> dict[str, str]:
    """Field errors renamed to the API's dotted names."""
    return {BY_ATTR[key].api_name if key in BY_ATTR else key: value for key, value in error.errors.items()}
