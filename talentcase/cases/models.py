"""Cases (one hire each), their append-only event log, quotas and eligibility overrides."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import Company, User
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db

if TYPE_CHECKING:
    from talentcase.documents.models import Dependant, Document
    from talentcase.sla.models import CaseClock, CaseForecast


# The due-date sort key of a case with no running, unpaused clock: after every real due date, on both databases.
NO_DUE_DATE = date(9999, 12, 31)


class Quota(db.Model):
    """A Quota Approval Letter from the ITC: a number of places, valid until a date."""

    __tablename__ = "quotas"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    places: Mapped[int] = mapped_column(Integer)
    granted_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    reference: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    company: Mapped[Company] = relationship()


class Case(db.Model):
    """One overseas hire of one company, from draft to the expert's arrival."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_company_status", "company_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    paused_party: Mapped[str | None] = mapped_column(String(10))
    visa_lodged: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_on: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    policy_code: Mapped[str | None] = mapped_column(String(10))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    # The candidate
    full_name: Mapped[str] = mapped_column(String(200))
    chinese_name: Mapped[str] = mapped_column(String(100), default="")
    nationality: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(254))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    passport_number: Mapped[str] = mapped_column(String(30), default="", index=True)
    passport_expiry_on: Mapped[date | None] = mapped_column(Date)
    is_mainland_resident: Mapped[bool] = mapped_column(Boolean, default=False)
    degree_level: Mapped[str] = mapped_column(String(10))
    degree_field: Mapped[str] = mapped_column(String(200), default="")
    university: Mapped[str] = mapped_column(String(200))
    # The company's declarations: None until HR answers (never answered for the company); all needed to submit.
    is_stem_degree: Mapped[bool | None] = mapped_column(Boolean)
    is_top100_university: Mapped[bool | None] = mapped_column(Boolean)
    years_experience: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal(0))

    # The position
    position_title: Mapped[str] = mapped_column(String(200))
    tech_area: Mapped[str] = mapped_column(String(40))
    duties: Mapped[str] = mapped_column(Text, default="")
    monthly_salary_hkd: Mapped[int] = mapped_column(Integer)
    is_full_time: Mapped[bool | None] = mapped_column(Boolean)
    is_principally_rd: Mapped[bool | None] = mapped_column(Boolean)
    intended_start_on: Mapped[date | None] = mapped_column(Date)
    local_hire_confirmed: Mapped[bool | None] = mapped_column(Boolean)

    # Contact details the expert may update through the portal
    phone: Mapped[str] = mapped_column(String(40), default="")
    expert_language: Mapped[str] = mapped_column(String(20), default="en")
    # Days from the visa's issue to the first day at work (travel, settling in), as HR expects: the expected start.
    travel_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")

    # The quota place this hire holds: reserved at accept/grant_quota, used at issue_visa.
    quota_id: Mapped[int | None] = mapped_column(ForeignKey("quotas.id"), index=True)
    quota_place: Mapped[str | None] = mapped_column(String(10))
    # The user id of the latest event an officer recorded, kept by take_action as events are appended (the log is
    # append-only), so that "officer who last acted" is an index lookup. A cached value rather than a foreign key:
    # adding one to an existing SQLite table would rebuild the whole cases table.
    last_officer_id: Mapped[int | None] = mapped_column(Integer)
    # The earliest due date of the running, unpaused clocks (NO_DUE_DATE when none runs), written with the cached
    # clock rows by sla.services.refresh_clocks: the console sorts by next due date through an index on it.
    due_order_on: Mapped[date] = mapped_column(Date, default=NO_DUE_DATE, server_default="9999-12-31")
    # The park officer who owns the case once it is submitted (None before): the one told of its events and the one
    # whose queue it sits in. A plain indexed id, like last_officer_id: a foreign key would rebuild the SQLite table.
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)

    company: Mapped[Company] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    owner: Mapped[User | None] = relationship(primaryjoin="foreign(Case.owner_id) == User.id")
    quota: Mapped[Quota | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.sequence", cascade="all, delete-orphan"
    )
    overrides: Mapped[list[EligibilityOverride]] = relationship(
        back_populates="case", order_by="EligibilityOverride.id", cascade="all, delete-orphan"
    )
    clocks: Mapped[list[CaseClock]] = relationship(
        back_populates="case", order_by="CaseClock.position", cascade="all, delete-orphan"
    )

    forecast_row: Mapped[CaseForecast | None] = relationship(uselist=False, viewonly=True)

    dependants: Mapped[list[Dependant]] = relationship(
        back_populates="case", order_by="Dependant.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="case", order_by="Document.id", cascade="all, delete-orphan"
    )

    @property
    def is_paused(self) -> bool:
        return self.paused_party is not None

    @property
    def clock_map(self) -> dict:
        return {clock_row.name: clock_row for clock_row in self.clocks}

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.reference} {self.status}>"


class CaseEvent(db.Model):
    """One entry of a case's append-only log: what happened, on which real date, recorded by whom and when."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    actor_role: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str | None] = mapped_column(String(10))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class EligibilityOverride(db.Model):
    """An officer's decision to let a failed eligibility check pass, with the justification."""

    __tablename__ = "eligibility_overrides"
    __table_args__ = (UniqueConstraint("case_id", "check_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    check_code: Mapped[str] = mapped_column(String(30))
    justification: Mapped[str] = mapped_column(Text)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case: Mapped[Case] = relationship(back_populates="overrides")
    officer: Mapped[User] = relationship()


# Search terms are compared in code-point order, so that a prefix is one index range on both databases: SQLite's
# default BINARY collation is that order, and on PostgreSQL the column says so with the "C" collation.
_TERM = String(100).with_variant(String(100, collation="C"), "postgresql")


class CaseSearchTerm(db.Model):
    """One word a case can be found by (reference, passport number, a word of a name), kept by the case services."""

    __tablename__ = "case_search_terms"

    term: Mapped[str] = mapped_column(_TERM, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
