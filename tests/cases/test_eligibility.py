"""Tests for the eligibility checks, each judged under the policy version in force."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from talentcase.cases.eligibility import (
    CHECK_CODES,
    DEFAULT_EXCLUDED_NATIONALITIES,
    CheckResult,
    EligibilityInput,
    blocking_failures,
    check_eligibility,
)
from talentcase.cases.policy import policy_in_force

D2019 = date(2019, 5, 6)
D2021 = date(2021, 5, 6)
D2023 = date(2023, 5, 8)
D2026 = date(2026, 3, 2)


def make_input(**changes) -> EligibilityInput:
    base = EligibilityInput(
        checked_on=D2023,
        company_park="HKSTP",
        company_br_expiry=date(2030, 1, 1),
        tech_area="artificial_intelligence",
        degree_level="master",
        is_stem_degree=True,
        is_top100_university=True,
        years_experience=2,
        monthly_salary_hkd=50_000,
        market_floor_hkd=40_000,
        is_full_time=True,
        is_principally_rd=True,
        nationality="GB",
        local_hire_confirmed=True,
        quota_free_places=3,
        quota_valid_until=date(2024, 12, 31),
    )
    return dataclasses.replace(base, **changes)


def run(**changes) -> dict[str, CheckResult]:
    inp = make_input(**changes)
    return {r.code: r for r in check_eligibility(inp, policy_in_force(inp.checked_on))}


def test_all_pass_in_fixed_order_and_nothing_blocks():
    inp = make_input()
    results = check_eligibility(inp, policy_in_force(inp.checked_on))
    assert [r.code for r in results] == list(CHECK_CODES)
    assert all(r.passed for r in results), [(r.code, str(r.reason)) for r in results]
    assert blocking_failures(results, set()) == []
    for r in results:
        assert str(r.label) and str(r.reason)


def test_default_exclusions():
    assert {"AF", "CU", "LA", "KP", "NP", "VN"} == DEFAULT_EXCLUDED_NATIONALITIES
    assert make_input().excluded_nationalities == DEFAULT_EXCLUDED_NATIONALITIES


# company_eligible


def test_2018_requires_a_park_tenant():
    r = run(checked_on=D2019, company_park="other", quota_valid_until=date(2020, 1, 1))["company_eligible"]
    assert not r.passed and r.blocking
    assert "park" in str(r.reason).lower()
    assert run(checked_on=D2019, company_park="Cyberport")["company_eligible"].passed
    assert not run(checked_on=D2019, company_park=None)["company_eligible"].passed


def test_any_rd_company_from_2020():
    assert run(checked_on=D2021, company_park="other")["company_eligible"].passed


def test_expired_br_fails_under_every_version():
    for on in (D2019, D2021, D2023, D2026):
        r = run(checked_on=on, company_br_expiry=on - timedelta(days=1))["company_eligible"]
        assert not r.passed, on
        assert "expired" in str(r.reason)
        # The expiry date itself is the last valid day.
        assert run(checked_on=on, company_br_expiry=on)["company_eligible"].passed


def test_missing_br_expiry_fails_and_both_problems_are_reported():
    assert not run(company_br_expiry=None)["company_eligible"].passed
    r = run(checked_on=D2019, company_park="other", company_br_expiry=date(2019, 1, 1))["company_eligible"]
    assert "park" in str(r.reason) and "expired" in str(r.reason)


# tech_area


def test_quantum_refused_in_2021_and_accepted_in_2023():
    r = run(checked_on=D2021, tech_area="quantum")["tech_area"]
    assert not r.passed and r.blocking
    assert "13" in str(r.reason)
    assert run(checked_on=D2023, tech_area="quantum")["tech_area"].passed


def test_other_only_from_2025_12_24():
    assert not run(checked_on=date(2025, 12, 23), tech_area="other")["tech_area"].passed
    r = run(checked_on=date(2025, 12, 24), tech_area="other")["tech_area"]
    assert r.passed and "do not restrict" in str(r.reason)


def test_2018_areas_and_5g_name():
    assert not run(checked_on=D2019, tech_area="iot")["tech_area"].passed
    assert run(checked_on=D2019, tech_area="robotics")["tech_area"].passed
    r = run(checked_on=D2021, tech_area="advanced_communication")["tech_area"]
    assert r.passed and "5G communications" in str(r.reason)


def test_unknown_area_fails_even_when_unrestricted():
    assert not run(checked_on=D2026, tech_area="astrology")["tech_area"].passed


# degree


@pytest.mark.parametrize(
    ("stem", "top100", "passed", "needle"),
    [
        (True, True, True, "STEM"),
        (False, True, False, "not in a STEM subject"),
        (True, False, False, "top 100"),
        (False, False, False, "neither"),
    ],
)
def test_degree(stem, top100, passed, needle):
    r = run(is_stem_degree=stem, is_top100_university=top100)["degree"]
    assert r.passed is passed
    assert needle in str(r.reason)


# experience


def test_bachelor_with_half_a_year_fails():
    r = run(degree_level="bachelor", years_experience=0.5)["experience"]
    assert not r.passed and r.blocking
    assert "0.5 years" in str(r.reason) and "at least 1 year" in str(r.reason)


@pytest.mark.parametrize("years", [1, 1.0, Decimal("1.0"), Decimal("3.25")])
def test_bachelor_with_a_year_passes(years):
    assert run(degree_level="bachelor", years_experience=years)["experience"].passed


@pytest.mark.parametrize("level", ["master", "doctorate"])
def test_master_and_doctorate_need_no_experience(level):
    r = run(degree_level=level, years_experience=0)["experience"]
    assert r.passed and "no minimum" in str(r.reason)


def test_unknown_degree_level_fails():
    assert not run(degree_level="diploma")["experience"].passed


# salary


def test_salary_at_floor_passes_and_below_fails():
    assert run(monthly_salary_hkd=40_000, market_floor_hkd=40_000)["salary"].passed
    r = run(monthly_salary_hkd=39_999, market_floor_hkd=40_000)["salary"]
    assert not r.passed
    assert "HK$39,999" in str(r.reason) and "HK$40,000" in str(r.reason)


def test_missing_market_floor_is_not_a_silent_pass():
    r = run(market_floor_hkd=0)["salary"]
    assert not r.passed and r.overridable


# full_time


@pytest.mark.parametrize(
    ("full_time", "rd", "passed"),
    [(True, True, True), (False, True, False), (True, False, False), (False, False, False)],
)
def test_full_time_rd(full_time, rd, passed):
    r = run(is_full_time=full_time, is_principally_rd=rd)["full_time"]
    assert r.passed is passed
    assert not r.overridable


# nationality


def test_excluded_nationality_fails_and_is_not_overridable():
    r = run(nationality="vn")["nationality"]
    assert not r.passed and not r.overridable and "Vietnam" in str(r.reason)  # named, in the reader's language
    assert run(nationality="CN")["nationality"].passed


def test_exclusion_list_is_configurable():
    assert run(nationality="VN", excluded_nationalities=frozenset({"XX"}))["nationality"].passed
    assert not run(nationality="GB", excluded_nationalities=frozenset({"GB"}))["nationality"].passed


def test_invalid_nationality_code_fails():
    assert not run(nationality="GBR")["nationality"].passed
    assert not run(nationality="")["nationality"].passed


# local_hire


def test_local_hire_required_before_2022_12_28():
    r = run(checked_on=D2021, local_hire_confirmed=False)["local_hire"]
    assert not r.passed and r.blocking
    assert run(checked_on=D2021, local_hire_confirmed=True)["local_hire"].passed
    assert not run(checked_on=date(2022, 12, 27), local_hire_confirmed=False)["local_hire"].passed


def test_local_hire_not_required_since_2022_12_28():
    r = run(checked_on=date(2022, 12, 28), local_hire_confirmed=False)["local_hire"]
    assert r.passed
    assert "not required since 28 Dec 2022" in str(r.reason)


# quota


def test_quota_with_free_place_is_reserved():
    r = run(quota_free_places=1, quota_valid_until=date(2024, 1, 31))["quota"]
    assert r.passed and not r.blocking
    assert "2024-01-31 will be reserved" in str(r.reason)


@pytest.mark.parametrize(
    ("held", "needle"),
    [
        ("reserved", "A place is reserved for this case in the quota valid until 2024-03-31."),
        ("used", "The issued visa used a place of the quota valid until 2024-03-31."),
    ],
)
def test_a_case_holding_a_place_reports_its_own_place_not_a_free_one(held, needle):
    # Once accepted, the case's own place is what counts: another quota's free places are beside the point, and
    # when the case took the last place there are none left, which is no failure.
    for free in (0, 3):
        r = run(
            quota_free_places=free,
            quota_valid_until=date(2024, 1, 31),
            held_place=held,
            held_place_valid_until=date(2024, 3, 31),
        )["quota"]
        assert r.passed and not r.blocking
        assert str(r.reason) == needle


@pytest.mark.parametrize(
    ("free", "until"),
    [(0, date(2024, 1, 31)), (5, None), (5, date(2023, 5, 7))],
)
def test_no_usable_quota_is_informational(free, until):
    r = run(quota_free_places=free, quota_valid_until=until)["quota"]
    assert not r.passed and not r.blocking and not r.overridable
    assert "a quota application to ITC is needed first" in str(r.reason)


def test_quota_valid_on_its_last_day():
    assert run(quota_valid_until=D2023)["quota"].passed


# blocking_failures


def test_blocking_failures_respect_overrides_only_where_allowed():
    results = check_eligibility(
        make_input(
            degree_level="bachelor",
            years_experience=0,
            nationality="KP",
            monthly_salary_hkd=10_000,
            quota_free_places=0,
        ),
        policy_in_force(D2023),
    )
    assert [r.code for r in blocking_failures(results, set())] == ["experience", "salary", "nationality"]
    remaining = blocking_failures(results, {"experience", "salary", "nationality", "quota"})
    assert [r.code for r in remaining] == ["nationality"]


def test_results_are_frozen():
    result = run()["degree"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.passed = False  # type: ignore[misc]
