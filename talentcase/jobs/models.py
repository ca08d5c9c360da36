"""A row per background job: the outbox entry before Redis sees it, then the status the UI and API read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db


class JobRecord(db.Model):
    """One background job, keyed by its deterministic id so the same work is never queued twice."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    func: Mapped[str] = mapped_column(String(120))
    queue: Mapped[str] = mapped_column(String(20))
    args: Mapped[list] = mapped_column(JSON, default=list)
    # wanted: recorded in the same transaction as the change that needs it, not yet in Redis (the outbox);
    # queued: handed to RQ; started; finished; failed (after the last retry)
    status: Mapped[str] = mapped_column(String(10), default="wanted", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_done(self) -> bool:
        return self.status in ("finished", "failed")
