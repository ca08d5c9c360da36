"""Every worker command may run the cron, but only the one holding the lease in Redis does: the periodic jobs are
queued once, not once per worker."""

from __future__ import annotations

import time

import redis as redis_lib
from rq import Queue

from talentcase.jobs.cron import CRON_LEADER_KEY, CronLease, cron_scheduler
from talentcase.jobs.queue import PERIODIC, QUEUES
from talentcase.jobs.worker import Supervisor


def _queued(connection) -> int:
    return sum(Queue(name, connection=connection).count for name in QUEUES)


def test_only_the_lease_holder_runs_the_cron(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first, second = CronLease(connection), CronLease(connection)

    assert (first.hold(), second.hold()) == (True, False)
    # The holder's cron (RQ's own) queues every periodic job once.
    assert len(cron_scheduler(connection, {}).enqueue_jobs()) == len(PERIODIC) > 0
    assert _queued(connection) == len(PERIODIC)
    # The other looks again soon, and the holder renews well before its lease runs out.
    assert second.seconds_to_next_check() <= 5
    assert first.seconds_to_next_check() <= first.seconds / 2


def test_of_two_worker_commands_only_the_lease_holder_starts_a_cron_process(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    first, second = (Supervisor(app, QUEUES, with_worker=False, with_cron=True) for _ in range(2))
    try:
        first._tend_cron()
        second._tend_cron()

        assert first.cron.process is not None and first.cron.process.is_alive()
        assert second.cron.process is None
    finally:
        first.cron.stop()
        first.lease.release()


def test_the_lease_passes_on_when_the_holder_stops(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first, second = CronLease(connection), CronLease(connection)
    assert first.hold()

    first.release()  # as the worker command does on the way out (SIGTERM)

    assert second.hold() and not first.hold()


def test_a_lapsed_lease_is_taken_over_and_the_old_holder_steps_back(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first, second = CronLease(connection, seconds=0.2), CronLease(connection, seconds=0.2)
    assert first.hold() and not second.hold()

    # The holder was cut off for longer than its lease: Redis lets the lease lapse (a short one, so the wait is too).
    deadline = time.monotonic() + 5
    while connection.exists(CRON_LEADER_KEY) and time.monotonic() < deadline:
        time.sleep(0.02)

    assert second.hold()
    assert not first.hold()
