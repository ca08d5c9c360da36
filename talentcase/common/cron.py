"""Periodic jobs: RQ's cron scheduler, run beside every worker, enqueueing only while it holds a lease in Redis.

Imported by workers only (rq.cron is not needed by the web processes).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis import Redis
from redis.exceptions import LockError, RedisError
from rq.cron import CronScheduler
from rq.exceptions import StopRequested

from talentcase.common.jobs import PERIODIC
from talentcase.common.logging import configure_logging

log = logging.getLogger(__name__)

CRON_LEADER_KEY = "talentcase:cron:leader"
CRON_LEADER_SECONDS = 60
# Longest wait between two tries while Redis is away: short beside the lease, so the leader is back soon after Redis.
CRON_RETRY_MAX_SECONDS = 10


class LeaderCronScheduler(CronScheduler):
    """RQ's cron scheduler that enqueues only while it holds a lease in Redis.

    Every worker starts one (workers may run on many hosts), but only the holder of the lease enqueues the
    periodic jobs, so a sweep or digest is not queued once per worker. The holder renews the lease on every tick
    and never sleeps past half of it; the others check every few seconds and take over when it lapses (a worker
    stopped or cut off from Redis). The jobs are idempotent anyway, so a hand-over costs at most a repeat.

    A Redis outage does not end it (RQ's own loop dies on the first error and periodic jobs would stop for good):
    it logs, retries with backoff and carries on where it was when Redis answers again.
    """

    def __init__(self, connection: Redis, *, lease_seconds: int = CRON_LEADER_SECONDS, **kwargs: Any) -> None:
        super().__init__(connection, **kwargs)
        self.lease_seconds = lease_seconds
        self.lease = connection.lock(CRON_LEADER_KEY, timeout=lease_seconds, thread_local=False)
        self.is_leader = False

    def hold_lease(self) -> bool:
        """Renew the lease, or take it when free; False while another scheduler holds it (or Redis is away)."""
        try:
            # Not only while is_leader: after a short outage the lease may still be ours, and nobody else can take it.
            if self.lease.owned():
                self.is_leader = bool(self.lease.reacquire())
            else:
                self.is_leader = bool(self.lease.acquire(blocking=False))
        except (LockError, RedisError):
            self.is_leader = False
        return self.is_leader

    def enqueue_jobs(self) -> list:
        if not self.hold_lease():
            return []
        return super().enqueue_jobs()

    def calculate_sleep_interval(self) -> float:
        if not self.is_leader:
            return min(5.0, self.lease_seconds / 4)
        return min(super().calculate_sleep_interval(), self.lease_seconds / 2)

    def register_death(self) -> None:
        if self.is_leader:
            try:
                self.lease.release()  # hand over at once instead of after the lease runs out
            except (LockError, RedisError):
                log.info("cron lease already gone at shutdown")
            self.is_leader = False
        super().register_death()

    def start(self) -> None:
        """Enqueue due jobs until stopped (SIGTERM, SIGINT), riding out Redis outages instead of dying of them."""
        self.log.info("CronScheduler %s: starting...", self.name)
        self._install_signal_handlers()
        is_registered = False
        retry_in = 1.0
        try:
            while True:
                try:
                    if not is_registered:
                        self.register_birth()
                        is_registered = True
                    if self.enqueue_jobs():
                        self.save()
                    self.heartbeat()  # also registers again and saves what an outage let expire
                except RedisError as error:
                    self.is_leader = False
                    self.log.warning("cron cannot reach Redis error=%r retry_in=%.0fs", error, retry_in)
                    time.sleep(retry_in)
                    retry_in = min(retry_in * 2, CRON_RETRY_MAX_SECONDS)
                    continue
                if retry_in > 1:
                    self.log.info("cron reached Redis again leader=%s", self.is_leader)
                    retry_in = 1.0
                sleep_seconds = self.calculate_sleep_interval()
                if sleep_seconds > 0:
                    time.sleep(sleep_seconds)
        except (KeyboardInterrupt, StopRequested):
            self.log.info("CronScheduler %s: stop requested", self.name)
        finally:
            try:
                self.register_death()
            except RedisError:  # its registry entry expires by itself
                self.log.info("CronScheduler %s: stopped without Redis", self.name)
            self.log.info("CronScheduler %s: shutdown complete", self.name)


def cron_scheduler(connection: Redis, intervals: dict[str, int], **kwargs: Any) -> LeaderCronScheduler:
    """A leader-only cron scheduler with every periodic job registered (intervals in seconds override defaults)."""
    import talentcase.tasks  # noqa: F401  (registers every periodic job)

    scheduler = LeaderCronScheduler(connection, **kwargs)
    for func, queue, interval in PERIODIC:
        scheduler.register(func, queue_name=queue, interval=intervals.get(func.__name__, interval))
    return scheduler


def run_cron(redis_url: str, intervals: dict[str, int]) -> None:
    """The cron scheduler's process (spawned beside each worker): runs until the worker stops it."""
    configure_logging()  # a spawned process starts bare: without this, only warnings would reach stderr
    cron_scheduler(Redis.from_url(redis_url), intervals, logging_level="INFO").start()
