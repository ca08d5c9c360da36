"""The particulars of a case, one definition each: its model attribute, its API name, its label and its rules (which
cases.schema applies), and the company's declarations among them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS


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
    # Numbers: the messages for a value that is no such number and for one out of range (with %(low)s, %(high)s),
    # each naming the field, since the error summary shows them away from it.
    number_message: Any = None
    range_message: Any = None
    # Declarations: the Yes / No question the form asks, and what to say while it is unanswered.
    question: Any = None
    unanswered: Any = None

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
    FieldSpec(
        "is_stem_degree",
        "candidate",
        "is_stem_degree",
        "bool",
        _l("The degree is in a STEM subject"),
        question=_l("Is the degree in a STEM subject?"),
        unanswered=_l("Say whether the degree is in a STEM subject."),
    ),
    FieldSpec(
        "is_top100_university",
        "candidate",
        "is_top100_university",
        "bool",
        _l("The university is in the top 100 of a recognised STEM ranking"),
        question=_l("Is the university in the top 100 of a recognised STEM ranking?"),
        unanswered=_l("Say whether the university is in the top 100 of a recognised STEM ranking."),
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
        number_message=_l("Years of relevant experience must be a number, like 2.5."),
        range_message=_l("Years of relevant experience must be from %(low)s to %(high)s."),
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
        number_message=_l("Monthly salary must be a whole number of Hong Kong dollars, like 45000."),
        range_message=_l("Monthly salary must be from %(low)s to %(high)s Hong Kong dollars."),
    ),
    FieldSpec(
        "is_full_time",
        "position",
        "is_full_time",
        "bool",
        _l("Full-time post"),
        question=_l("Is the post full-time?"),
        unanswered=_l("Say whether the post is full-time."),
    ),
    FieldSpec(
        "is_principally_rd",
        "position",
        "is_principally_rd",
        "bool",
        _l("Principally research and development"),
        question=_l("Is the post principally in research and development?"),
        unanswered=_l("Say whether the post is principally in research and development."),
    ),
    FieldSpec("intended_start_on", "position", "intended_start_on", "date", _l("Intended start date")),
    FieldSpec(
        "local_hire_confirmed",
        "position",
        "local_hire_confirmed",
        "bool",
        _l("The company confirms the local-hire commitment (policies before 28 December 2022)"),
        question=_l("Does the company confirm the local-hire commitment?"),
        unanswered=_l("Say whether the company confirms the local-hire commitment."),
    ),
)
BY_ATTR = {spec.attr: spec for spec in FIELDS}
# The company's declarations, in form order: Yes / No questions that stay unanswered (None) until HR answers them.
DECLARATIONS: tuple[str, ...] = (
    "is_stem_degree",
    "is_top100_university",
    "is_full_time",
    "is_principally_rd",
    "local_hire_confirmed",
)
BY_API_NAME = {spec.api_name: spec for spec in FIELDS}
