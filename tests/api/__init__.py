"""Helpers for the JSON API tests: tokens per role, valid bodies, cases walked along their life with real dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from talentcase.accounts import services as accounts
from talentcase.cases import services
from talentcase.cases.models import Case
from talentcase.common.clock import HONG_KONG
from tests.factories import CaseFactory

ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")
# A Friday under the 2025-12-24 policy; every API test that depends on "today" runs on it.
TODAY = date(2026, 3, 20)
NOON_TODAY = datetime(2026, 3, 20, 12, 0, tzinfo=HONG_KONG)

# The role that records each action on the main line in these tests.
ROLE_OF = {
    "submit": "hr",
    "accept": "officer",
    "lodge_quota": "hr",
    "grant_quota": "officer",
    "lodge_visa": "hr",
    "issue_visa": "officer",
    "record_arrival": "hr",
    "request_info": "officer",
    "provide_info": "hr",
    "reject": "officer",
    "withdraw": "hr",
}


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def issue_tokens(people: dict[str, Any]) -> dict[str, str | None]:
    """A fresh API token for every role in ROLES (None for anonymous); the caller commits."""
    tokens: dict[str, str | None] = {"anonymous": None}
    for role in ROLES[1:]:
        tokens[role] = accounts.issue_token(people[role], "tests")[1]
    return tokens


def case_body(**candidate: Any) -> dict[str, Any]:
    """A POST /cases body for an eligible hire; keyword arguments replace candidate fields."""
    return {
        "candidate": {
            "full_name": "Priya Raghunathan",
            "nationality": "IN",
            "email": "priya@candidate.test",
            "degree_level": "master",
            "university": "Indian Institute of Technology Bombay",
            "years_experience": 2.5,
            "is_stem_degree": True,
            "is_top100_university": True,
            **candidate,
        },
        "position": {
            "title": "Robotics Research Engineer",
            "tech_area": "robotics",
            "monthly_salary_hkd": 55000,
            "is_full_time": True,
            "is_principally_rd": True,
        },
    }


def make_case(company, *, opened_on: date = date(2026, 3, 2), steps=(), **values: Any) -> Case:
    """A case opened on a date and walked through (action, occurred_on[, party]) steps by the usual roles."""
    case = CaseFactory(company=company, opened_on=opened_on, **values)
    for action, occurred_on, *rest in steps:
        party = rest[0] if rest else None
        note = "Please send the signed contract." if action in ("request_info", "reject", "withdraw") else ""
        services.take_action(
            case, action, role=ROLE_OF[action], occurred_on=occurred_on, party=party, note=note, actor_label="seed"
        )
    return case
