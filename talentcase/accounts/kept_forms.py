"""Keeping what was typed into a form sent after its session ended, for the same page after signing in again."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from talentcase.accounts.session_models import KeptForm
from talentcase.accounts.sessions import digest
from talentcase.common import clock
from talentcase.extensions import db

KEPT_FOR = timedelta(minutes=30)  # long enough to sign in (a forgotten password included), short for a shared desk
MAX_CHARACTERS = 100_000


def keepable_fields(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The fields worth giving back: never a password, a CSRF token or a one-time code."""
    kept = [(name, value) for name, value in pairs if not _is_secret(name.lower())]
    return kept if sum(len(name) + len(value) for name, value in kept) <= MAX_CHARACTERS else []


def _is_secret(name: str) -> bool:
    return "password" in name or name.endswith("csrf_token") or name == "code" or name.endswith("-code")


def keep_form(path: str, fields: list[tuple[str, str]], user_id: int | None) -> str:
    """Keep the fields for `path`; returns the random key for the browser (only its hash is stored)."""
    now = clock.now()
    db.session.execute(delete(KeptForm).where(KeptForm.created_at < now - KEPT_FOR))
    plain = secrets.token_urlsafe(32)
    db.session.add(
        KeptForm(
            key_hash=digest(plain), path=path[:500], user_id=user_id, fields_json=json.dumps(fields), created_at=now
        )
    )
    db.session.flush()
    return plain


def take_kept_form(plain: str, path: str, user_id: int, now: datetime) -> list[tuple[str, str]] | None:
    """The fields kept under `plain` for this page and person, once (the row goes); None when there are none."""
    if not plain or len(plain) > 100:
        return None
    row = db.session.scalar(select(KeptForm).where(KeptForm.key_hash == digest(plain)))
    if row is None or row.path != path:
        return None
    db.session.delete(row)
    db.session.flush()
    if now - clock.as_aware(row.created_at) > KEPT_FOR or row.user_id not in (None, user_id):
        return None
    return [(name, value) for name, value in json.loads(row.fields_json)]
