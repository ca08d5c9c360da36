"""The signed-in officer's own work for the console's first section: the cases waiting on them, least time left
first, and how many of their other cases wait on whom or are at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from talentcase.accounts.models import Company
from talentcase.cases import ownership, workflow
from talentcase.cases.models import NO_DUE_DATE, Case
from talentcase.extensions import db
from talentcase.officers.filters import CLOCK_STATES, running_clock_in_state, waiting_party

QUEUE_LIMIT = 15


@dataclass(frozen=True)
class QueueCase:
    """One case waiting on the officer."""

    case_id: int
    reference: str
    full_name: str
    company: str
    status: str
    due_on: date | None
    days_left: int | None  # negative once overdue; None when no clock runs


@dataclass(frozen=True)
class YourWork:
    """The officer's queue and the counts of the rest of their open cases."""

    queue: list[QueueCase]
    waiting_on_you: int
    waiting: dict[str, int]  # party → the officer's open cases waiting on it (the officer's own excluded)
    by_state: dict[str, int]  # clock state → the officer's cases with a running clock in it


def your_work(officer_id: int, today: date, limit: int = QUEUE_LIMIT) -> YourWork:
    """What is the officer's today (their own cases and those they cover), in four statements."""
    mine = ownership.owned_by(officer_id, today)
    party = waiting_party().label("party")
    counts = dict(
        db.session.execute(
            select(party, func.count()).where(mine, Case.status.in_(workflow.SUBMITTED_STATES)).group_by(party)
        ).all()
    )
    rows = db.session.execute(
        select(Case.id, Case.reference, Case.full_name, Company.name, Case.status, Case.due_order_on)
        .join(Company, Company.id == Case.company_id)
        .where(mine, Case.status.in_(workflow.SUBMITTED_STATES), waiting_party() == "officer")
        .order_by(Case.due_order_on, Case.id)
        .limit(limit)
    )
    queue = [
        QueueCase(case_id, reference or "", name, company, status, *_due(due_on, today))
        for case_id, reference, name, company, status, due_on in rows
    ]
    by_state = {
        state: db.session.scalar(
            select(func.count()).select_from(Case).where(mine, running_clock_in_state(state, today))
        )
        or 0
        for state in ("at_risk", "breached")
        if state in CLOCK_STATES
    }
    waiting = {key: counts.get(key, 0) for key in workflow.WAITING_PARTIES if key != "officer"}
    return YourWork(queue, counts.get("officer", 0), waiting, by_state)


def _due(due_on: date | None, today: date) -> tuple[date | None, int | None]:
    if due_on is None or due_on == NO_DUE_DATE:
        return None, None
    return due_on, (due_on - today).days
