"""Periodic jobs: RQ's own cron scheduler, run by whichever worker command holds the cron lease in Redis.

Every worker command may run the cron (workers run on many hosts), but only the holder of the lease does, so that a
sweep or a digest is not queued once per worker. The holder renews the lease while it runs the cron; the others try
every few seconds and take over when it lapses (a worker stopped, or cut off from Redis). The periodic jobs are
idempotent anyway, so a hand-over costs at most a repeat.
"""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import LockError, RedisError
from rq.cron import CronScheduler

from talentcase.jobs.queue import PERIODIC
from talentcase.jobs.registry import import_job_modules

log = logging.getLogger(__name__)

CRON_LEADER_KEY = "talentcase:cron:leader"
CRON_LEADER_SECONDS = 60


class CronLease:
    """The right to run the cron scheduler: a lock in Redis held for `seconds` at a time, renewed by its holder."""

    def __init__(self, connection: Redis, seconds: int = CRON_LEADER_SECONDS) -> None:
        self.seconds = seconds
        self.lock = connection.lock(CRON_LEADER_KEY, timeout=seconds, thread_local=False)
        self.is_held = False

    def hold(self) -> bool:
        """Renew the lease, or take it when free; False while another holder has it (or Redis is away)."""
        try:
            # Not only while held: after a short outage the lease may still be ours, and nobody else can take it.
            if self.lock.owned():
                self.is_held = bool(self.lock.reacquire())
            else:
                self.is_held = bool(self.lock.acquire(blocking=False))
        except (LockError, RedisError) as error:
            log.warning("cron cannot reach Redis error=%r", error)
            self.is_held = False
        return self.is_held

    def release(self) -> None:
        """Hand the lease over at once instead of after it runs out."""
        if self.is_held:
            try:
                self.lock.release()
            except (LockError, RedisError):
                log.info("cron lease already gone at shutdown")
            self.is_held = False

    def seconds_to_next_check(self) -> float:
        """The holder renews well before the lease runs out; the others look again soon, to take over quickly."""
        return self.seconds / 4 if self.is_held else min(5.0, self.seconds / 4)


def cron_scheduler(connection: Redis, intervals: dict[str, int]) -> CronScheduler:
    """RQ's cron scheduler with every periodic job registered (intervals in seconds override the defaults)."""
    import_job_modules()
    scheduler = CronScheduler(connection, logging_level="INFO")
    for func, queue, interval in PERIODIC:
        scheduler.register(func, queue_name=queue, interval=intervals.get(func.__name__, interval))
    return scheduler
