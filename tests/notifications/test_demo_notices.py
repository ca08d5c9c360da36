"""After `flask demo seed`, the demo officer's unread notices are few and theirs: at most 20, each about a case they
own or a threshold they must act on; seeded cases are owned by the demo officers, and the park has a supervisor."""

from __future__ import annotations

from collections import Counter
from datetime import date

import time_machine
from sqlalchemy import select

from talentcase.accounts.models import User
from talentcase.cases.models import Case
from talentcase.notifications.models import Notification


def test_after_demo_seed_the_demo_officer_has_at_most_20_unread_notices_all_theirs(db, runner):
    with time_machine.travel(date(2026, 11, 27), tick=False):
        result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output

    officer = db.session.scalar(select(User).where(User.email == "officer@talentcase.demo"))
    unread = db.session.scalars(
        select(Notification).where(Notification.user_id == officer.id, Notification.read_at.is_(None))
    ).all()
    assert 1 <= len(unread) <= 20, [notice.title for notice in unread]
    for notice in unread:
        case = db.session.get(Case, notice.case_id) if notice.case_id else None
        is_theirs = case is not None and case.owner_id == officer.id
        assert is_theirs or notice.kind.startswith("alert_"), (notice.kind, notice.title)

    submitted = [case for case in db.session.scalars(select(Case)) if any(e.action == "submit" for e in case.events)]
    owners = Counter(case.owner.email for case in submitted if case.owner is not None)
    assert sum(owners.values()) == len(submitted)  # every submitted case has an owner
    assert {"officer@talentcase.demo", "officer2@talentcase.demo"} <= set(owners)
    assert db.session.scalar(select(User).where(User.is_supervisor.is_(True), User.role == "officer")) is not None
