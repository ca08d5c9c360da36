"""The console's "Likely to breach": open cases whose forecast puts the visa's issue after their four-week due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from talentcase.accounts.models import Company
from talentcase.cases.models import Case
from talentcase.extensions import db
from talentcase.officers.queries import QUEUE_LIMIT
from talentcase.sla.models import CaseClock, CaseForecast
from talentcase.sla.queries import running_state


@dataclass(frozen=True)
class LikelyBreach:
    """An open case whose expected visa issue falls after its four-week due date, while still on track or paused."""

    case_id: int
    reference: str
    full_name: str
    company: str
    expected_on: date
    high_on: date
    due_on: date


def likely_to_breach(today: date, limit: int = QUEUE_LIMIT) -> list[LikelyBreach]:
    """The breaches to see before they are at risk: the running overall clocks, on track or paused, of cases whose
    forecast puts the visa's issue (its median) after the clock's due date; the soonest due first."""
    stmt = (
        select(
            Case.id,
            Case.reference,
            Case.full_name,
            Company.name,
            CaseForecast.visa_median_on,
            CaseForecast.visa_high_on,
            CaseClock.due_on,
        )
        .join(CaseForecast, CaseForecast.case_id == CaseClock.case_id)
        .join(Case, Case.id == CaseClock.case_id)
        .join(Company, Company.id == Case.company_id)
        .where(
            CaseClock.name == "overall",
            CaseClock.is_running.is_(True),
            CaseForecast.visa_done.is_(False),
            CaseForecast.cases_used > 0,  # the pledges chained say nothing a due date does not
            CaseForecast.visa_median_on > CaseClock.due_on,
            running_state(today).in_(("on_track", "paused")),
        )
        .order_by(CaseClock.due_on, Case.id)
        .limit(limit)
    )
    return [LikelyBreach(*row) for row in db.session.execute(stmt)]
