"""The officer's calendar feed: a secret address, stored only as a hash, that calendar programs poll."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, and_, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.cases.models import Case, CaseEvent
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
# about how rare running clocks are, while an index holding only those rows does.
# - Running clocks by due date, covering what their state today follows from (the dates, and a paused clock's cached
#   state): the clock counts, the at-risk queue, the breaches, the feed and the clock-state filter read this index
#   alone.
# - Overall clocks that stopped, by stop date, covering the days and the state: visas per company, week and month.
# - Each case's running clocks with their due dates: the next due date of a listed case is one index seek.
# - Each case's events by date ("waiting on") and its officers' events by id (the officer who acted last).
# - Cases by technology area, state and company: the list's filters are counted from this index alone.
# - Cases by the officer who acted last: the officer filter.
# - Cases by state with submission date and party asked: ageing and "waiting on" read only this index.
# - Cases in the order of each sort of the list, so that a page is read in order rather than sorted from all cases.
# - Cases by quota and place: the places taken of each valid quota are counted from this index alone.
# - Cases by id with company and state: a narrow copy of what joins from clocks to cases need (visas per company,
#   the cases of the running clocks in a state), so that they do not read the wide case rows.
RUNNING = CaseClock.is_running.is_(True)
STOPPED_OVERALL = and_(CaseClock.name == literal_column("'overall'"), CaseClock.is_running.is_(False))
Index(
    "ix_case_clocks_running_due",
    CaseClock.due_on,
    CaseClock.at_risk_on,
    CaseClock.is_paused,
    CaseClock.state,  # a paused clock keeps the state it was cached with (talentcase/sla/queries.py)
    CaseClock.name,
    CaseClock.case_id,
    CaseClock.is_running,  # the partial condition's own column: SQLite reads an index alone only when it has it
    sqlite_where=RUNNING,
    postgresql_where=RUNNING,
)
Index(
    "ix_case_clocks_overall_stopped",
    CaseClock.stopped_on,
    CaseClock.started_on,
    CaseClock.state,
    CaseClock.case_id,
    CaseClock.name,
    CaseClock.is_running,
    sqlite_where=STOPPED_OVERALL,
    postgresql_where=STOPPED_OVERALL,
)
Index("ix_case_clocks_case_next_due", CaseClock.case_id, CaseClock.is_running, CaseClock.is_paused, CaseClock.due_on)
Index("ix_case_events_case_occurred", CaseEvent.case_id, CaseEvent.occurred_on)
Index("ix_case_events_case_officer", CaseEvent.case_id, CaseEvent.actor_role, CaseEvent.id)
Index("ix_cases_area_status_company", Case.tech_area, Case.status, Case.company_id)
Index("ix_cases_quota_place", Case.quota_id, Case.quota_place)
Index("ix_cases_id_company_status", Case.id, Case.company_id, Case.status)
Index("ix_cases_last_officer", Case.last_officer_id)
Index("ix_cases_status_submitted", Case.status, Case.submitted_on, Case.paused_party)
Index("ix_cases_due_order", Case.due_order_on, Case.id)
Index("ix_cases_name_order", Case.full_name, Case.id)
Index("ix_cases_opened_order", Case.opened_on, Case.id)
