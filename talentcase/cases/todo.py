"""HR's "Needs your action": the company's cases that wait on HR, each with the reasons why, most urgent first.

Each reason is one SQL condition on a case, so that the panel, the list's "Waiting on us" filter and the API's
`waiting=us` are the same cases by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from talentcase.cases import workflow
from talentcase.cases.models import NO_DUE_DATE, Case
from talentcase.cases.policy import POLICY_VERSIONS
from talentcase.common import clock
from talentcase.common.tenancy import visible
from talentcase.documents.checklist import DOCUMENT_KINDS
from talentcase.documents.display import slug
from talentcase.documents.models import Dependant, Document, ExpertLink
from talentcase.extensions import db
from talentcase.sla.models import CaseClock

# The reminder job (notifications.reminders) tells HR after the same time.
LINK_NOT_OPENED_AFTER = timedelta(days=3)
# In the order a case's reasons are listed: what the park or the expert waits for first, the draft last.
REASONS = ("info_requested", "document_rejected", "quota_to_lodge", "visa_to_lodge", "link_not_opened", "draft")
# Values of the list's `waiting` filter (and the API's).
WAITING = ("us", "others")
PANEL_SIZE = 20

_PARALLEL_POLICIES = tuple(version.code for version in POLICY_VERSIONS if version.parallel_quota_visa)


def reason_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each reason as a condition on a case row: true when the case waits on its company's HR for that reason.

    Never NULL (nullable columns are coalesced), so that "not waiting on us" is the exact complement."""
    not_paused = Case.paused_party.is_(None)
    not_closed = Case.status.not_in(workflow.FINAL_STATES)
    rejected = exists().where(Document.case_id == Case.id, Document.is_current.is_(True), Document.status == "rejected")
    # Only the newest link can be unrevoked (sending one revokes the others), so a new link restarts the three days.
    unopened = exists().where(
        ExpertLink.case_id == Case.id,
        ExpertLink.first_opened_at.is_(None),
        ExpertLink.revoked_at.is_(None),
        ExpertLink.expires_at > now,
        ExpertLink.created_at <= now - LINK_NOT_OPENED_AFTER,
    )
    parallel_visa = and_(
        Case.status == workflow.QUOTA,
        func.coalesce(Case.policy_code, "").in_(_PARALLEL_POLICIES),
        Case.visa_lodged.is_(False),
    )
    return {
        "info_requested": and_(
            func.coalesce(Case.paused_party, "") == "company", Case.status.in_(workflow.SUBMITTED_STATES)
        ),
        "document_rejected": and_(not_closed, rejected),
        "quota_to_lodge": and_(not_paused, Case.status == workflow.QUOTA_PREP),
        "visa_to_lodge": and_(not_paused, or_(Case.status == workflow.VISA_PREP, parallel_visa)),
        "link_not_opened": and_(not_closed, unopened),
        "draft": Case.status == workflow.DRAFT,
    }


def waiting_on(value: str, now: datetime) -> ColumnElement[bool]:
    """The list filter: "us", the cases that wait on the company's HR; "others", the submitted open cases that do
    not (they wait on the park, the authority or the expert)."""
    on_company = or_(*reason_conditions(now).values())
    if value == "us":
        return on_company
    if value == "others":
        return and_(Case.status.in_(workflow.SUBMITTED_STATES), not_(on_company))
    raise ValueError(f"unknown waiting filter {value!r}: expected one of {WAITING}")


@dataclass
class TodoCase:
    """One case of the panel: its reasons, the next due date of its running clocks, and its rejected documents."""

    case: Case
    reasons: list[str]
    due_on: date | None
    link_sent_on: date | None = None  # the day the unopened link was sent (Hong Kong)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (checklist slug, label) of each rejected item

    def days_left(self, today: date) -> int | None:
        """Days until the next due date (negative once it has passed); None when no clock runs."""
        return None if self.due_on is None else (self.due_on - today).days


def needs_action(user, now: datetime, *, limit: int = PANEL_SIZE) -> tuple[list[TodoCase], int]:
    """The cases that wait on the user's company, least time left first (cases with no running clock last), and how
    many there are in all."""
    conditions = reason_conditions(now)
    due = (
        select(func.min(CaseClock.due_on))
        .where(CaseClock.case_id == Case.id, CaseClock.is_running.is_(True))
        .scalar_subquery()
    )
    link_sent = (
        select(func.max(ExpertLink.created_at))
        .where(ExpertLink.case_id == Case.id, ExpertLink.revoked_at.is_(None))
        .scalar_subquery()
    )
    base = visible(Case, user).where(or_(*conditions.values()))
    total = db.session.scalar(base.with_only_columns(func.count(Case.id)).order_by(None))
    rows = db.session.execute(
        base.add_columns(
            due.label("due_on"),
            link_sent.label("link_sent_at"),
            *(condition.label(name) for name, condition in conditions.items()),
        )
        .options(selectinload(Case.company))
        .order_by(func.coalesce(due, NO_DUE_DATE), Case.opened_on, Case.id)
        .limit(limit)
    ).all()
    items = [
        TodoCase(
            row[0],
            [name for name in REASONS if getattr(row, name)],
            row.due_on,
            link_sent_on=_hong_kong_day(row.link_sent_at) if row.link_not_opened else None,
        )
        for row in rows
    ]
    _add_rejected_documents([item for item in items if "document_rejected" in item.reasons])
    return items, total or 0


def _add_rejected_documents(items: list[TodoCase]) -> None:
    """Name each rejected document still to replace, in one query for the panel."""
    by_case = {item.case.id: item for item in items}
    if not by_case:
        return
    rows = db.session.execute(
        select(Document.case_id, Document.kind, Document.dependant_id, Dependant.full_name)
        .outerjoin(Dependant, Dependant.id == Document.dependant_id)
        .where(Document.case_id.in_(by_case), Document.is_current.is_(True), Document.status == "rejected")
        .order_by(Document.case_id, Document.id)
    )
    for case_id, kind, dependant_id, dependant_name in rows:
        label = str(DOCUMENT_KINDS.get(kind, kind))
        if dependant_name:
            label = f"{label} ({dependant_name})"
        by_case[case_id].rejected.append((slug(kind, dependant_id), label))


def _hong_kong_day(value: datetime) -> date:
    return clock.as_aware(value).astimezone(clock.HONG_KONG).date()
