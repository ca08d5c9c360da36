"""TechTAS policy versions: which rules applied on which date, as plain immutable values."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# User-facing text is either a plain str or a flask-babel LazyString; LazyStrings are translated when str()'d,
# which works outside an app context too (it then falls back to the English source text).
Text = str | LazyString

# Ordered: this is the order forms and reports list the areas in (the order in which the scheme added them,
# 'other' last). Labels are the current names; see PolicyVersion.tech_area_label for historical names.
TECH_AREAS: Mapping[str, Text] = MappingProxyType(
    {
        "artificial_intelligence": _l("Artificial intelligence"),
        "biotechnology": _l("Biotechnology"),
        "cybersecurity": _l("Cybersecurity"),
        "data_analytics": _l("Data analytics"),
        "financial_technologies": _l("Financial technologies"),
        "material_science": _l("Material science"),
        "robotics": _l("Robotics"),
        "advanced_communication": _l("Advanced communication technologies"),
        "digital_entertainment": _l("Digital entertainment"),
        "green_technology": _l("Green technology"),
        "ic_design": _l("Integrated circuit design"),
        "iot": _l("Internet of Things"),
        "microelectronics": _l("Microelectronics"),
        "quantum": _l("Quantum technology"),
        "other": _l("Other"),
    }
)

DEGREE_LEVELS: Mapping[str, Text] = MappingProxyType(
    {
        "bachelor": _l("Bachelor's degree"),
        "master": _l("Master's degree"),
        "doctorate": _l("Doctorate (PhD)"),
    }
)

PARKS: Mapping[str, Text] = MappingProxyType(
    {
        "HKSTP": _l("Hong Kong Science and Technology Parks"),
        "Cyberport": _l("Cyberport"),
        "other": _l("Other (not a park tenant)"),
    }
)

# The same, short, for tables and lists.
PARK_SHORT_NAMES: Mapping[str, Text] = MappingProxyType(
    {"HKSTP": _l("HKSTP"), "Cyberport": _l("Cyberport"), "other": _l("Other")}
)


def park_name(code: str | None) -> str:
    """A park's short name in the current language (the code itself when unknown)."""
    return str(PARK_SHORT_NAMES.get(code or "", code or "—"))


# The parks whose tenants and incubatees were the only eligible companies under the 2018 rules.
PARK_TENANT_CODES: frozenset[str] = frozenset({"HKSTP", "Cyberport"})

EligibleCompanies = Literal["park_tenants", "rd_companies"]

# 5G was renamed "advanced communication technologies" on 2022-12-28; cases judged under the earlier versions
# keep the name the rules used then.
_ADVANCED_COMMUNICATION_RENAMED_ON = date(2022, 12, 28)


@dataclass(frozen=True)
class PolicyVersion:
    """One version of the TechTAS rules, in force from effective_from until the next version starts."""

    code: str
    effective_from: date
    title: Text
    eligible_companies: EligibleCompanies
    # None means the version does not restrict technology areas at all.
    tech_areas: frozenset[str] | None
    local_hire_rule: bool
    quota_validity_months: int
    parallel_quota_visa: bool

    def allows_tech_area(self, code: str) -> bool:
        """Whether a known technology-area code is eligible under this version."""
        if code not in TECH_AREAS:
            return False
        return self.tech_areas is None or code in self.tech_areas

    def tech_area_label(self, code: str) -> Text:
        """The label of a technology area as this version named it."""
        if code == "advanced_communication" and self.effective_from < _ADVANCED_COMMUNICATION_RENAMED_ON:
            return _l("5G communications")
        return TECH_AREAS[code]


_AREAS_2018 = frozenset(
    {
        "artificial_intelligence",
        "biotechnology",
        "cybersecurity",
        "data_analytics",
        "financial_technologies",
        "material_science",
        "robotics",
    }
)
_AREAS_2020 = _AREAS_2018 | {
    "advanced_communication",
    "digital_entertainment",
    "green_technology",
    "ic_design",
    "iot",
    "microelectronics",
}
_AREAS_2022 = _AREAS_2020 | {"quantum"}

# Oldest first; policy_in_force relies on this order.
POLICY_VERSIONS: tuple[PolicyVersion, ...] = (
    PolicyVersion(
        code="2018-06-25",
        effective_from=date(2018, 6, 25),
        title=_l("TechTAS launch (park tenants, 7 technology areas)"),
        eligible_companies="park_tenants",
        tech_areas=_AREAS_2018,
        local_hire_rule=True,
        quota_validity_months=12,
        parallel_quota_visa=False,
    ),
    PolicyVersion(
        code="2020-01-01",
        effective_from=date(2020, 1, 1),
        title=_l("Extension to all R&D companies and 13 technology areas"),
        eligible_companies="rd_companies",
        tech_areas=_AREAS_2020,
        local_hire_rule=True,
        quota_validity_months=12,
        parallel_quota_visa=False,
    ),
    PolicyVersion(
        code="2022-12-28",
        effective_from=date(2022, 12, 28),
        title=_l("14 technology areas, local-hire rule abolished, 24-month quota"),
        eligible_companies="rd_companies",
        tech_areas=_AREAS_2022,
        local_hire_rule=False,
        quota_validity_months=24,
        parallel_quota_visa=False,
    ),
    PolicyVersion(
        code="2025-12-24",
        effective_from=date(2025, 12, 24),
        title=_l("No technology-area restriction, quota and visa in parallel"),
        eligible_companies="rd_companies",
        tech_areas=None,
        local_hire_rule=False,
        quota_validity_months=24,
        parallel_quota_visa=True,
    ),
)

_BY_CODE: Mapping[str, PolicyVersion] = MappingProxyType({v.code: v for v in POLICY_VERSIONS})


def policy_in_force(on: date) -> PolicyVersion:
    """The policy version in force on a date; ValueError before the scheme started on 2018-06-25."""
    # A datetime is a date subclass but cannot be compared with one, so reduce it to its date.
    if isinstance(on, datetime):
        on = on.date()
    if on < POLICY_VERSIONS[0].effective_from:
        raise ValueError(f"TechTAS did not exist on {on.isoformat()}: it started on 2018-06-25")
    in_force = POLICY_VERSIONS[0]
    for version in POLICY_VERSIONS:
        if version.effective_from <= on:
            in_force = version
    return in_force


def policy_by_code(code: str) -> PolicyVersion:
    """The policy version with this code; ValueError when there is none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown TechTAS policy version {code!r}") from None


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the last day of the month when that day does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def quota_valid_until(granted_on: date, policy: PolicyVersion) -> date:
    """The last day a quota granted on `granted_on` is valid under `policy`."""
    months = policy.quota_validity_months
    month_index = granted_on.month - 1 + months
    year, month = granted_on.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if granted_on.day > last_day:
        # Corresponding-date rule: when the same day does not exist N months later (29 Feb -> 2025), the period
        # ends on the last day of that month rather than eating a day of the holder's validity.
        return date(year, month, last_day)
    # The grant day counts as the first day of validity, so it ends the day before the same day N months later.
    return date(year, month, granted_on.day) - timedelta(days=1)
