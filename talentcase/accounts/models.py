"""Companies, users and API tokens."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.extensions import db

PARKS = ("HKSTP", "Cyberport", "other")


class Company(db.Model):
    """A park company: the tenant whose cases its HR staff may see."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    park: Mapped[str] = mapped_column(String(20), default="HKSTP")
    br_number: Mapped[str | None] = mapped_column(String(40))
    br_expiry_on: Mapped[date | None] = mapped_column(Date)
    tech_areas: Mapped[str] = mapped_column(String(500), default="")
    is_listed: Mapped[bool] = mapped_column(Boolean, default=False)
    # A deactivated company's HR users cannot sign in nor use API tokens; its cases stay for the officers.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who signs the company's cover letters and declarations in submission packs (packs.views.company_details).
    signatory_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    users: Mapped[list[User]] = relationship(back_populates="company")

    @property
    def tech_area_codes(self) -> list[str]:
        return [code for code in self.tech_areas.split(",") if code]

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    """A person who signs in: HR of one company, a park officer or an administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # A work phone number, shown to the experts of the company's cases as their HR contact's.
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The language the person chose (en, zh_Hant_HK); None until they choose: the pages then follow their browser.
    preferred_language: Mapped[str | None] = mapped_column(String(20))
    # How notices reach this user by mail: immediate, digest (one mail a day) or off (in-app only).
    notification_mode: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # A park officer who also hears of the park's cases nearing or past a breach (SLA escalation at 75 % and breach).
    is_supervisor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # An HR user who runs their company's team (invites, deactivates, resets the second factor; talentcase/admin/team).
    is_company_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing this logs the user out everywhere (password reset, deactivation).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    company: Mapped[Company | None] = relationship(back_populates="users")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:
        """Whether the user may sign in and use API tokens: neither the user nor the user's company is deactivated."""
        # Flask-Login refuses inactive users; sign-in, the session loader and the token check ask this too.
        return self.is_enabled and (self.company_id is None or self.company.is_active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def mail_language(self) -> str:
        """The language of what reaches the person with no browser to ask (mail, digests): their choice, else en."""
        return self.preferred_language or "en"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API, stored only as a hash and shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
