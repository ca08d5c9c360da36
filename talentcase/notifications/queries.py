"""What the notices screens show: the bell's unread count and a page of a person's notices, filtered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from talentcase.accounts.models import User
from talentcase.cases.models import Case
from talentcase.common.paging import Page, paginate
from talentcase.extensions import db
from talentcase.notifications.models import Notification

PER_PAGE = 25

# News of what others did, which asks nothing of the reader: left out of "Needs me".
ROUTINE_KINDS = ("case_event",)
# The kinds of notice a person can filter by; "deadlines" are the clock alerts (alert_<threshold>).
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "requests": ("info_request", "info_provided", "info_answered", "case_message"),
    "documents": ("document_rejected",),
    "deadlines": (),
    "cases": ("case_submitted", "case_accepted", "case_rejected", "case_event"),
    "reminders": ("passport_expiring", "link_not_opened", "quota_expiring", "quota_reserved_expiring"),
}
KIND_LABELS = {
    "requests": _l("Requests for information"),
    "documents": _l("Documents to replace"),
    "deadlines": _l("Deadlines"),
    "cases": _l("Case progress"),
    "reminders": _l("Reminders"),
}


@dataclass(frozen=True)
class NoticeFilter:
    """The list's filters: "needs_me" (unread, asking something of the reader) or "all"; one case; one kind."""

    show: str = "needs_me"
    case_id: int | None = None
    kind: str = ""

    def args(self) -> dict[str, str | int]:
        """The filter as query arguments (for the pager and the links), defaults left out."""
        values: dict[str, str | int] = {}
        if self.show != "needs_me":
            values["show"] = self.show
        if self.case_id is not None:
            values["case"] = self.case_id
        if self.kind:
            values["kind"] = self.kind
        return values


def parse_filter(args: Mapping[str, str]) -> NoticeFilter:
    """The filter from query arguments; anything unknown is ignored (the default), never an error."""
    show = "all" if args.get("show") == "all" else "needs_me"
    raw_case = args.get("case", "")
    case_id = int(raw_case) if raw_case.isdigit() and len(raw_case) < 10 else None
    kind = args.get("kind", "") if args.get("kind", "") in KIND_GROUPS else ""
    return NoticeFilter(show=show, case_id=case_id, kind=kind)


def unread_count(user: User) -> int:
    """How many of the user's notices are unread, in one COUNT."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def _filtered(stmt: Select, chosen: NoticeFilter) -> Select:
    if chosen.show == "needs_me":
        stmt = stmt.where(Notification.read_at.is_(None), Notification.kind.not_in(ROUTINE_KINDS))
    if chosen.case_id is not None:
        stmt = stmt.where(Notification.case_id == chosen.case_id)
    if chosen.kind == "deadlines":
        stmt = stmt.where(Notification.kind.like("alert\\_%", escape="\\"))
    elif chosen.kind:
        stmt = stmt.where(Notification.kind.in_(KIND_GROUPS[chosen.kind]))
    return stmt


def notices_page(user: User, page: int, chosen: NoticeFilter | None = None) -> Page[Notification]:
    """A page of the user's notices that pass the filter, newest first."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    stmt = _filtered(stmt, chosen or NoticeFilter(show="all"))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(stmt, page=page, per_page=PER_PAGE)


def notice_cases(user: User, limit: int = 200) -> list[tuple[int, str]]:
    """The cases the user has notices about, (id, reference), newest reference first: the case filter's choices."""
    rows = db.session.execute(
        select(Case.id, Case.reference)
        .where(Case.id.in_(select(Notification.case_id).where(Notification.user_id == user.id)))
        .order_by(Case.reference.desc())
        .limit(limit)
    )
    return [(case_id, reference) for case_id, reference in rows]
