"""Column helpers shared by models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from talentcase.common import clock


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC on every database (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return clock.as_aware(value).astimezone(clock.UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return clock.as_aware(value) if value is not None else None
