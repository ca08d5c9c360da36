"""What the notices screens show: the bell's unread count and a page of a person's notices."""

from __future__ import annotations

from sqlalchemy import func, select

from talentcase.accounts.models import User
from talentcase.common.paging import Page, paginate
from talentcase.extensions import db
from talentcase.notifications.models import Notification

PER_PAGE = 25


def unread_count(user: User) -> int:
    """How many of the user's notices are unread, in one COUNT."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def notices_page(user: User, page: int) -> Page[Notification]:
    """A page of the user's notices, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(stmt, page=page, per_page=PER_PAGE)
