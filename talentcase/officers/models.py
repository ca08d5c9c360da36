"""The officer's calendar feed: a secret address, stored only as a hash, that calendar programs poll."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, and_, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.cases.models import CaseEvent
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db
from talentcase.sla.models import CaseClock


class CalendarFeed(db.Model):
    """One officer's iCalendar feed of due dates; making a new address replaces the old one."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


# Indexes the console's set-based queries lean on, declared here next to the queries that need them (the tables
# belong to cases and sla). Partial indexes: a boolean column tells a planner without histograms (SQLite) nothing
# about how rare running clocks are, while an index holding only those rows does. Running clocks by due date: the
# clock counts, the at-risk queue, the breaches, the feed, the clock-state filter. Overall clocks that stopped, by
# stop date: visas per company, per week and per month. Each case's events by date: "waiting on".
RUNNING = CaseClock.is_running.is_(True)
STOPPED_OVERALL = and_(CaseClock.name == literal_column("'overall'"), CaseClock.is_running.is_(False))
Index("ix_case_clocks_running_due", CaseClock.due_on, sqlite_where=RUNNING, postgresql_where=RUNNING)
Index(
    "ix_case_clocks_overall_stopped",
    CaseClock.stopped_on,
    sqlite_where=STOPPED_OVERALL,
    postgresql_where=STOPPED_OVERALL,
)
Index("ix_case_events_case_occurred", CaseEvent.case_id, CaseEvent.occurred_on)
