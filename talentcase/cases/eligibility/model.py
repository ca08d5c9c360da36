"""What eligibility is judged on and what a check answers: the hire's facts, the check codes and labels, one
check's result, and the small formatting helpers the checks share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import Text

# The general exclusion list of nationalities for Hong Kong talent-admission schemes (Afghanistan, Cuba, Laos,
# North Korea, Nepal, Vietnam). It is configurable per check because ImmD can change it without a TechTAS
# policy change; callers that hold an admin-edited list pass it as excluded_nationalities.
DEFAULT_EXCLUDED_NATIONALITIES: frozenset[str] = frozenset({"AF", "CU", "LA", "KP", "NP", "VN"})

# A bachelor's degree needs at least this many years of relevant experience; master's and doctorates need none.
BACHELOR_MIN_YEARS = Decimal(1)

# Stable check codes in the order check_eligibility returns them (UI and API rely on this order).
CHECK_CODES: tuple[str, ...] = (
    "company_eligible",
    "tech_area",
    "degree",
    "experience",
    "salary",
    "full_time",
    "nationality",
    "local_hire",
    "quota",
)

CHECK_LABELS: dict[str, Text] = {
    "company_eligible": _l("Company is eligible"),
    "tech_area": _l("Technology area is eligible"),
    "degree": _l("STEM degree from a top-100 university"),
    "experience": _l("Relevant work experience"),
    "salary": _l("Salary at or above the market rate"),
    "full_time": _l("Full-time post principally in R&D"),
    "nationality": _l("Nationality is not excluded"),
    "local_hire": _l("Local-hire commitment"),
    "quota": _l("Quota place available"),
}


@dataclass(frozen=True)
class EligibilityInput:
    """The facts about a hire that eligibility is judged on, as plain values."""

    checked_on: date
    company_park: str | None
    company_br_expiry: date | None
    tech_area: str
    degree_level: str
    # The company's declarations: None while unanswered (the check then says so, never "passed").
    is_stem_degree: bool | None
    is_top100_university: bool | None
    years_experience: float | Decimal | int
    monthly_salary_hkd: int
    market_floor_hkd: int
    is_full_time: bool | None
    is_principally_rd: bool | None
    nationality: str
    local_hire_confirmed: bool | None
    quota_free_places: int
    quota_valid_until: date | None
    excluded_nationalities: frozenset[str] = DEFAULT_EXCLUDED_NATIONALITIES
    # The place the case itself holds ("reserved" once accepted or granted, "used" once the visa is issued) and the
    # validity of its quota: once held, the check reports that place, not a free one it "will reserve".
    held_place: str | None = None
    held_place_valid_until: date | None = None
    # How the held place's quota is named (its letter's reference, else the day it was granted), and the day the
    # place must be valid on: today on the case page, the day of the action (default checked_on).
    held_place_reference: str = ""
    held_place_granted_on: date | None = None
    held_place_needed_on: date | None = None


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one eligibility check, with a reason that says what was found and what is needed."""

    code: str
    label: Text
    passed: bool
    reason: Text
    # blocking: a failure stops the case being submitted (informational checks are never blocking).
    blocking: bool
    # overridable: an officer may accept a failure on judgement (e.g. a ranking or market-rate call).
    overridable: bool
    # is_answered: False while a declaration the check reads is unanswered (then it has not passed either).
    is_answered: bool = True


def years_text(value: float | Decimal | int) -> str:
    # "0.5", "1", "2.25": no trailing zeros, whatever numeric type the caller stored.
    return f"{Decimal(str(value)).normalize():f}"


def join_sentences(parts: tuple[Text, ...]) -> str:
    # Called when the LazyString is rendered, so each part is translated in the locale of that moment.
    return " ".join(str(p) for p in parts)


def result(code: str, passed: bool, reason: Text, *, blocking: bool = True, overridable: bool = False) -> CheckResult:
    return CheckResult(
        code=code, label=CHECK_LABELS[code], passed=passed, reason=reason, blocking=blocking, overridable=overridable
    )


def unanswered(code: str, reason: Text) -> CheckResult:
    """A check that cannot be judged yet: a declaration it reads is unanswered. Blocking, and not overridable (there
    is no answer to accept on judgement)."""
    return CheckResult(
        code=code,
        label=CHECK_LABELS[code],
        passed=False,
        reason=reason,
        blocking=True,
        overridable=False,
        is_answered=False,
    )
