"""The outbox: record wanted jobs with the change that causes them, then hand them to RQ when Redis is there.

A web request calls `want()` inside its transaction; after its commit, the unit of work (jobs.uow) has `dispatch()`
move wanted rows to Redis. When Redis is down the rows simply wait; the worker's periodic dispatcher (and the next
commit that queues a job) sends them on.
When Redis loses what it held (restarted without persistence), `requeue_lost()` finds the rows that say queued or
started but whose RQ job is gone, and wants them again; so does `want()` for such a row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import ColumnElement, and_, insert, or_, select, update

from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.jobs.models import JobRecord
from talentcase.jobs.queue import get_queue, redis_connection

log = logging.getLogger(__name__)

RETRY_INTERVALS = (5, 30, 120)

# A job handed to Redis is trusted to be there for this long before Redis is asked (a dispatcher may be between its
# claim and the enqueue); a started job for as long as it may run (a work horse past JOB_TIMEOUT is killed) and this.
LOST_AFTER = timedelta(minutes=2)
LOST_BATCH = 500
# RQ's final states: the job will not run again, whatever its row says.
ENDED_IN_REDIS = (b"failed", b"stopped", b"canceled")

# A row asked for again starts afresh: nothing of the earlier run is shown as if it were this one's.
AGAIN = {"status": "wanted", "error": "", "progress": 0, "message": "", "attempts": 0}


def want(job_id: str, func: str, queue: str, args: list[Any], *, case_id: int | None = None) -> JobRecord:
    """Record that a job should run (idempotent by id); a failed job, or one lost with Redis, asked for again is
    retried."""
    row = db.session.get(JobRecord, job_id)
    if row is None:
        row = JobRecord(id=job_id, func=func, queue=queue, args=list(args), case_id=case_id, status="wanted")
        db.session.add(row)
    elif row.status == "failed":
        _want_again(job_id, JobRecord.status == "failed")
        db.session.expire(row)
    elif row.status in ("queued", "started"):
        now = clock.now()
        if db.session.scalar(select(JobRecord.id).where(JobRecord.id == job_id, _overdue(now))) and _is_lost(job_id):
            _want_again(job_id, _overdue(now))
            db.session.expire(row)
    db.session.flush()
    uow.note_wanted()
    return row


def _want_again(job_id: str, *still: ColumnElement[bool]) -> bool:
    """Set a row back to wanted if it still is as seen; one UPDATE that re-checks, so that of two asking at once, or
    one asking while a dispatcher hands the row over, only one wins. Returns whether this one did."""
    statement = update(JobRecord).where(JobRecord.id == job_id, *still).values(**AGAIN)
    return bool(db.session.execute(statement.execution_options(synchronize_session=False)).rowcount)


def _overdue(now: datetime) -> ColumnElement[bool]:
    """Rows that say queued or started for longer than a job can honestly be on its way to Redis or running."""
    running = timedelta(seconds=current_app.config.get("JOB_TIMEOUT", 600)) + LOST_AFTER
    return or_(
        and_(JobRecord.status == "queued", JobRecord.dispatched_at < now - LOST_AFTER),
        and_(JobRecord.status == "started", JobRecord.started_at < now - running),
    )


def _redis_states(job_ids: list[str]) -> dict[str, bytes | None]:
    """The RQ status of each job (None for a job Redis does not hold), in one round trip; raises RedisError."""
    from rq.job import Job

    with redis_connection().pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hget(Job.key_for(job_id), "status")
        return dict(zip(job_ids, pipe.execute(), strict=True))


def _is_lost(job_id: str) -> bool:
    """Whether Redis is known not to hold the job (no answer from Redis is no proof: False)."""
    try:
        return _redis_states([job_id])[job_id] is None
    except RedisError as error:
        log.warning("lost-job check skipped job_id=%s: redis unavailable (%s)", job_id, type(error).__name__)
        return False


def requeue_lost() -> int:
    """Want again the jobs Redis lost (their rows say queued or started, Redis holds no such job); returns how many.

    A job Redis holds in any state (queued, scheduled for a retry, running) is left alone; one RQ has ended for good
    while its row never heard (a work horse killed) is recorded failed, so that asking for it again retries it.
    Flushes; safe to run from many processes at once."""
    now = clock.now()
    lost = 0
    after = ""
    while True:
        job_ids = db.session.scalars(
            select(JobRecord.id).where(_overdue(now), JobRecord.id > after).order_by(JobRecord.id).limit(LOST_BATCH)
        ).all()
        if not job_ids:
            return lost
        try:
            states = _redis_states(list(job_ids))
        except RedisError as error:
            log.warning("lost-job check skipped: redis unavailable (%s)", type(error).__name__)
            return lost
        for job_id, state in states.items():
            if state is None and _want_again(job_id, _overdue(now)):
                lost += 1
                log.warning("job lost with redis, wanted again job_id=%s", job_id)
            elif state in ENDED_IN_REDIS:
                _record_ended(job_id, state.decode(), _overdue(now))
        after = job_ids[-1]


def _record_ended(job_id: str, state: str, *still: ColumnElement[bool]) -> None:
    """Record as failed a job RQ ended for good without its row hearing of it (its work horse killed, say)."""
    ended = db.session.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, *still)
        .values(status="failed", error=f"RQ: the job ended {state} without reporting back", finished_at=clock.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if ended:
        log.warning("job ended in redis unreported job_id=%s state=%s", job_id, state)


def want_new(func: str, queue: str, jobs: dict[str, list[Any]]) -> None:
    """Record jobs whose ids are new (e.g. named after rows this transaction inserted), {job_id: args}, in one INSERT:
    want() looks each id up and flushes an ORM object, which costs as much as a batch of set-based work."""
    if jobs:
        db.session.execute(
            insert(JobRecord.__table__),
            [
                {"id": job_id, "func": func, "queue": queue, "args": list(args), "status": "wanted"}
                for job_id, args in jobs.items()
            ],
        )
        uow.note_wanted()


def dispatch(limit: int = 200) -> int:
    """Hand wanted jobs to RQ; returns how many went. Safe to run from many processes at once."""
    from rq import Retry

    ids = db.session.scalars(
        select(JobRecord.id).where(JobRecord.status == "wanted").order_by(JobRecord.created_at).limit(limit)
    ).all()
    if not ids:
        return 0
    connection = redis_connection()
    try:
        connection.ping()
    except RedisError as error:
        log.warning("outbox dispatch skipped: redis unavailable (%s)", type(error).__name__)
        return 0
    sent = 0
    for job_id in ids:
        # Claim the row first: only one dispatcher wins it.
        claimed = db.session.execute(
            update(JobRecord)
            .where(JobRecord.id == job_id, JobRecord.status == "wanted")
            .values(status="queued", dispatched_at=clock.now())
        ).rowcount
        uow.checkpoint(dispatch=False)
        if not claimed:
            continue
        row = db.session.get(JobRecord, job_id)
        try:
            get_queue(row.queue, connection).enqueue_call(
                row.func,
                args=tuple(row.args),
                job_id=row.id,
                retry=Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS)),
                result_ttl=86400,
                failure_ttl=7 * 86400,
                timeout=current_app.config.get("JOB_TIMEOUT", 600),
            )
        except RedisError as error:
            log.warning("outbox dispatch stopped job_id=%s error=%s", job_id, type(error).__name__)
            db.session.execute(update(JobRecord).where(JobRecord.id == job_id).values(status="wanted"))
            uow.checkpoint(dispatch=False)
            break
        except Exception as error:  # a job that can never be enqueued must show as failed, not hang as queued
            log.error("job could not be enqueued job_id=%s error=%r", job_id, error)
            _set(job_id, status="failed", error=f"{type(error).__name__}: {error}"[:2000], finished_at=clock.now())
            continue
        sent += 1
        log.info("job dispatched job_id=%s func=%s queue=%s", row.id, row.func, row.queue)
    return sent


def _set(job_id: str, **values: Any) -> None:
    """Update a job row in its own short transaction, so progress is visible while the job's work is open."""
    with db.engine.begin() as connection:
        connection.execute(update(JobRecord).where(JobRecord.id == job_id).values(**values))


def mark_started(job_id: str) -> None:
    row = db.session.get(JobRecord, job_id)
    attempts = (row.attempts if row else 0) + 1
    uow.rollback()  # end the read: the row is written on a connection of its own
    _set(job_id, status="started", started_at=clock.now(), attempts=attempts, error="")


def mark_finished(job_id: str, message: str = "") -> None:
    _set(job_id, status="finished", progress=100, finished_at=clock.now(), message=message[:200])


def mark_failed(job_id: str, error: BaseException, *, will_retry: bool) -> None:
    text = f"{type(error).__name__}: {error}"[:2000]
    if will_retry:
        _set(job_id, status="queued", error=text, message="Retrying after an error")
    else:
        _set(job_id, status="failed", error=text, message="", finished_at=clock.now())


def report_progress(job_id: str | None, progress: int, message: str = "") -> None:
    """Record how far a running job is (0-100) with a short description for the person waiting."""
    if job_id:
        _set(job_id, progress=max(0, min(int(progress), 100)), message=message[:200])
