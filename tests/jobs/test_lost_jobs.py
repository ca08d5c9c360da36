"""Jobs lost with Redis (emptied after the outbox handed them over, as a Redis restarted without persistence) go to
Redis again, once; jobs Redis still holds (queued, waiting for a retry or running) are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import update

from talentcase.common import clock
from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.jobs.tasks import dispatch_outbox
from tests.jobs import at_once, burst, sample_jobs

pytestmark = pytest.mark.redis

RECORD_CALL = "tests.jobs.sample_jobs.record_call"


def _alerts(app) -> Queue:
    return Queue("alerts", connection=rq_door.redis_connection(app))


def _lose_redis(app) -> None:
    """Everything Redis held is gone: queues, job hashes, registries."""
    rq_door.redis_connection(app).flushall()


def _handed_over_long_ago(db, *job_ids: str) -> None:
    """Date the hand-over to Redis (and any start) past every grace period, as on a row left for a while."""
    long_ago = clock.now() - jobs.LOST_AFTER - timedelta(hours=1)
    db.session.execute(
        update(JobRecord).where(JobRecord.id.in_(job_ids)).values(dispatched_at=long_ago, started_at=long_ago)
    )
    db.session.commit()


def _status(db, job_id: str) -> str:
    db.session.expire_all()
    return db.session.get(JobRecord, job_id).status


def test_a_job_lost_with_redis_is_handed_over_again_by_the_periodic_dispatcher_and_runs_once(app, db, live_redis):
    jobs.want("lost-1", RECORD_CALL, "alerts", ["one"])
    db.session.commit()
    assert jobs.dispatch() == 1
    _lose_redis(app)

    # Just handed over: a dispatcher may still be between its claim and Redis, so the row is trusted for a while.
    assert dispatch_outbox() == 0
    assert _status(db, "lost-1") == "queued"

    _handed_over_long_ago(db, "lost-1")
    assert dispatch_outbox() == 1
    assert _status(db, "lost-1") == "queued"
    assert _alerts(app).job_ids == ["lost-1"]
    assert dispatch_outbox() == 0  # in Redis again: never queued twice
    assert _alerts(app).job_ids == ["lost-1"]

    burst(app)
    assert sample_jobs.CALLS == [("record_call", "one", 50)]
    assert _status(db, "lost-1") == "finished"
    _handed_over_long_ago(db, "lost-1")
    assert dispatch_outbox() == 0
    burst(app)
    assert sample_jobs.CALLS == [("record_call", "one", 50)]


def test_a_started_job_lost_with_redis_is_handed_over_again(app, db, live_redis):
    jobs.want("lost-2", RECORD_CALL, "alerts", ["two"])
    db.session.commit()
    jobs.dispatch()
    _lose_redis(app)
    db.session.execute(update(JobRecord).where(JobRecord.id == "lost-2").values(status="started"))
    db.session.commit()
    _handed_over_long_ago(db, "lost-2")
    assert dispatch_outbox() == 1
    burst(app)
    assert sample_jobs.CALLS == [("record_call", "two", 50)]
    assert _status(db, "lost-2") == "finished"


def test_a_started_job_is_trusted_for_as_long_as_it_may_run(app, db, live_redis):
    jobs.want("lost-3", RECORD_CALL, "alerts", ["three"])
    db.session.commit()
    jobs.dispatch()
    _lose_redis(app)
    _handed_over_long_ago(db, "lost-3")
    # Started a minute ago: a work horse may still be running it (until the job timeout), whatever Redis says.
    db.session.execute(
        update(JobRecord)
        .where(JobRecord.id == "lost-3")
        .values(status="started", started_at=clock.now() - timedelta(minutes=1))
    )
    db.session.commit()
    assert dispatch_outbox() == 0
    assert _status(db, "lost-3") == "started"
    assert _alerts(app).count == 0


def test_a_job_waiting_in_its_queue_is_left_alone(app, db, live_redis):
    jobs.want("held-1", RECORD_CALL, "alerts", ["queued"])
    db.session.commit()
    jobs.dispatch()
    _handed_over_long_ago(db, "held-1")
    assert dispatch_outbox() == 0
    assert _status(db, "held-1") == "queued"
    assert _alerts(app).job_ids == ["held-1"]


def test_a_job_waiting_for_its_retry_is_left_alone(app, db, live_redis, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (3600,))
    jobs.want("held-2", "tests.jobs.sample_jobs.always_fails", "alerts", ["later"])
    db.session.commit()
    jobs.dispatch()
    burst(app)  # the first try fails; RQ schedules the retry an hour later
    registry = ScheduledJobRegistry("alerts", connection=rq_door.redis_connection(app))
    assert registry.get_job_ids() == ["held-2"]
    _handed_over_long_ago(db, "held-2")
    assert dispatch_outbox() == 0
    assert _status(db, "held-2") == "queued"
    assert registry.get_job_ids() == ["held-2"] and _alerts(app).count == 0
    assert sample_jobs.CALLS == [("always_fails", "later")]


def test_a_running_job_is_left_alone(app, db, live_redis):
    jobs.want("held-3", "tests.jobs.sample_jobs.look_for_lost_jobs", "alerts", ["running"])
    db.session.commit()
    jobs.dispatch()
    burst(app)  # the job looks for lost jobs while it runs, its own row dated a day back
    assert sample_jobs.CALLS == [("look_for_lost_jobs", "running", 0)]
    assert _status(db, "held-3") == "finished"
    assert _alerts(app).count == 0


def test_a_job_rq_ended_without_its_row_hearing_is_recorded_failed_and_can_be_asked_for_again(app, db, live_redis):
    jobs.want("ended-1", RECORD_CALL, "alerts", ["five"])
    db.session.commit()
    jobs.dispatch()
    # As when a work horse is killed mid-job: RQ records the job failed; the row still says started.
    connection = rq_door.redis_connection(app)
    _alerts(app).remove("ended-1")
    Job.fetch("ended-1", connection=connection).set_status(JobStatus.FAILED)
    db.session.execute(update(JobRecord).where(JobRecord.id == "ended-1").values(status="started"))
    db.session.commit()
    _handed_over_long_ago(db, "ended-1")
    assert dispatch_outbox() == 0
    row = db.session.get(JobRecord, "ended-1")
    assert row.status == "failed" and "ended failed" in row.error
    assert jobs.want("ended-1", RECORD_CALL, "alerts", ["five"]).status == "wanted"
    db.session.commit()
    assert jobs.dispatch() == 1
    burst(app)
    assert sample_jobs.CALLS == [("record_call", "five", 50)]


def test_asking_again_for_a_job_lost_with_redis_queues_it_again(app, db, live_redis):
    jobs.want("lost-4", RECORD_CALL, "alerts", ["four"])
    db.session.commit()
    jobs.dispatch()
    _lose_redis(app)
    jobs.want("lost-4", RECORD_CALL, "alerts", ["four"])
    db.session.commit()
    assert _status(db, "lost-4") == "queued"  # just handed over: trusted for a while
    _handed_over_long_ago(db, "lost-4")
    assert jobs.want("lost-4", RECORD_CALL, "alerts", ["four"]).status == "wanted"
    db.session.commit()
    assert jobs.dispatch() == 1
    burst(app)
    assert sample_jobs.CALLS == [("record_call", "four", 50)]


def test_asking_again_for_a_job_redis_holds_changes_nothing(app, db, live_redis):
    jobs.want("held-4", RECORD_CALL, "alerts", ["once"])
    db.session.commit()
    jobs.dispatch()
    _handed_over_long_ago(db, "held-4")
    assert jobs.want("held-4", RECORD_CALL, "alerts", ["once"]).status == "queued"
    db.session.commit()
    assert jobs.dispatch() == 0
    assert _alerts(app).job_ids == ["held-4"]


def test_with_redis_down_nothing_is_taken_for_lost(app, db):
    jobs.want("unknown-1", RECORD_CALL, "alerts", ["x"])
    db.session.commit()
    db.session.execute(update(JobRecord).values(status="queued"))
    db.session.commit()
    _handed_over_long_ago(db, "unknown-1")
    assert jobs.requeue_lost() == 0  # REDIS_URL points nowhere: no answer is no proof of a loss
    assert jobs.want("unknown-1", RECORD_CALL, "alerts", ["x"]).status == "queued"
    db.session.commit()
    assert _status(db, "unknown-1") == "queued"


def test_two_dispatchers_hand_each_lost_job_over_once(app, db, live_redis):
    job_ids = [f"lost-race-{index}" for index in range(20)]
    for job_id in job_ids:
        jobs.want(job_id, RECORD_CALL, "alerts", [job_id])
    db.session.commit()
    assert jobs.dispatch() == 20
    _lose_redis(app)
    _handed_over_long_ago(db, *job_ids)
    assert sum(at_once(app, dispatch_outbox)) == 20
    assert sorted(_alerts(app).job_ids) == sorted(job_ids)
    burst(app)
    assert sorted(call[1] for call in sample_jobs.CALLS) == sorted(job_ids)
