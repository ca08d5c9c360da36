"""What the administration's confirmation pages count before a destructive action, and the tokens it revokes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from talentcase.accounts.models import ApiToken, Company, User
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.extensions import db
from talentcase.sla import services as sla


def usable_tokens(user: User) -> list[ApiToken]:
    """The user's API tokens that are not revoked, oldest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
        )
    )


def open_case_count(company: Company) -> int:
    """How many of the company's cases are still open (neither decided, arrived nor withdrawn)."""
    return db.session.scalar(
        select(func.count()).where(Case.company_id == company.id, Case.status.in_(workflow.OPEN_STATES))
    )


def cases_touching_count(day: date) -> int:
    """How many cases a change to the closure day recomputes: the number the flash message then reports."""
    return db.session.scalar(select(func.count()).select_from(sla.cases_touching(day).subquery()))
