"""Cached clock columns, closure days and SLA policy versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db

if TYPE_CHECKING:
    from talentcase.cases.models import Case


class CaseClock(db.Model):
    """One clock of one case, cached from the event log so lists and sweeps never recompute in Python.

    `state` is the state as of `computed_on`; for a running clock the state on any later day follows from the
    dates alone (`at_risk_on`, `due_on`), which is what `talentcase.sla.queries.current_state` does in SQL.
    """

    __tablename__ = "case_clocks"
    __table_args__ = (UniqueConstraint("case_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    target_days: Mapped[int] = mapped_column(Integer)
    day_kind: Mapped[str] = mapped_column(String(10))
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    at_risk_on: Mapped[date] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    elapsed_days: Mapped[int] = mapped_column(Integer, default=0)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    is_running: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), index=True)
    computed_on: Mapped[date] = mapped_column(Date)
    # The next day an alert threshold is crossed (None when stopped, paused or every threshold has fired):
    # the sweep reads only the rows whose day has come, so its cost follows the crossings, not the cases.
    next_alert_on: Mapped[date | None] = mapped_column(Date, index=True)
    next_alert_threshold: Mapped[str | None] = mapped_column(String(12))

    case: Mapped[Case] = relationship(back_populates="clocks")
    thresholds: Mapped[list[ClockThreshold]] = relationship(
        back_populates="clock", cascade="all, delete-orphan", passive_deletes=True
    )


class ClockThreshold(db.Model):
    """The day one alert threshold of a running clock is crossed, cached so that the sweep raises alerts and advances
    `next_alert_on` in SQL alone. Rows exist for running, unpaused clocks only (refresh_clocks rewrites them)."""

    __tablename__ = "clock_thresholds"
    __table_args__ = (UniqueConstraint("clock_id", "threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("case_clocks.id", ondelete="CASCADE"))
    threshold: Mapped[str] = mapped_column(String(12))
    fires_on: Mapped[date] = mapped_column(Date)
    # thresholds.rank(threshold): orders thresholds from mild to severe in SQL (ties on a day, the most severe alert).
    severity: Mapped[int] = mapped_column(Integer)

    clock: Mapped[CaseClock] = relationship(back_populates="thresholds")


# Covers the sweep's two reads per clock (crossed by today; the next one after today) without a table lookup, in the
# claim's order (day, then most severe first), so that no clock's candidates are sorted (BENCHMARKS.md, sweep).
Index(
    "ix_clock_thresholds_clock_day",
    ClockThreshold.clock_id,
    ClockThreshold.fires_on,
    ClockThreshold.severity.desc(),
    ClockThreshold.threshold,
)


class ClosureDay(db.Model):
    """A day the government closed (typhoon signal 8 or above, black rainstorm): deadlines roll past it."""

    __tablename__ = "closure_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SlaPolicy(db.Model):
    """Clock targets and the at-risk threshold in force for clocks that start on or after `effective_from`."""

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    review_days: Mapped[int] = mapped_column(Integer, default=3)
    quota_days: Mapped[int] = mapped_column(Integer, default=14)
    visa_days: Mapped[int] = mapped_column(Integer, default=14)
    overall_days: Mapped[int] = mapped_column(Integer, default=28)
    at_risk_ratio: Mapped[float] = mapped_column(Float, default=0.75)
    # Alert thresholds: percentages of the target, and days before the due date (the breach always alerts).
    alert_percentages: Mapped[list] = mapped_column(JSON, default=lambda: [50, 75])
    alert_days_before_due: Mapped[list] = mapped_column(JSON, default=lambda: [2])
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SlaAlert(db.Model):
    """One threshold crossed by one run of one clock: the unique key makes every alert happen exactly once."""

    __tablename__ = "sla_alerts"
    __table_args__ = (UniqueConstraint("case_id", "clock", "cycle", "threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique key starts with it. Each index is written once per alert the sweep raises.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    clock_name: Mapped[str] = mapped_column("clock", String(10))
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    threshold: Mapped[str] = mapped_column(String(12))
    threshold_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # Crossed together with a more severe threshold (e.g. a case entered late): recorded, not announced.
    is_announced: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by the announcing job in the transaction that creates the notices: a retried job never announces twice.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CaseJourney(db.Model):
    """A case's milestones (first date of each), kept as its events are recorded: the history the expected dates
    are drawn from. Rows with no case are history imported from before TalentCase (the demo's two past years)."""

    __tablename__ = "case_journeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    park: Mapped[str] = mapped_column(String(20), default="")
    policy_code: Mapped[str | None] = mapped_column(String(10))
    has_quota_step: Mapped[bool | None] = mapped_column(Boolean)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    quota_lodged_on: Mapped[date | None] = mapped_column(Date)
    quota_granted_on: Mapped[date | None] = mapped_column(Date)
    visa_lodged_on: Mapped[date | None] = mapped_column(Date)
    visa_issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The days the case was asked for information, ISO dates in order.
    info_requests: Mapped[list] = mapped_column(JSON, default=list)


class CaseForecast(db.Model):
    """A case's expected dates (median and 80 % interval), recomputed on every event of the case and nightly."""

    __tablename__ = "case_forecasts"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    computed_on: Mapped[date] = mapped_column(Date)
    quota_median_on: Mapped[date | None] = mapped_column(Date)
    quota_low_on: Mapped[date | None] = mapped_column(Date)
    quota_high_on: Mapped[date | None] = mapped_column(Date)
    visa_median_on: Mapped[date | None] = mapped_column(Date, index=True)
    visa_low_on: Mapped[date | None] = mapped_column(Date)
    visa_high_on: Mapped[date | None] = mapped_column(Date)
    start_median_on: Mapped[date | None] = mapped_column(Date)
    start_low_on: Mapped[date | None] = mapped_column(Date)
    start_high_on: Mapped[date | None] = mapped_column(Date)
    quota_done: Mapped[bool] = mapped_column(Boolean, default=False)
    visa_done: Mapped[bool] = mapped_column(Boolean, default=False)
    cases_used: Mapped[int] = mapped_column(Integer, default=0)
    # What the visa estimate rests on (sla.forecast.Basis as plain values), worded when shown.
    basis: Mapped[dict] = mapped_column(JSON, default=dict)
