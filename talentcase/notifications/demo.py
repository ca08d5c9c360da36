"""The demo's notices as people would have them: what happened before the last RECENT_DAYS has been read (the demo
officers and HR have been at work), so that the list opens on what is new, as on a real Monday morning."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from talentcase.common import clock
from talentcase.demo import register_day_hook
from talentcase.extensions import db
from talentcase.notifications.models import Notification

RECENT_DAYS = 7


@register_day_hook
def read_the_past(day: date) -> None:
    """As the seed's replay passes a day older than RECENT_DAYS, everyone has read what reached them by then."""
    if day < clock.today() - timedelta(days=RECENT_DAYS):
        db.session.execute(update(Notification).where(Notification.read_at.is_(None)).values(read_at=clock.now()))
