"""Column helpers shared by models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from talentcase.common import clock

# Ids are INTEGER columns: PostgreSQL's holds up to 2**31 - 1 and raises "out of range" beyond (SQLite would go
# on to 2**63), so a larger id from a URL or a filter is looked up nowhere.
MAX_ID = 2**31


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
