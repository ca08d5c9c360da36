"""Jobs used by the job-infrastructure tests (importable by the RQ worker by dotted path)."""

from __future__ import annotations

from datetime import timedelta

from rq import get_current_job
from sqlalchemy import update

from talentcase.audit import services as audit
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.jobs.queue import PermanentJobError, job

CALLS: list[tuple] = []


@job("alerts")
def record_call(value: str) -> str:
    current = get_current_job()
    jobs.report_progress(current.id if current else None, 50, "half way")
    CALLS.append(("record_call", value, db.session.get(JobRecord, current.id).progress if current else None))
    return value.upper()


@job("alerts")
def always_fails(value: str) -> None:
    CALLS.append(("always_fails", value))
    raise RuntimeError(f"cannot do {value}")


def _note_failure(value: str, *, error: Exception) -> None:
    CALLS.append(("failure_recorded", value, type(error).__name__))


@job("alerts", on_failure=_note_failure)
def bad_input(value: str) -> None:
    CALLS.append(("bad_input", value))
    raise PermanentJobError(f"{value} can never work")


@job("alerts", on_failure=_note_failure)
def fails_then_hook(value: str) -> None:
    CALLS.append(("fails_then_hook", value))
    raise RuntimeError(f"cannot do {value}")


@job("alerts")
def look_for_lost_jobs(value: str) -> None:
    """Run the lost-job check while this very job runs (started in Redis), its row dated long ago."""
    current = get_current_job()
    long_ago = clock.now() - timedelta(days=1)
    with db.engine.begin() as connection:
        connection.execute(
            update(JobRecord).where(JobRecord.id == current.id).values(dispatched_at=long_ago, started_at=long_ago)
        )
    found = jobs.requeue_lost()
    db.session.commit()
    CALLS.append(("look_for_lost_jobs", value, found))


@job("alerts")
def queue_another(value: str) -> None:
    """Write a row and queue a job, committing nothing itself: the job's end does."""
    audit.record("uow_test", detail_name=value)
    jobs.want(f"uow-{value}", "tests.jobs.sample_jobs.record_call", "alerts", [value])


@job("alerts")
def queue_another_then_fail(value: str) -> None:
    queue_another.__wrapped__(value)
    raise RuntimeError(f"{value} failed after its flush")


def note_order(value: str) -> None:
    """A plain RQ job that only notes when it ran (the queue-priority test)."""
    CALLS.append(("note_order", value))
