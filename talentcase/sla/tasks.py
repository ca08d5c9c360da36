"""Periodic SLA jobs: the sweep (every 15 minutes by default; PERIODIC_INTERVALS["sla_sweep"] changes it)."""

from __future__ import annotations

import logging

from talentcase.common.jobs import periodic, redis_connection
from talentcase.sla.sweep import sweep

log = logging.getLogger(__name__)


@periodic("alerts", interval=900)
def sla_sweep() -> int:
    """Raise due alerts; a Redis lock keeps two sweeps from overlapping (the unique keys make it exactly-once
    regardless)."""
    lock = redis_connection().lock("talentcase:sla-sweep", timeout=900, blocking=False)
    if not lock.acquire(blocking=False):
        log.info("sla sweep skipped: another sweep is running")
        return 0
    try:
        report = sweep()
        log.info("sla sweep clocks_due=%d alerts_raised=%d", report.clocks_due, report.alerts_raised)
        return report.alerts_raised
    finally:
        lock.release()
