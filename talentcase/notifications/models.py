"""Outgoing mail, kept as rows: the outbox an admin can read, and the record that a mail was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
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


class Notification(db.Model):
    """An in-app notice for one user (the bell); it may also go out by mail at once or in the daily digest."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # The title and body as catalogue messages with their parameters (notifications.messages), so that the list
    # shows them in the reader's language of the day; None for notices written before (their text is all there is)
    # and for a body that is someone's own words. title and body keep the text as first written and mailed.
    title_message: Mapped[dict | None] = mapped_column(JSON)
    body_message: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the notice went out by mail, at once or in a digest: a notice is never mailed twice.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(db.Model):
    """A reminder that has been raised (quota expiring, passport expiring, link not opened): once per key."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
