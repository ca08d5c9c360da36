"""What a company administrator's pages show: their company's HR users and their company's audit entries."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from talentcase.accounts.models import User
from talentcase.audit.models import AuditEntry
from talentcase.cases.models import Case
from talentcase.common.paging import Page, paginate
from talentcase.common.roles import Role
from talentcase.extensions import db

PER_PAGE = 50


def members(company_id: int) -> list[User]:
    """The company's HR users, by email."""
    return list(
        db.session.scalars(select(User).where(User.company_id == company_id, User.role == Role.HR).order_by(User.email))
    )


def company_audit_page(company_id: int, page: int) -> Page[AuditEntry]:
    """A page of the company's audit entries, newest first: those done by one of its users, done to one of its
    users, to one of its cases, or to the company itself. What officers or the park did elsewhere stays out."""
    users = select(User.id).where(User.company_id == company_id)
    company_cases = select(Case.id).where(Case.company_id == company_id)
    stmt = select(AuditEntry).where(
        or_(
            AuditEntry.actor_id.in_(users),
            and_(AuditEntry.target_type == "user", AuditEntry.target_id.in_(users)),
            and_(AuditEntry.target_type == "case", AuditEntry.target_id.in_(company_cases)),
            and_(AuditEntry.target_type == "company", AuditEntry.target_id == company_id),
        )
    )
    return paginate(stmt.order_by(AuditEntry.id.desc()), page=page, per_page=PER_PAGE)
