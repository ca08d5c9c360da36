"""Who owns a submitted case: each park's assignment rule, the officers who take its cases, the technology areas
given to named officers, and cover for an officer who is away."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db

ROUND_ROBIN = "round_robin"
BY_AREA = "by_area"
RULES = (ROUND_ROBIN, BY_AREA)
# A taker whose park is ALL_PARKS takes cases of every park.
ALL_PARKS = "all"


class AssignmentRule(db.Model):
    """How a park's newly submitted cases find their owner, and whose turn it was last under round robin."""

    __tablename__ = "assignment_rules"

    park: Mapped[str] = mapped_column(String(20), primary_key=True)
    rule: Mapped[str] = mapped_column(String(20), default=ROUND_ROBIN)
    # The officer the round robin gave the park's latest case to: the next case goes to the one after.
    last_assigned_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CaseTaker(db.Model):
    """An officer who takes new cases of one park (or of every park, ALL_PARKS)."""

    __tablename__ = "case_takers"
    __table_args__ = (UniqueConstraint("user_id", "park"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    park: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class AreaOfficer(db.Model):
    """The officer who owns a park's new cases in one technology area under the "by technology area" rule."""

    __tablename__ = "area_officers"
    __table_args__ = (UniqueConstraint("park", "tech_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park: Mapped[str] = mapped_column(String(20))
    tech_area: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship()


class CoverPeriod(db.Model):
    """An officer away from one day to another (both included), their open cases covered by a colleague."""

    __tablename__ = "cover_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    covered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    covered_by: Mapped[User] = relationship(foreign_keys=[covered_by_id])
