"""The outbox: record wanted jobs with the change that causes them, then hand them to RQ when Redis is there.

A web request calls `want()` inside its transaction; after its commit, `dispatch()` moves wanted rows to Redis.
When Redis is down the rows simply wait; the worker's periodic dispatcher (and the next request) sends them on.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import insert, select, update

from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs.models import JobRecord

log = logging.getLogger(__name__)

RETRY_INTERVALS = (5, 30, 120)


def want(job_id: str, func: str, queue: str, args: list[Any], *, case_id: int | None = None) -> JobRecord:
    """Record that a job should run (idempotent by id); a failed job asked for again is retried."""
    row = db.session.get(JobRecord, job_id)
    if row is None:
        row = JobRecord(id=job_id, func=func, queue=queue, args=list(args), case_id=case_id, status="wanted")
        db.session.add(row)
    elif row.status == "failed":
        row.status = "wanted"
        row.error = ""
        row.progress = 0
        row.message = ""
        row.attempts = 0
    db.session.flush()
    return row


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


def dispatch(limit: int = 200) -> int:
    """Hand wanted jobs to RQ; returns how many went. Safe to run from many processes at once."""
    from rq import Retry

    from talentcase.common.jobs import get_queue, redis_connection

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
        db.session.commit()
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
            db.session.commit()
            break
        except Exception as error:  # a job that can never be enqueued must show as failed, not hang as queued
            log.error("job could not be enqueued job_id=%s error=%r", job_id, error)
            _set(job_id, status="failed", error=f"{type(error).__name__}: {error}"[:2000], finished_at=clock.now())
            continue
        sent += 1
        log.info("job dispatched job_id=%s func=%s queue=%s", row.id, row.func, row.queue)
    return sent


def dispatch_quietly() -> int:
    """Dispatch after a request's commit; never lets a Redis problem fail the request."""
    try:
        return dispatch()
    except Exception as error:  # the outbox keeps the jobs; the periodic dispatcher will retry
        db.session.rollback()
        log.warning("outbox dispatch failed: %s", error)
        return 0


def _set(job_id: str, **values: Any) -> None:
    """Update a job row in its own short transaction, so progress is visible while the job's work is open."""
    with db.engine.begin() as connection:
        connection.execute(update(JobRecord).where(JobRecord.id == job_id).values(**values))


def mark_started(job_id: str) -> None:
    row = db.session.get(JobRecord, job_id)
    attempts = (row.attempts if row else 0) + 1
    db.session.rollback()
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
