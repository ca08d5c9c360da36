"""Helpers for the case-message tests: a submitted case of company A, and an officer's question on it."""

from __future__ import annotations

from datetime import date

from talentcase.cases import services as cases
from talentcase.cases.models import Case
from talentcase.extensions import db
from tests.portal import make_case, walk

QUESTION = "Please upload the signed contract page showing the 13th-month pay."


def case_in_review(people: dict, **values) -> Case:
    """A case of company A submitted to the park the day before the tests' "now" (committed), its clocks on track."""
    case = make_case(people, **values)
    walk(case, people, "review", start=date(2026, 3, 19))
    return case


def ask(case: Case, people: dict, party: str = "company", *, by: str = "officer", note: str = QUESTION) -> None:
    """Request information on the case (the officer of the company or the expert; HR of the expert), committed."""
    role = "officer" if by == "officer" else "hr"
    cases.take_action(case, "request_info", role=role, actor=people[by], party=party, note=note)
    db.session.commit()
