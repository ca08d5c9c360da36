"""What the account screens and the lists' filters show: a user's API tokens, the companies and the officers."""

from __future__ import annotations

from sqlalchemy import Row, select

from talentcase.accounts.models import ApiToken, Company, User
from talentcase.common.roles import Role
from talentcase.extensions import db


def api_tokens(user: User) -> list[ApiToken]:
    """The user's API tokens, revoked ones too, newest first."""
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )


def company_names() -> list[Row]:
    """(id, name) of every company, by name, for a filter."""
    return list(db.session.execute(select(Company.id, Company.name).order_by(Company.name)))


def officer_names() -> list[tuple[int, str]]:
    """(id, name, or email when unnamed) of every park officer, by email, for a filter."""
    rows = db.session.execute(
        select(User.id, User.name, User.email).where(User.role == Role.OFFICER).order_by(User.email)
    )
    return [(user_id, name or email) for user_id, name, email in rows]
