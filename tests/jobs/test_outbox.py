"""The job outbox and job rows, against a real Redis and a real RQ worker (burst mode)."""

from __future__ import annotations

import pytest
from rq import Queue
from rq.registry import FailedJobRegistry
from sqlalchemy.exc import IntegrityError

from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from tests.jobs import at_once, burst, sample_jobs


def test_wanted_job_waits_while_redis_is_down(app, db):
    jobs.want("test-1", "tests.jobs.sample_jobs.record_call", "alerts", ["a"])
    db.session.commit()
    assert jobs.dispatch() == 0  # REDIS_URL points nowhere in the default test app
    assert db.session.get(JobRecord, "test-1").status == "wanted"


def test_want_is_idempotent_by_id(app, db):
    first = jobs.want("test-1", "tests.jobs.sample_jobs.record_call", "alerts", ["a"])
    second = jobs.want("test-1", "tests.jobs.sample_jobs.record_call", "alerts", ["a"])
    assert first is second
    db.session.commit()
    assert db.session.query(JobRecord).count() == 1


def test_want_new_records_many_jobs_in_one_statement_and_refuses_an_id_already_there(app, db, live_redis):
    jobs.want_new("tests.jobs.sample_jobs.record_call", "alerts", {"bulk-1": ["one"], "bulk-2": ["two"]})
    db.session.commit()
    rows = db.session.query(JobRecord).filter(JobRecord.id.like("bulk-%")).order_by(JobRecord.id).all()
    assert [(row.id, row.status, row.queue, row.args) for row in rows] == [
        ("bulk-1", "wanted", "alerts", ["one"]),
        ("bulk-2", "wanted", "alerts", ["two"]),
    ]
    assert jobs.dispatch() == 2
    burst(app)
    assert sorted(call[1] for call in sample_jobs.CALLS) == ["one", "two"]
    with pytest.raises(IntegrityError):  # only for ids that are new: a second record of one is a bug, not a no-op
        jobs.want_new("tests.jobs.sample_jobs.record_call", "alerts", {"bulk-1": ["again"]})
    db.session.rollback()


def test_dispatch_then_worker_runs_the_job_and_the_row_follows(app, db, live_redis):
    jobs.want("test-2", "tests.jobs.sample_jobs.record_call", "alerts", ["hello"])
    db.session.commit()
    assert jobs.dispatch() == 1
    assert db.session.get(JobRecord, "test-2").status == "queued"
    assert jobs.dispatch() == 0  # nothing is sent twice
    burst(app)
    db.session.expire_all()
    row = db.session.get(JobRecord, "test-2")
    assert row.status == "finished"
    assert row.progress == 100
    assert row.attempts == 1
    assert sample_jobs.CALLS == [("record_call", "hello", 50)]  # progress was visible while it ran


def test_failing_job_is_retried_then_recorded_as_failed(app, db, live_redis, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))
    jobs.want("test-3", "tests.jobs.sample_jobs.always_fails", "alerts", ["x"])
    db.session.commit()
    jobs.dispatch()
    for _ in range(4):
        burst(app)  # a zero-second retry goes back to the queue at once
    db.session.expire_all()
    row = db.session.get(JobRecord, "test-3")
    assert row.status == "failed"
    assert "RuntimeError: cannot do x" in row.error
    assert [call for call in sample_jobs.CALLS if call[0] == "always_fails"] == [("always_fails", "x")] * 3
    registry = FailedJobRegistry("alerts", connection=rq_door.redis_connection(app))
    assert "test-3" in registry.get_job_ids()


def test_a_job_whose_input_is_at_fault_fails_at_once_and_records_it(app, db, live_redis, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))
    jobs.want("test-5", "tests.jobs.sample_jobs.bad_input", "alerts", ["y"])
    db.session.commit()
    jobs.dispatch()
    for _ in range(3):
        burst(app)  # a retry, had there been one, would run in the next burst
    db.session.expire_all()
    row = db.session.get(JobRecord, "test-5")
    assert row.status == "failed"
    assert "PermanentJobError: y can never work" in row.error
    assert sample_jobs.CALLS == [("bad_input", "y"), ("failure_recorded", "y", "PermanentJobError")]
    assert "test-5" in FailedJobRegistry("alerts", connection=rq_door.redis_connection(app)).get_job_ids()


def test_the_failure_hook_runs_once_after_the_last_retry(app, db, live_redis, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))
    jobs.want("test-6", "tests.jobs.sample_jobs.fails_then_hook", "alerts", ["z"])
    db.session.commit()
    jobs.dispatch()
    for _ in range(4):
        burst(app)
    assert sample_jobs.CALLS == [("fails_then_hook", "z")] * 3 + [("failure_recorded", "z", "RuntimeError")]


def test_asking_again_for_a_failed_job_retries_it(app, db, live_redis):
    row = jobs.want("test-4", "tests.jobs.sample_jobs.record_call", "alerts", ["b"])
    row.status = "failed"
    db.session.commit()
    jobs.want("test-4", "tests.jobs.sample_jobs.record_call", "alerts", ["b"])
    db.session.commit()
    assert db.session.get(JobRecord, "test-4").status == "wanted"


def test_two_dispatchers_at_once_enqueue_each_job_once(app, db, live_redis):
    for index in range(20):
        jobs.want(f"race-{index}", "tests.jobs.sample_jobs.record_call", "alerts", [str(index)])
    db.session.commit()
    assert sum(at_once(app, jobs.dispatch)) == 20
    queue = Queue("alerts", connection=rq_door.redis_connection(app))
    assert queue.count == 20
