"""Tests for TechTAS policy versions, labels and quota validity."""

from datetime import date, datetime, timedelta

import pytest

from talentcase.cases.policy import (
    DEGREE_LEVELS,
    PARKS,
    POLICY_VERSIONS,
    TECH_AREAS,
    add_months,
    policy_by_code,
    policy_in_force,
    quota_valid_until,
)

ALL_AREAS = [
    "artificial_intelligence",
    "biotechnology",
    "cybersecurity",
    "data_analytics",
    "financial_technologies",
    "material_science",
    "robotics",
    "advanced_communication",
    "digital_entertainment",
    "green_technology",
    "ic_design",
    "iot",
    "microelectronics",
    "quantum",
    "other",
]


def test_constants_have_exactly_the_contract_codes_in_order():
    assert list(TECH_AREAS) == ALL_AREAS
    assert list(DEGREE_LEVELS) == ["bachelor", "master", "doctorate"]
    assert list(PARKS) == ["HKSTP", "Cyberport", "other"]


def test_lazy_labels_render_outside_an_app_context():
    assert str(TECH_AREAS["quantum"]) == "Quantum technology"
    assert f"{DEGREE_LEVELS['master']}" == "Master's degree"


def test_versions_are_ordered_and_match_the_design_table():
    assert [v.code for v in POLICY_VERSIONS] == ["2018-06-25", "2020-01-01", "2022-12-28", "2025-12-24"]
    assert [v.effective_from for v in POLICY_VERSIONS] == sorted(v.effective_from for v in POLICY_VERSIONS)
    v2018, v2020, v2022, v2025 = POLICY_VERSIONS
    assert v2018.tech_areas is not None and len(v2018.tech_areas) == 7
    assert v2020.tech_areas is not None and len(v2020.tech_areas) == 13
    assert v2022.tech_areas is not None and len(v2022.tech_areas) == 14
    assert v2025.tech_areas is None
    assert v2020.tech_areas - v2018.tech_areas == {
        "advanced_communication",
        "digital_entertainment",
        "green_technology",
        "ic_design",
        "iot",
        "microelectronics",
    }
    assert v2022.tech_areas - v2020.tech_areas == {"quantum"}
    assert [v.eligible_companies for v in POLICY_VERSIONS] == [
        "park_tenants",
        "rd_companies",
        "rd_companies",
        "rd_companies",
    ]
    assert [v.local_hire_rule for v in POLICY_VERSIONS] == [True, True, False, False]
    assert [v.quota_validity_months for v in POLICY_VERSIONS] == [12, 12, 24, 24]
    assert [v.parallel_quota_visa for v in POLICY_VERSIONS] == [False, False, False, True]
    for version in POLICY_VERSIONS:
        assert "other" not in (version.tech_areas or set())
        assert str(version.title)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2018, 6, 25), "2018-06-25"),
        (date(2019, 12, 31), "2018-06-25"),
        (date(2020, 1, 1), "2020-01-01"),
        (date(2022, 12, 27), "2020-01-01"),
        (date(2022, 12, 28), "2022-12-28"),
        (date(2025, 12, 23), "2022-12-28"),
        (date(2025, 12, 24), "2025-12-24"),
        (date(2030, 1, 1), "2025-12-24"),
    ],
)
def test_policy_in_force_switches_on_the_exact_dates(on, expected):
    assert policy_in_force(on).code == expected


def test_policy_in_force_accepts_a_datetime():
    assert policy_in_force(datetime(2022, 12, 28, 0, 0)).code == "2022-12-28"


def test_no_policy_before_the_scheme_started():
    with pytest.raises(ValueError, match="did not exist"):
        policy_in_force(date(2018, 6, 24))


def test_policy_by_code():
    assert policy_by_code("2022-12-28") is POLICY_VERSIONS[2]
    with pytest.raises(ValueError, match="unknown"):
        policy_by_code("2021-01-01")


def test_advanced_communication_was_called_5g_before_2022_12_28():
    assert str(policy_by_code("2020-01-01").tech_area_label("advanced_communication")) == "5G communications"
    assert str(policy_by_code("2018-06-25").tech_area_label("advanced_communication")) == "5G communications"
    assert (
        str(policy_by_code("2022-12-28").tech_area_label("advanced_communication"))
        == "Advanced communication technologies"
    )
    assert str(policy_by_code("2025-12-24").tech_area_label("quantum")) == "Quantum technology"


def test_allows_tech_area():
    assert not policy_by_code("2020-01-01").allows_tech_area("quantum")
    assert policy_by_code("2022-12-28").allows_tech_area("quantum")
    assert not policy_by_code("2022-12-28").allows_tech_area("other")
    assert policy_by_code("2025-12-24").allows_tech_area("other")
    assert not policy_by_code("2025-12-24").allows_tech_area("astrology")


@pytest.mark.parametrize(
    ("granted", "code", "expected"),
    [
        (date(2021, 3, 15), "2020-01-01", date(2022, 3, 14)),
        (date(2023, 3, 15), "2022-12-28", date(2025, 3, 14)),
        (date(2023, 1, 1), "2022-12-28", date(2024, 12, 31)),
        (date(2021, 3, 1), "2020-01-01", date(2022, 2, 28)),
        (date(2023, 3, 1), "2022-12-28", date(2025, 2, 28)),
        (date(2022, 3, 1), "2020-01-01", date(2023, 2, 28)),
        (date(2023, 2, 28), "2020-01-01", date(2024, 2, 27)),
        # No 29 February in 2025: the period ends on the last day of February.
        (date(2024, 2, 29), "2022-12-28", date(2026, 2, 28)),
        (date(2024, 2, 29), "2020-01-01", date(2025, 2, 28)),
        (date(2019, 12, 31), "2018-06-25", date(2020, 12, 30)),
    ],
)
def test_quota_valid_until(granted, code, expected):
    assert quota_valid_until(granted, policy_by_code(code)) == expected


def test_quota_validity_is_monotonic_over_a_leap_year():
    policy = policy_by_code("2018-06-25")
    day = date(2023, 1, 1)
    previous = quota_valid_until(day, policy)
    while day < date(2025, 1, 1):
        day += timedelta(days=1)
        current = quota_valid_until(day, policy)
        assert current >= previous
        assert (current - day).days in range(363, 366)
        previous = current


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
