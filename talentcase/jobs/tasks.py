"""Housekeeping jobs of the outbox."""

from __future__ import annotations

from talentcase.common.jobs import periodic
from talentcase.jobs import services


@periodic("alerts", interval=30)
def dispatch_outbox() -> int:
    """Move wanted jobs into Redis (they wait in the database whenever Redis was down)."""
    return services.dispatch()
