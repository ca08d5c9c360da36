"""Eligibility checks for one TechTAS hire, judged against the policy version in force."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import DEGREE_LEVELS, PARK_TENANT_CODES, TECH_AREAS, PolicyVersion, Text
from talentcase.common.i18n import LocalDay, LocalHKD, lazy_country_name

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
    is_stem_degree: bool
    is_top100_university: bool
    years_experience: float | Decimal | int
    monthly_salary_hkd: int
    market_floor_hkd: int
    is_full_time: bool
    is_principally_rd: bool
    nationality: str
    local_hire_confirmed: bool
    quota_free_places: int
    quota_valid_until: date | None
    excluded_nationalities: frozenset[str] = DEFAULT_EXCLUDED_NATIONALITIES


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


def _hkd(amount: int) -> LocalHKD:
    return LocalHKD(amount)


def _years(value: float | Decimal | int) -> str:
    # "0.5", "1", "2.25": no trailing zeros, whatever numeric type the caller stored.
    return f"{Decimal(str(value)).normalize():f}"


def _join_sentences(parts: tuple[Text, ...]) -> str:
    # Called when the LazyString is rendered, so each part is translated in the locale of that moment.
    return " ".join(str(p) for p in parts)


def _result(code: str, passed: bool, reason: Text, *, blocking: bool = True, overridable: bool = False) -> CheckResult:
    return CheckResult(
        code=code, label=CHECK_LABELS[code], passed=passed, reason=reason, blocking=blocking, overridable=overridable
    )


def _check_company(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Overridable because company records can lag behind reality (a renewed BR not yet entered).
    problems: list[Text] = []
    if policy.eligible_companies == "park_tenants" and inp.company_park not in PARK_TENANT_CODES:
        problems.append(
            _l(
                "The company is not an HKSTP or Cyberport tenant or incubatee; under the %(version)s rules only "
                "park tenants and incubatees may use the scheme.",
                version=policy.code,
            )
        )
    if inp.company_br_expiry is None:
        problems.append(
            _l("No business registration expiry date is recorded; a valid business registration is needed.")
        )
    elif inp.company_br_expiry < inp.checked_on:
        problems.append(
            _l(
                "The business registration expired on %(expiry)s; a business registration valid on %(on)s is needed.",
                expiry=LocalDay(inp.company_br_expiry),
                on=LocalDay(inp.checked_on),
            )
        )
    if problems:
        reason: Text = problems[0] if len(problems) == 1 else LazyString(_join_sentences, tuple(problems))
        return _result("company_eligible", False, reason, overridable=True)
    valid_until = LocalDay(inp.company_br_expiry) if inp.company_br_expiry else ""
    if policy.eligible_companies == "park_tenants":
        reason = _l(
            "The company is a park tenant and its business registration is valid until %(expiry)s.",
            expiry=valid_until,
        )
    else:
        reason = _l(
            "The company's business registration is valid until %(expiry)s; any company doing R&D in Hong Kong "
            "is eligible under the %(version)s rules.",
            expiry=valid_until,
            version=policy.code,
        )
    return _result("company_eligible", True, reason, overridable=True)


def _check_tech_area(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Overridable because which area a post belongs to is a classification judgement.
    if inp.tech_area not in TECH_AREAS:
        return _result(
            "tech_area",
            False,
            _l("'%(area)s' is not a known technology area; choose one of the listed areas.", area=inp.tech_area),
            overridable=True,
        )
    label = policy.tech_area_label(inp.tech_area)
    if policy.tech_areas is None:
        return _result(
            "tech_area",
            True,
            _l(
                "%(area)s: the %(version)s rules do not restrict technology areas.",
                area=label,
                version=policy.code,
            ),
            overridable=True,
        )
    if inp.tech_area in policy.tech_areas:
        return _result(
            "tech_area",
            True,
            _l("%(area)s is an eligible technology area under the %(version)s rules.", area=label, version=policy.code),
            overridable=True,
        )
    return _result(
        "tech_area",
        False,
        _l(
            "%(area)s is not one of the %(count)d technology areas eligible under the %(version)s rules; the post "
            "must be in an eligible area.",
            area=label,
            count=len(policy.tech_areas),
            version=policy.code,
        ),
        overridable=True,
    )


def _check_degree(inp: EligibilityInput) -> CheckResult:
    # Overridable because "top 100 of a recognised STEM ranking" depends on which ranking the officer accepts.
    if inp.is_stem_degree and inp.is_top100_university:
        reason: Text = _l("The degree is in a STEM subject from a top-100 university.")
        return _result("degree", True, reason, overridable=True)
    if not inp.is_stem_degree and not inp.is_top100_university:
        reason = _l(
            "The degree is neither in a STEM subject nor from a top-100 university; a STEM degree from a university "
            "in the top 100 of a recognised STEM ranking is needed."
        )
    elif not inp.is_stem_degree:
        reason = _l("The degree is not in a STEM subject; a STEM degree is needed.")
    else:
        reason = _l(
            "The university is not in the top 100 of a recognised STEM ranking; a degree from such a university "
            "is needed."
        )
    return _result("degree", False, reason, overridable=True)


def _check_experience(inp: EligibilityInput) -> CheckResult:
    # Overridable because whether experience is "relevant" is a judgement.
    years = Decimal(str(inp.years_experience))
    if inp.degree_level not in DEGREE_LEVELS:
        return _result(
            "experience",
            False,
            _l(
                "'%(level)s' is not a known degree level; a bachelor's, master's or doctorate is needed.",
                level=inp.degree_level,
            ),
            overridable=True,
        )
    if inp.degree_level != "bachelor":
        return _result(
            "experience",
            True,
            _l(
                "%(degree)s: no minimum experience is needed (%(years)s years recorded).",
                degree=DEGREE_LEVELS[inp.degree_level],
                years=_years(inp.years_experience),
            ),
            overridable=True,
        )
    if years >= BACHELOR_MIN_YEARS:
        return _result(
            "experience",
            True,
            _l(
                "%(years)s years of relevant experience; a bachelor's degree needs at least 1 year.",
                years=_years(inp.years_experience),
            ),
            overridable=True,
        )
    return _result(
        "experience",
        False,
        _l(
            "Only %(years)s years of relevant experience; a bachelor's degree needs at least 1 year.",
            years=_years(inp.years_experience),
        ),
        overridable=True,
    )


def _check_salary(inp: EligibilityInput) -> CheckResult:
    # Overridable because the market rate is an estimate the officer may accept a justified deviation from.
    if inp.market_floor_hkd <= 0:
        # A zero floor would let any salary pass silently; treat it as "not yet assessed" instead.
        return _result(
            "salary",
            False,
            _l(
                "No market rate is recorded for this post; the monthly salary (%(salary)s) must be compared with "
                "the market rate.",
                salary=_hkd(inp.monthly_salary_hkd),
            ),
            overridable=True,
        )
    if inp.monthly_salary_hkd >= inp.market_floor_hkd:
        return _result(
            "salary",
            True,
            _l(
                "The monthly salary %(salary)s is at or above the market rate of %(floor)s.",
                salary=_hkd(inp.monthly_salary_hkd),
                floor=_hkd(inp.market_floor_hkd),
            ),
            overridable=True,
        )
    return _result(
        "salary",
        False,
        _l(
            "The monthly salary %(salary)s is below the market rate of %(floor)s; it must be at least %(floor)s.",
            salary=_hkd(inp.monthly_salary_hkd),
            floor=_hkd(inp.market_floor_hkd),
        ),
        overridable=True,
    )


def _check_full_time(inp: EligibilityInput) -> CheckResult:
    # Not overridable: full-time R&D work is a condition of the scheme itself, not a judgement call.
    if inp.is_full_time and inp.is_principally_rd:
        return _result("full_time", True, _l("The post is full-time and principally engaged in R&D."))
    if not inp.is_full_time and not inp.is_principally_rd:
        reason: Text = _l("The post is neither full-time nor principally in R&D; a full-time R&D post is needed.")
    elif not inp.is_full_time:
        reason = _l("The post is not full-time; the expert must be employed full-time.")
    else:
        reason = _l("The post is not principally in R&D; the expert must work principally on R&D.")
    return _result("full_time", False, reason)


def _check_nationality(inp: EligibilityInput) -> CheckResult:
    # Not overridable: the exclusion is a government rule the park cannot waive.
    code = (inp.nationality or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return _result(
            "nationality",
            False,
            _l(
                "'%(code)s' is not an ISO 3166 two-letter country code; the expert's nationality is needed.",
                code=inp.nationality,
            ),
        )
    excluded = {c.upper() for c in inp.excluded_nationalities}
    if code in excluded:
        return _result(
            "nationality",
            False,
            _l(
                "Nationals of %(code)s are excluded from the scheme; the expert must hold a nationality that is "
                "not on the exclusion list.",
                code=lazy_country_name(code),
            ),
        )
    return _result(
        "nationality", True, _l("Nationality %(code)s is not on the exclusion list.", code=lazy_country_name(code))
    )


def _check_local_hire(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Not overridable: the company's own commitment is a condition of the scheme while the rule applies.
    if not policy.local_hire_rule:
        return _result("local_hire", True, _l("Local hiring is not required since 28 Dec 2022."), blocking=False)
    if inp.local_hire_confirmed:
        return _result(
            "local_hire",
            True,
            _l(
                "The company has confirmed it will hire 1 local full-time employee and 2 local interns for every "
                "1 to 3 experts admitted."
            ),
        )
    return _result(
        "local_hire",
        False,
        _l(
            "The company has not confirmed the local-hire commitment; under the %(version)s rules it must hire "
            "1 local full-time employee and 2 local interns for every 1 to 3 experts admitted.",
            version=policy.code,
        ),
    )


def _check_quota(inp: EligibilityInput) -> CheckResult:
    # Informational: a missing quota only means the case goes through the ITC quota step first.
    usable = inp.quota_free_places > 0 and inp.quota_valid_until is not None and inp.quota_valid_until >= inp.checked_on
    if usable and inp.quota_valid_until is not None:
        reason: Text = _l(
            "A free place in a quota valid until %(until)s will be reserved (%(free)d free).",
            until=LocalDay(inp.quota_valid_until),
            free=inp.quota_free_places,
        )
        return _result("quota", True, reason, blocking=False)
    return _result(
        "quota",
        False,
        _l("No valid quota with a free place: a quota application to ITC is needed first."),
        blocking=False,
    )


def check_eligibility(inp: EligibilityInput, policy: PolicyVersion) -> list[CheckResult]:
    """All eligibility checks for a hire under `policy`, in the fixed CHECK_CODES order."""
    return [
        _check_company(inp, policy),
        _check_tech_area(inp, policy),
        _check_degree(inp),
        _check_experience(inp),
        _check_salary(inp),
        _check_full_time(inp),
        _check_nationality(inp),
        _check_local_hire(inp, policy),
        _check_quota(inp),
    ]


def blocking_failures(results: Iterable[CheckResult], overridden_codes: set[str]) -> list[CheckResult]:
    """The failed checks that still block submission after the officer's overrides."""
    # An override only counts for a check that allows one; overriding e.g. nationality has no effect.
    return [r for r in results if not r.passed and r.blocking and not (r.overridable and r.code in overridden_codes)]
