"""The demo's notices as people would have them: what happened before the last RECENT_DAYS has been read (the demo
officers and HR have been at work), so that the list opens on what is new, as on a real Monday morning."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from talentcase.common import clock
from talentcase.demo import register_day_hook, register_seeder
from talentcase.extensions import db
from talentcase.notifications.models import Notification
from talentcase.sla import sweep
from talentcase.sla.models import SlaAlert

RECENT_DAYS = 3


@register_day_hook
def read_the_past(day: date) -> None:
    """As the seed's replay passes a day older than RECENT_DAYS, everyone has read what reached them by then."""
    if day < clock.today() - timedelta(days=RECENT_DAYS):
        db.session.execute(update(Notification).where(Notification.read_at.is_(None)).values(read_at=clock.now()))


@register_seeder
def announce_the_past_alerts() -> int:
    """The clock alerts the replayed history crossed, raised and announced as the sweep would have done on the way;
    those crossed before the last RECENT_DAYS have been read. Returns how many were announced."""
    report = sweep.sweep()
    announced = sweep.announce(report.announce_ids)
    cutoff = clock.today() - timedelta(days=RECENT_DAYS)
    seen = (
        select(SlaAlert.id)
        .where(
            SlaAlert.case_id == Notification.case_id,
            ("alert_" + SlaAlert.threshold) == Notification.kind,
            SlaAlert.threshold_on < cutoff,
        )
        .exists()
    )
    db.session.execute(
        update(Notification)
        .where(Notification.read_at.is_(None), Notification.kind.like("alert\\_%", escape="\\"), seen)
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return announced
