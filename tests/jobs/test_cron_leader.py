"""Every worker runs a cron scheduler, but only the one holding the lease in Redis enqueues the periodic jobs."""

from __future__ import annotations

import time

import redis as redis_lib
from rq import Queue

from talentcase.common.cron import cron_scheduler
from talentcase.common.jobs import PERIODIC, QUEUES


def _queued(connection) -> int:
    return sum(Queue(name, connection=connection).count for name in QUEUES)


def test_only_the_lease_holder_enqueues(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first = cron_scheduler(connection, {})
    second = cron_scheduler(connection, {})

    assert len(first.enqueue_jobs()) == len(PERIODIC) > 0
    assert second.enqueue_jobs() == []
    assert (first.is_leader, second.is_leader) == (True, False)
    assert _queued(connection) == len(PERIODIC)
    # The follower checks again soon, and the leader never sleeps past half its lease.
    assert second.calculate_sleep_interval() <= 5
    assert first.calculate_sleep_interval() <= first.lease_seconds / 2


def test_the_lease_passes_on_when_the_leader_stops(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first = cron_scheduler(connection, {})
    second = cron_scheduler(connection, {})
    first.register_birth()  # as start() does
    first.enqueue_jobs()

    first.register_death()  # as start() does on the way out (SIGTERM)

    assert len(second.enqueue_jobs()) == len(PERIODIC)
    assert second.is_leader and not first.hold_lease()


def test_a_lapsed_lease_is_taken_over_and_the_old_leader_steps_back(redis_url):
    connection = redis_lib.Redis.from_url(redis_url)
    first = cron_scheduler(connection, {}, lease_seconds=1)
    second = cron_scheduler(connection, {}, lease_seconds=1)
    assert first.hold_lease() and not second.hold_lease()

    time.sleep(1.3)  # the leader was cut off for longer than its lease

    assert second.hold_lease()
    assert not first.hold_lease()
    assert not first.enqueue_jobs()
