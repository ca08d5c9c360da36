"""Housekeeping jobs of the outbox."""

from __future__ import annotations

from talentcase.jobs import services, uow
from talentcase.jobs.queue import periodic


@periodic("alerts", interval=30)
def dispatch_outbox() -> int:
    """Move wanted jobs into Redis: those that waited while Redis was down, and those Redis lost (wanted again)."""
    services.requeue_lost()
    uow.checkpoint()
    return services.dispatch()
