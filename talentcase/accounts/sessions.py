"""Signed-in sessions: start one, judge whether it is still alive, move its idle clock on, end it or the others."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update

from talentcase.accounts.models import User
from talentcase.accounts.session_models import UserSession
from talentcase.common import clock
from talentcase.extensions import db

EndReason = Literal["ended", "idle", "lifetime"]

# (pattern, name) in order: Edge and Opera say "Chrome" too, Chrome says "Safari" too, so the specific ones first.
BROWSERS = (
    (r"Edg/", "Edge"),
    (r"OPR/", "Opera"),
    (r"Firefox/", "Firefox"),
    (r"Chrome/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
)
SYSTEMS = (
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
)


def digest(plain: str) -> str:
    """The hash kept for a session id or a kept form's key (random and long: no slow hash needed)."""
    return hashlib.sha256(plain.encode()).hexdigest()


def device_summary(user_agent: str) -> tuple[str | None, str | None]:
    """(browser, system) named from a User-Agent header, None for what it does not say."""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, user_agent)), None)
    return browser, system


def end_reason(row: UserSession, now: datetime, *, idle: timedelta, lifetime: timedelta) -> EndReason | None:
    """Why the session is over (signed out, idle too long, past its absolute lifetime), or None while it lives."""
    if row.ended_at is not None:
        return "ended"
    if now - clock.as_aware(row.created_at) >= lifetime:
        return "lifetime"
    if now - clock.as_aware(row.last_seen_at) >= idle:
        return "idle"
    return None


def start_session(user: User, user_agent: str, ip: str | None) -> tuple[UserSession, str]:
    """A new session for the user; returns it and the random id for the cookie (only its hash is kept)."""
    plain = secrets.token_urlsafe(32)
    now = clock.now()
    row = UserSession(
        user=user, id_hash=digest(plain), user_agent=user_agent[:300], ip=ip, created_at=now, last_seen_at=now
    )
    db.session.add(row)
    db.session.flush()
    return row, plain


def find_session(user: User, plain: str | None) -> UserSession | None:
    """The user's session whose cookie holds `plain`, or None."""
    if not plain or len(plain) > 100:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.id_hash == digest(plain)))
    if row is None or row.user_id != user.id or not hmac.compare_digest(row.id_hash, digest(plain)):
        return None
    return row


def touch(row: UserSession, now: datetime, precision: timedelta) -> None:
    """Move the idle clock on, writing only when it has moved by `precision` (not a write on every request)."""
    if now - clock.as_aware(row.last_seen_at) >= precision:
        row.last_seen_at = now


def end_session(row: UserSession) -> None:
    """End one session (its cookie signs no one in from now on)."""
    if row.ended_at is None:
        row.ended_at = clock.now()
        db.session.flush()


def end_other_sessions(user: User, keep: UserSession | None) -> int:
    """End every live session of the user but `keep`; returns how many ended."""
    if user.id is None:  # a user being created (a first password) has no sessions yet
        return 0
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=clock.now()).execution_options(synchronize_session="fetch"))
    return result.rowcount


def live_sessions(user: User, now: datetime, *, idle: timedelta, lifetime: timedelta) -> list[UserSession]:
    """The user's sessions still alive, the most recently seen first."""
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [row for row in rows if end_reason(row, now, idle=idle, lifetime=lifetime) is None]
