"""What the administration's pages show: companies and users, the audit log and the outbox, and what the
confirmation pages count before a destructive action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Row, func, select

from talentcase.accounts.models import ApiToken, Company, User
from talentcase.audit.models import AuditEntry
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.paging import Page, paginate
from talentcase.extensions import db
from talentcase.notifications.models import OutboundMail
from talentcase.sla import services as sla

PER_PAGE = 50


def companies() -> list[Company]:
    """Every company, by name."""
    return list(db.session.scalars(select(Company).order_by(Company.name)))


def active_company_names() -> list[Row]:
    """(id, name) of the companies that may still get users, by name."""
    return list(
        db.session.execute(select(Company.id, Company.name).where(Company.is_active.is_(True)).order_by(Company.name))
    )


def users() -> list[User]:
    """Every user, by role and then email."""
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def _hk_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.HONG_KONG).astimezone(clock.UTC)


def audit_page(
    page: int, *, action: str = "", actor: str = "", since: date | None = None, until: date | None = None
) -> Page[AuditEntry]:
    """A page of the audit log, newest first, narrowed by action, actor (text in their label) and Hong Kong days."""
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        # The text as typed: escaped, so that "%" and "_" match themselves rather than anything.
        stmt = stmt.where(AuditEntry.actor_label.icontains(actor, autoescape=True))
    if since:
        stmt = stmt.where(AuditEntry.at >= _hk_midnight(since))
    if until:
        stmt = stmt.where(AuditEntry.at < _hk_midnight(until + timedelta(days=1)))
    return paginate(stmt.order_by(AuditEntry.id.desc()), page=page, per_page=PER_PAGE)


def audit_actions() -> list[str]:
    """The actions the audit log has recorded, for its filter."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def outbox_page(page: int, *, status: str = "") -> Page[OutboundMail]:
    """A page of the outgoing mail, newest first, of one status or all."""
    stmt = select(OutboundMail)
    if status:
        stmt = stmt.where(OutboundMail.status == status)
    return paginate(stmt.order_by(OutboundMail.created_at.desc(), OutboundMail.id.desc()), page=page, per_page=PER_PAGE)


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
