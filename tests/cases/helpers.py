"""Helpers for case-service tests: valid particulars, opening a case, walking it along the main line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from talentcase.cases import search, services
from talentcase.cases.models import Case, CaseEvent
from tests.factories import ANSWERED

# The main line of a case, and the status each action leads to when no quota place is free.
MAIN_LINE: tuple[tuple[str, str], ...] = (
    ("submit", "review"),
    ("accept", "quota_prep"),
    ("lodge_quota", "quota"),
    ("grant_quota", "visa_prep"),
    ("lodge_visa", "visa"),
    ("issue_visa", "approved"),
    ("record_arrival", "arrived"),
)
NEXT_ACTION: dict[str, str] = {
    "draft": "submit",
    "review": "accept",
    "quota_prep": "lodge_quota",
    "quota": "grant_quota",
    "visa_prep": "lodge_visa",
    "visa": "issue_visa",
    "approved": "record_arrival",
}
# Who records each action in these tests (a role allowed by DESIGN.md).
ROLE_OF: dict[str, str] = {
    "submit": "hr",
    "accept": "officer",
    "lodge_quota": "hr",
    "grant_quota": "officer",
    "lodge_visa": "hr",
    "issue_visa": "officer",
    "record_arrival": "hr",
    "withdraw": "hr",
    "reject": "officer",
}


def case_values(**overrides: Any) -> dict[str, Any]:
    """Particulars of an eligible hire (model attribute names); overrides replace single values."""
    values: dict[str, Any] = {
        "full_name": "Priya Raghunathan",
        "nationality": "IN",
        "email": "priya@candidate.test",
        "date_of_birth": date(1992, 4, 17),
        "passport_number": "Z1234567",
        "degree_level": "master",
        "degree_field": "Computer Science",
        "university": "Indian Institute of Technology Bombay",
        "years_experience": "3",
        "position_title": "Machine Learning Engineer",
        "tech_area": "artificial_intelligence",
        "duties": "Design and train perception models for warehouse robots.",
        "monthly_salary_hkd": 52000,
        **ANSWERED,
    }
    values.update(overrides)
    return values


def make_case(company, *, opened_on: date | None = None, creator=None, **overrides: Any) -> Case:
    """Open a draft case for the company with eligible particulars."""
    return services.open_case(company, case_values(**overrides), creator=creator, opened_on=opened_on)


def store_unchecked(case: Case, **values: Any) -> Case:
    """Write particulars straight onto an open case, past the rules of cases.schema, and index them: data stored
    before a rule existed (a Hangul name in the English name, a name starting with "=") that lists, search and
    exports must still handle."""
    for attr, value in values.items():
        setattr(case, attr, value)
    search.index_case(case)
    return case


def act(case: Case, action: str, on: date | None, people: dict, **kwargs: Any) -> CaseEvent:
    """Take an action as the usual role (HR of company A, or the officer)."""
    role = kwargs.pop("role", ROLE_OF.get(action, "officer"))
    if action in ("reject", "withdraw"):
        kwargs.setdefault("note", "The hire does not go ahead.")  # both need a reason
    actor = kwargs.pop("actor", people["hr_a"] if role == "hr" else people["officer"])
    return services.take_action(case, action, role=role, actor=actor, occurred_on=on, **kwargs)


def walk_to(case: Case, status: str, people: dict, *, start: date, step_days: int = 1) -> date:
    """Take main-line actions, one every step_days after start, until the case has the status; returns the last day."""
    day = start
    for _ in MAIN_LINE:
        if case.status == status:
            break
        day += timedelta(days=step_days)
        act(case, NEXT_ACTION[case.status], day, people)
    assert case.status == status, f"could not walk the case to {status} (it is {case.status})"
    return day
