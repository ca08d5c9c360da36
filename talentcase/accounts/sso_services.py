"""Single sign-on rules: find, link or make the park staff account for an identity. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.accounts import services
from talentcase.accounts.mfa_models import SsoIdentity
from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.extensions import db


class SsoRefusal(ValueError):
    """Why an identity the provider vouched for may not sign in here, fit to show the person."""


def user_for_identity(
    issuer: str, claims: Mapping[str, Any], role: str | None, *, create: bool, local_passwords: bool
) -> User:
    """The user this identity signs in as: linked before, else the staff account with the same verified email,
    else (when allowed) a new one; the role follows the directory's groups each time."""
    if role is None:
        raise SsoRefusal(_("Your park account is not in a group that may use TalentCase. Ask your administrator."))
    subject = str(claims.get("sub") or "")
    identity = db.session.scalar(
        select(SsoIdentity).where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )
    user = identity.user if identity is not None else _by_email(claims)
    if user is None and not create:
        raise SsoRefusal(_("You have no TalentCase account yet. Ask your administrator to add you."))
    if user is None:
        user = services.create_user(str(claims["email"]), role=role, name=str(claims.get("name") or ""))
    if user.role not in ("officer", "admin"):
        raise SsoRefusal(_("Single sign-on is for park staff. Sign in with your email address and password."))
    if not user.is_active:
        raise SsoRefusal(_("This account has been deactivated. Ask your administrator."))
    user.role = role
    if identity is None:
        identity = SsoIdentity(user_id=user.id, issuer=issuer, subject=subject)
        db.session.add(identity)
    identity.last_used_at = clock.now()
    if not local_passwords:
        user.password_hash = None  # the provider is the only way in: a leaked old password opens nothing
    db.session.flush()
    return user


def _by_email(claims: Mapping[str, Any]) -> User | None:
    # Only an address the provider says it checked: an unverified one could be anybody's.
    if not claims.get("email") or claims.get("email_verified") is False:
        return None
    return services.find_user(str(claims["email"]))
