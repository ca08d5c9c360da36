"""Dependants, uploaded documents (every version kept) and the expert's private links."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db

if TYPE_CHECKING:
    from talentcase.accounts.models import Company
    from talentcase.cases.models import Case, Quota


class Dependant(db.Model):
    """A spouse/partner or an unmarried child under 18 coming with the expert."""

    __tablename__ = "dependants"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    relationship_kind: Mapped[str] = mapped_column(String(10))  # spouse | child
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case: Mapped[Case] = relationship(back_populates="dependants")


class Document(db.Model):
    """One uploaded version of one checklist item; a new upload of the same item keeps the older ones.

    A company document on file (business registration, a quota's approval letter) has no case but a company (and,
    for a letter, its quota): one row and one stored file that every case of the company uses."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_case_kind", "case_id", "kind", "dependant_id"),
        Index("ix_documents_company_kind", "company_id", "kind", "quota_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    quota_id: Mapped[int | None] = mapped_column(ForeignKey("quotas.id"))
    kind: Mapped[str] = mapped_column(String(40))
    dependant_id: Mapped[int | None] = mapped_column(ForeignKey("dependants.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(40))
    page_count: Mapped[int] = mapped_column(Integer, default=1)
    display_name: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date | None] = mapped_column(Date)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_by_label: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(10), default="uploaded")  # uploaded | accepted | rejected
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case | None] = relationship(back_populates="documents")
    company: Mapped[Company | None] = relationship()
    quota: Mapped[Quota | None] = relationship()
    dependant: Mapped[Dependant | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class ExpertLink(db.Model):
    """A private link that lets the expert follow one case; only a hash of its token is stored."""

    __tablename__ = "expert_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    created_by: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and clock.as_aware(self.expires_at) > now
