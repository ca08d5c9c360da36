"""Eligibility checks for one TechTAS hire, judged against the policy version in force."""

from __future__ import annotations

from collections.abc import Iterable

from talentcase.cases.eligibility.candidate import (
    check_degree,
    check_experience,
    check_full_time,
    check_nationality,
    check_salary,
)
from talentcase.cases.eligibility.company import check_company, check_local_hire, check_quota, check_tech_area
from talentcase.cases.eligibility.model import (
    BACHELOR_MIN_YEARS,
    CHECK_CODES,
    CHECK_LABELS,
    DEFAULT_EXCLUDED_NATIONALITIES,
    CheckResult,
    EligibilityInput,
)
from talentcase.cases.policy import PolicyVersion

__all__ = [
    "BACHELOR_MIN_YEARS",
    "CHECK_CODES",
    "CHECK_LABELS",
    "DEFAULT_EXCLUDED_NATIONALITIES",
    "CheckResult",
    "EligibilityInput",
    "blocking_failures",
    "check_eligibility",
]


def check_eligibility(inp: EligibilityInput, policy: PolicyVersion) -> list[CheckResult]:
    """All eligibility checks for a hire under `policy`, in the fixed CHECK_CODES order."""
    return [
        check_company(inp, policy),
        check_tech_area(inp, policy),
        check_degree(inp),
        check_experience(inp),
        check_salary(inp),
        check_full_time(inp),
        check_nationality(inp),
        check_local_hire(inp, policy),
        check_quota(inp),
    ]


def blocking_failures(results: Iterable[CheckResult], overridden_codes: set[str]) -> list[CheckResult]:
    """The failed checks that still block submission after the officer's overrides."""
    # An override only counts for a check that allows one; overriding e.g. nationality has no effect.
    return [r for r in results if not r.passed and r.blocking and not (r.overridable and r.code in overridden_codes)]
