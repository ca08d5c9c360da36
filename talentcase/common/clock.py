"""The one door to time: every "now" and "today" in TalentCase comes from here, so tests can set the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC)


def now_hk() -> datetime:
    """The current instant in Hong Kong time."""
    return now().astimezone(HONG_KONG)


def today() -> date:
    """Today's date in Hong Kong, which is the date every deadline is counted in."""
    return now_hk().date()


def as_aware(value: datetime) -> datetime:
    """Treat a naive datetime read back from SQLite as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 with an offset, in Hong Kong time, as the API promises."""
    return as_aware(value).astimezone(HONG_KONG).isoformat() if value else None


# "Last used" and "last opened" times are kept to within this much: each read would otherwise be a write (on SQLite,
# taking the database's write lock), for API clients polling with a token and experts reloading their page.
LAST_USE_PRECISION = timedelta(minutes=5)


def is_worth_recording(last: datetime | None, now: datetime) -> bool:
    """Whether a "last used" time recorded at `last` should move on to `now` (see LAST_USE_PRECISION)."""
    return last is None or now - as_aware(last) >= LAST_USE_PRECISION
