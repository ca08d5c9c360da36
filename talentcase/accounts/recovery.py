"""Links by mail with which a person sets their own password: a reset (30 minutes) and an invitation (7 days).

A link is signed (itsdangerous, with the app's SECRET_KEY) and carries a fingerprint of the account's password hash
and session version: setting a password changes both, so a link works once, and a new invitation ends the earlier
one. Nothing is stored; the mail itself goes out through the notifications' receiver of `account_link_issued`.
Services flush, never commit.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from talentcase.accounts.models import User
from talentcase.accounts.services import AccountError, end_sessions, find_user, set_password
from talentcase.common.http import external_url
from talentcase.common.signals import account_link_issued
from talentcase.extensions import db

RESET = "password_reset"
INVITATION = "invitation"
LIFETIMES = {RESET: timedelta(minutes=30), INVITATION: timedelta(days=7)}
ENDPOINTS = {RESET: "accounts.reset_password", INVITATION: "accounts.accept_invitation"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # A salt per purpose: a reset link cannot be used as an invitation, nor the other way round.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"talentcase-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash or ''}|{user.session_version}".encode()).hexdigest()[:24]


def issue_link(user: User, purpose: str) -> str:
    """A link for the user to set their password, announced (the mail is queued in this transaction); returns it."""
    token = _serializer(purpose).dumps([user.id, _fingerprint(user)])
    url = external_url(ENDPOINTS[purpose], token=token)
    account_link_issued.send(user, purpose=purpose, url=url, valid_for=LIFETIMES[purpose])
    return url


def user_for_link(token: str, purpose: str) -> User | None:
    """The active user a link is for, or None when it is unknown, altered, run out or used already."""
    try:
        user_id, fingerprint = _serializer(purpose).loads(token, max_age=int(LIFETIMES[purpose].total_seconds()))
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or fingerprint != _fingerprint(user):
        return None
    return user


def request_reset(email: str) -> User | None:
    """Send a reset link when an active account uses the address; the caller answers the same either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        return None
    issue_link(user, RESET)
    return user


def invite(user: User) -> str:
    """Send (or send again) the invitation to set a first password; an earlier invitation stops working."""
    if user.password_hash:
        raise AccountError(_("%(email)s has set a password already.", email=user.email))
    end_sessions(user)  # moves the fingerprint on: the link in an earlier invitation dies
    db.session.flush()
    return issue_link(user, INVITATION)


def set_password_by_link(user: User, password: str) -> None:
    """Set the password chosen through a link; every session and API token of the account ends with it."""
    set_password(user, password)
    db.session.flush()
