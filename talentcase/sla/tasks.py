"""SLA jobs: the periodic sweep that raises alerts (every 15 minutes by default; PERIODIC_INTERVALS["sla_sweep"]
changes it) and the job that announces a batch of them."""

from __future__ import annotations

import logging

from talentcase.jobs.queue import job, periodic, redis_connection
from talentcase.sla import forecasting
from talentcase.sla.sweep import announce, sweep

log = logging.getLogger(__name__)


@periodic("alerts", interval=900)
def sla_sweep() -> int:
    """Raise due alerts and queue their announcing; a Redis lock keeps two sweeps from overlapping (the unique keys
    make it exactly-once regardless)."""
    lock = redis_connection().lock("talentcase:sla-sweep", timeout=900, blocking=False)
    if not lock.acquire(blocking=False):
        log.info("sla sweep skipped: another sweep is running")
        return 0
    try:
        report = sweep()
        log.info(
            "sla sweep clocks_due=%d alerts_raised=%d to_announce=%d stragglers=%d",
            report.clocks_due,
            report.alerts_raised,
            report.alerts_announced,
            report.stragglers,
        )
    finally:
        lock.release()
    return report.alerts_raised


@job("alerts")
def announce_alerts(alert_ids: list[int]) -> int:
    """Announce raised alerts (notices, mails); those already announced are skipped, so a retry sends nothing twice."""
    count = announce(alert_ids)
    log.info("sla alerts announced count=%d of=%d", count, len(alert_ids))
    return count


@periodic("alerts", interval=6 * 3600)
def refresh_forecasts() -> int:
    """Recompute every open case's expected dates: the day moved on, and cases finished since joined the history."""
    count = forecasting.refresh_open_cases()
    log.info("forecasts refreshed count=%d", count)
    return count
