"""After `demo seed`, every submitted case has an owner, the officer who works on it; drafts have none."""

from __future__ import annotations

from collections import Counter
from datetime import date

import time_machine
from sqlalchemy import select

from talentcase.accounts.models import User
from talentcase.cases.models import Case


def test_demo_cases_are_owned_by_the_officer_who_works_on_them(db, runner):
    with time_machine.travel(date(2026, 11, 27), tick=False):
        result = runner.invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
        cases = db.session.scalars(select(Case)).all()
    emails = {user.id: user.email for user in db.session.scalars(select(User))}
    assert all(case.owner_id is None for case in cases if case.submitted_on is None)  # drafts, a withdrawn draft
    submitted = [case for case in cases if case.submitted_on is not None]
    assert all(case.owner_id is not None for case in submitted)
    assert all(case.owner_id == case.last_officer_id for case in submitted if case.last_officer_id)
    owners = Counter(emails[case.owner_id] for case in submitted)
    assert set(owners) == {"officer@talentcase.demo", "officer2@talentcase.demo"}
    assert min(owners.values()) >= len(submitted) // 3  # both officers have a real queue
