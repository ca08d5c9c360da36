"""The RQ door: the queues, the job decorator, periodic jobs and the worker's set-ups (the worker: jobs.worker).

Jobs take ids and primitives only; each runs in a fresh app context of the worker's app with its own database
session, commits once at its end or rolls back (jobs.uow), mirrors its status into its JobRecord row, and lets
exceptions propagate so RQ retries and records them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis

log = logging.getLogger(__name__)

# In priority order: a worker serves the first queue that has a job, so a mail (a password link, an information
# request) is never kept waiting behind a run of packs (probe F8); a pack takes seconds, a mail milliseconds.
QUEUES = ("mail", "alerts", "packs")

# (job function, queue, default interval in seconds): run by the cron scheduler beside the worker.
PERIODIC: list[tuple[Callable, str, int]] = []

# Set-ups a worker runs once before it forks a work horse per job (heavy imports, template compiles), so that jobs
# start warm; registered by the job modules with @preload.
PRELOADS: list[Callable[[Flask], None]] = []

_worker_app: Flask | None = None


class PermanentJobError(Exception):
    """Raised by a job that trying again cannot help (its input is at fault): RQ records it failed at once."""


def redis_connection(app: Flask | None = None) -> Redis:
    """A Redis client for the configured REDIS_URL (short timeouts: Redis down must never hang a request)."""
    app = app or current_app
    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=5)


def get_queue(name: str, connection: Redis | None = None):
    from rq import Queue

    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or redis_connection())


def set_worker_app(app: Flask) -> None:
    """Remember the app whose context each job runs in (the worker process calls this once)."""
    global _worker_app
    _worker_app = app


def _job_app() -> Flask:
    if has_app_context():  # run inline (tests, CLI): the app already in use
        return current_app._get_current_object()
    if _worker_app is None:  # the worker sets it before its first job; anything else runs jobs inside an app
        raise RuntimeError("no app to run the job in: start workers with `flask worker` (or worker.py)")
    return _worker_app


def job(queue: str, *, on_failure: Callable[..., None] | None = None) -> Callable:
    """Mark a function as a job of a queue; it runs in a fresh app context and mirrors its status to its row.

    `on_failure(*args, error=...)` runs when the job has failed for good (no retry left, or a PermanentJobError),
    after the job's own changes were rolled back, in a transaction of its own; it records the failure where the
    domain shows it (a pack marked failed, say).
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from rq import get_current_job

            from talentcase.extensions import db
            from talentcase.jobs import services as jobs
            from talentcase.jobs import uow

            current = get_current_job()
            job_id = current.id if current else None
            app = _job_app()
            with app.app_context():
                try:
                    if job_id:
                        jobs.mark_started(job_id)
                    log.info("job started job_id=%s func=%s args=%s", job_id, func.__name__, args)
                    result = func(*args, **kwargs)
                    uow.finish(failed=False)  # one commit for the job's work, then the jobs it queued go to RQ
                    if job_id:
                        jobs.mark_finished(job_id)
                    log.info("job finished job_id=%s func=%s", job_id, func.__name__)
                    return result
                except Exception as error:
                    uow.discard()
                    if isinstance(error, PermanentJobError) and current is not None:
                        current.retries_left = 0  # the worker reads this very job object to decide on a retry
                    will_retry = bool(current is not None and getattr(current, "retries_left", 0))
                    log.warning(
                        "job failed job_id=%s func=%s error=%r retry=%s", job_id, func.__name__, error, will_retry
                    )
                    if job_id:
                        jobs.mark_failed(job_id, error, will_retry=will_retry)
                    if on_failure is not None and not will_retry:
                        try:
                            on_failure(*args, error=error, **kwargs)
                            uow.checkpoint()
                        except Exception:  # the job's own error is the one RQ must record
                            uow.rollback()
                            log.exception("job failure not recorded job_id=%s func=%s", job_id, func.__name__)
                    raise
                finally:
                    db.session.remove()

        return wrapper

    return decorator


def preload(func: Callable[[Flask], None]) -> Callable[[Flask], None]:
    """Register a set-up for the worker to run once, in its own process, before any job is forked."""
    PRELOADS.append(func)
    return func


def periodic(queue: str, interval: int) -> Callable:
    """Register a job to run every `interval` seconds; only the cron leader enqueues it (jobs.cron), so no two
    schedulers run it twice, and the job itself is safe to repeat."""

    def decorator(func: Callable) -> Callable:
        wrapped = job(queue)(func)
        PERIODIC.append((wrapped, queue, interval))
        return wrapped

    return decorator
