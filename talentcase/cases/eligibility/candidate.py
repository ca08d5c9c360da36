"""The checks on the candidate and the post: degree, experience, salary, full-time R&D, nationality."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from talentcase.cases.eligibility.model import (
    BACHELOR_MIN_YEARS,
    CheckResult,
    EligibilityInput,
    result,
    unanswered,
    years_text,
)
from talentcase.cases.policy import DEGREE_LEVELS, Text
from talentcase.common.i18n import LocalHKD, lazy_country_name


def check_degree(inp: EligibilityInput) -> CheckResult:
    # Overridable because "top 100 of a recognised STEM ranking" depends on which ranking the officer accepts.
    if inp.is_stem_degree is None or inp.is_top100_university is None:
        return unanswered(
            "degree",
            _l(
                "The company has not yet said whether the degree is in a STEM subject and whether the university is "
                "in the top 100 of a recognised STEM ranking."
            ),
        )
    if inp.is_stem_degree and inp.is_top100_university:
        reason: Text = _l("The degree is in a STEM subject from a top-100 university.")
        return result("degree", True, reason, overridable=True)
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
    return result("degree", False, reason, overridable=True)


def check_experience(inp: EligibilityInput) -> CheckResult:
    # Overridable because whether experience is "relevant" is a judgement.
    years = Decimal(str(inp.years_experience))
    if inp.degree_level not in DEGREE_LEVELS:
        return result(
            "experience",
            False,
            _l(
                "'%(level)s' is not a known degree level; a bachelor's, master's or doctorate is needed.",
                level=inp.degree_level,
            ),
            overridable=True,
        )
    if inp.degree_level != "bachelor":
        return result(
            "experience",
            True,
            _l(
                "%(degree)s: no minimum experience is needed (%(years)s years recorded).",
                degree=DEGREE_LEVELS[inp.degree_level],
                years=years_text(inp.years_experience),
            ),
            overridable=True,
        )
    if years >= BACHELOR_MIN_YEARS:
        return result(
            "experience",
            True,
            _l(
                "%(years)s years of relevant experience; a bachelor's degree needs at least 1 year.",
                years=years_text(inp.years_experience),
            ),
            overridable=True,
        )
    return result(
        "experience",
        False,
        _l(
            "Only %(years)s years of relevant experience; a bachelor's degree needs at least 1 year.",
            years=years_text(inp.years_experience),
        ),
        overridable=True,
    )


def check_salary(inp: EligibilityInput) -> CheckResult:
    # Overridable because the market rate is an estimate the officer may accept a justified deviation from.
    if inp.market_floor_hkd <= 0:
        # A zero floor would let any salary pass silently; treat it as "not yet assessed" instead.
        return result(
            "salary",
            False,
            _l(
                "No market rate is recorded for this post; the monthly salary (%(salary)s) must be compared with "
                "the market rate.",
                salary=LocalHKD(inp.monthly_salary_hkd),
            ),
            overridable=True,
        )
    if inp.monthly_salary_hkd >= inp.market_floor_hkd:
        return result(
            "salary",
            True,
            _l(
                "The monthly salary %(salary)s is at or above the market rate of %(floor)s.",
                salary=LocalHKD(inp.monthly_salary_hkd),
                floor=LocalHKD(inp.market_floor_hkd),
            ),
            overridable=True,
        )
    return result(
        "salary",
        False,
        _l(
            "The monthly salary %(salary)s is below the market rate of %(floor)s; it must be at least %(floor)s.",
            salary=LocalHKD(inp.monthly_salary_hkd),
            floor=LocalHKD(inp.market_floor_hkd),
        ),
        overridable=True,
    )


def check_full_time(inp: EligibilityInput) -> CheckResult:
    # Not overridable: full-time R&D work is a condition of the scheme itself, not a judgement call.
    if inp.is_full_time is None or inp.is_principally_rd is None:
        return unanswered(
            "full_time",
            _l("The company has not yet said whether the post is full-time and principally in R&D."),
        )
    if inp.is_full_time and inp.is_principally_rd:
        return result("full_time", True, _l("The post is full-time and principally engaged in R&D."))
    if not inp.is_full_time and not inp.is_principally_rd:
        reason: Text = _l("The post is neither full-time nor principally in R&D; a full-time R&D post is needed.")
    elif not inp.is_full_time:
        reason = _l("The post is not full-time; the expert must be employed full-time.")
    else:
        reason = _l("The post is not principally in R&D; the expert must work principally on R&D.")
    return result("full_time", False, reason)


def check_nationality(inp: EligibilityInput) -> CheckResult:
    # Not overridable: the exclusion is a government rule the park cannot waive.
    code = (inp.nationality or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return result(
            "nationality",
            False,
            _l(
                "'%(code)s' is not an ISO 3166 two-letter country code; the expert's nationality is needed.",
                code=inp.nationality,
            ),
        )
    excluded = {c.upper() for c in inp.excluded_nationalities}
    if code in excluded:
        return result(
            "nationality",
            False,
            _l(
                "Nationals of %(code)s are excluded from the scheme; the expert must hold a nationality that is "
                "not on the exclusion list.",
                code=lazy_country_name(code),
            ),
        )
    return result(
        "nationality", True, _l("Nationality %(code)s is not on the exclusion list.", code=lazy_country_name(code))
    )
