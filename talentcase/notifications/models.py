"""Outgoing mail, kept as rows: the outbox an admin can read, and the record that a mail was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db


class OutboundMail(db.Model):
    """One email: pending until the mail job sends it (or logs it when no MAIL_URL is set)."""

    __tablename__ = "outbound_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(20), default="en")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | sent | logged | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
