"""A submission pack: keyed by the hash of everything that goes into it, with the parameters it was made from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db


class Pack(db.Model):
    """One rendering of a case's pack; the same inputs always map to the same row (and the same file)."""

    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("case_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(20), default="en")
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    # The authority's step the bundle is for: quota (ITC) or visa (ImmD).
    stage: Mapped[str] = mapped_column(String(10), default="visa", server_default="visa")
    # With the park's internal annex (clocks, timeline, eligibility): an officer's pack that HR never sees.
    has_internal_annex: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | ready | failed
    job_id: Mapped[str] = mapped_column(String(120))
    storage_key: Mapped[str | None] = mapped_column(String(200))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(Integer, default=0)
    template_version: Mapped[str] = mapped_column(String(64))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Asked for again with nothing changed, the same pack is the latest one asked for: "the latest pack" follows this.
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()


class PackSignature(db.Model):
    """HR's electronic signature of a pack's declaration: who typed their name, when, over which reviewed file."""

    __tablename__ = "pack_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"), index=True)
    signed_pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    typed_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The SHA-256 of the pack file the signer reviewed: printed under the signature, so anyone can check it.
    document_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    signer: Mapped[User] = relationship()
