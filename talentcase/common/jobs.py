"""The one place that knows about RQ: queues, the job decorator, periodic jobs and the worker loop.

Jobs take ids and primitives only; each runs in a fresh app context of the worker's app with its own database
session, mirrors its status into its JobRecord row, and lets exceptions propagate so RQ retries and records them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis

log = logging.getLogger(__name__)

QUEUES = ("packs", "alerts", "mail")

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
    global _worker_app
    if has_app_context():  # run inline (tests, CLI): the app already in use
        return current_app._get_current_object()
    if _worker_app is None:
        from talentcase import create_app

        _worker_app = create_app()
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

            current = get_current_job()
            job_id = current.id if current else None
            app = _job_app()
            with app.app_context():
                try:
                    if job_id:
                        jobs.mark_started(job_id)
                    log.info("job started job_id=%s func=%s args=%s", job_id, func.__name__, args)
                    result = func(*args, **kwargs)
                    if job_id:
                        jobs.mark_finished(job_id)
                    log.info("job finished job_id=%s func=%s", job_id, func.__name__)
                    return result
                except Exception as error:
                    db.session.rollback()
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
                            db.session.commit()
                        except Exception:  # the job's own error is the one RQ must record
                            db.session.rollback()
                            log.exception("job failure not recorded job_id=%s func=%s", job_id, func.__name__)
                    raise
                finally:
                    db.session.remove()

        wrapper.queue_name = queue  # type: ignore[attr-defined]
        wrapper.func_path = f"{func.__module__}.{func.__name__}"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def preload(func: Callable[[Flask], None]) -> Callable[[Flask], None]:
    """Register a set-up for the worker to run once, in its own process, before any job is forked."""
    PRELOADS.append(func)
    return func


def periodic(queue: str, interval: int) -> Callable:
    """Register a job to run every `interval` seconds; only the cron leader enqueues it (common.cron), so no two
    schedulers run it twice, and the job itself is safe to repeat."""

    def decorator(func: Callable) -> Callable:
        wrapped = job(queue)(func)
        PERIODIC.append((wrapped, queue, interval))
        return wrapped

    return decorator


# RQ's defaults suit one worker that lives for ever; ours are replaced (deploys, hosts lost), and a replacement must
# pick up what a killed worker left within about a minute, not after RQ's ten-minute maintenance interval.
WORKER_OPTIONS: dict[str, int] = {
    # Abandoned jobs retried, a dead RQ scheduler started again (or its lock taken over) this often.
    "maintenance_interval": 15,
    # An idle worker blocks on the queues for worker_ttl - 15 s at a time, and can run maintenance only in between.
    "worker_ttl": 30,
    # A running job's heartbeat; RQ counts the job abandoned this + 60 s after the last one.
    "job_monitoring_interval": 10,
}
WORKER_RETRY_MAX_SECONDS = 15  # longest wait between two starts while Redis is away
CRON_RETRY_SECONDS = (5, 300)  # first and longest wait before starting a dead cron process again


class _CronProcess:
    """The cron scheduler's process beside the worker, started again (with backoff) whenever it has died."""

    def __init__(self, redis_url: str, intervals: dict[str, int]) -> None:
        self.args = (redis_url, intervals)
        self.process: multiprocessing.process.BaseProcess | None = None
        self.started_at = 0.0
        self.restart_at: float | None = None
        self.deaths = 0

    def keep_alive(self) -> None:
        """Start the process, or start it again when it has died and its backoff has passed."""
        if self.process is not None and self.process.is_alive():  # is_alive() also reaps a dead one
            return
        if self.process is not None and self.restart_at is None:
            if time.monotonic() - self.started_at > CRON_RETRY_SECONDS[1]:
                self.deaths = 0  # it ran well for a while: this death is not part of a crash loop
            delay = min(CRON_RETRY_SECONDS[0] * 2**self.deaths, CRON_RETRY_SECONDS[1])
            self.deaths += 1
            self.restart_at = time.monotonic() + delay
            log.warning(
                "cron process died pid=%s exitcode=%s restart_in=%ds", self.process.pid, self.process.exitcode, delay
            )
        if self.restart_at is not None and time.monotonic() < self.restart_at:
            return
        from talentcase.common.cron import run_cron

        self.process = multiprocessing.get_context("spawn").Process(
            target=run_cron, args=self.args, daemon=True, name="talentcase-cron"
        )
        self.process.start()
        self.started_at, self.restart_at = time.monotonic(), None
        log.info("cron process started pid=%s restarts=%d", self.process.pid, self.deaths)

    def stop(self) -> None:
        """Stop the process (SIGTERM: it hands its lease over) and wait a little for it."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)


@functools.cache
def _worker_class() -> type:
    """RQ's Worker, made to ride out Redis outages and to look after the cron process (rq is a worker-only import)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from rq import Worker

    class TalentCaseWorker(Worker):
        """One run of the work loop; run_worker starts another when it ends for any reason but a stop request."""

        cron: _CronProcess | None = None
        is_stopping = False

        def request_stop(self, signum: int, frame: Any) -> None:
            self.is_stopping = True  # RQ ends its loop the same way on a stop and on an error: tell them apart
            super().request_stop(signum, frame)

        def maintain_heartbeats(self, job: Any, execution: Any) -> None:
            try:
                super().maintain_heartbeats(job, execution)
            except (RedisConnectionError, RedisTimeoutError) as error:
                # RQ would give up the worker here with the job still running; the job needs no Redis to carry
                # on, so keep watching it: its result is written when Redis is back, else RQ retries it.
                log.warning("worker lost Redis while a job runs job_id=%s error=%r", job.id, error)

        def run_maintenance_tasks(self) -> None:
            if self.cron is not None:
                self.cron.keep_alive()  # first: the maintenance itself raises while Redis is away
            super().run_maintenance_tasks()

    return TalentCaseWorker


def _raise_system_exit(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _after_worker(worker: Any) -> None:
    """Tidy what a work loop ended by an error left: a job still running, the Pub/Sub thread (no teardown ran)."""
    if worker.horse_pid:
        log.warning("worker waiting for its job to end before starting again pid=%s", worker.horse_pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.horse_pid, 0)
    if worker.pubsub_thread is not None and worker.pubsub_thread.is_alive():
        worker.pubsub_thread.stop()


def run_worker(app: Flask, *, burst: bool = False, queues: tuple[str, ...] = QUEUES, with_cron: bool = True) -> bool:
    """Run an RQ worker with the scheduler on the project's queues, the cron scheduler beside it, until stopped.

    Neither dies of a Redis outage: the work loop is started again with backoff (RQ's ends on a Redis error while a
    job runs) and the cron process, should it die anyway, is started again by the worker's maintenance.
    """
    from redis.exceptions import RedisError
    from rq.exceptions import StopRequested

    import talentcase.tasks  # noqa: F401  (import every job module so RQ can find them)

    set_worker_app(app)
    for setup in PRELOADS:
        setup(app)
    connection = redis_connection(app)
    cron = None
    if with_cron and not burst:
        cron = _CronProcess(app.config["REDIS_URL"], dict(app.config.get("PERIODIC_INTERVALS", {})))
        cron.keep_alive()
    worked = False
    retry_in = 1.0
    leftover = None  # a worker whose loop ended on an error: Redis still lists it, as if it were working
    try:
        while True:
            worker = None
            started_at = time.monotonic()
            try:
                worker = _worker_class()(
                    [get_queue(name, connection) for name in queues], connection=connection, **WORKER_OPTIONS
                )
                worker.cron = cron
                if leftover is not None:
                    with contextlib.suppress(RedisError):
                        leftover.register_death()  # else it shows for a minute more; its abandoned job stays
                    leftover = None
                log.info("worker starting queues=%s burst=%s", ",".join(queues), burst)
                worked = worker.work(with_scheduler=True, burst=burst, logging_level="INFO") or worked
                error = None
            except RedisError as raised:  # from the start, or from RQ's teardown after its loop gave up
                if burst:
                    raise
                error = raised
            except StopRequested:  # a stop request that came between RQ's loop and its teardown
                return worked
            finally:
                # Until the next worker installs its own: a stop request now ends at once, no job is in hand.
                signal.signal(signal.SIGTERM, _raise_system_exit)
                signal.signal(signal.SIGINT, _raise_system_exit)
            if burst or (worker is not None and worker.is_stopping):
                return worked
            if worker is not None:
                _after_worker(worker)
                leftover = worker
            if time.monotonic() - started_at > 60:
                retry_in = 1.0  # it ran a good while: not a start failing again and again
            log.warning("worker stopped unexpectedly error=%r restart_in=%.0fs", error, retry_in)
            time.sleep(retry_in)
            retry_in = min(retry_in * 2, WORKER_RETRY_MAX_SECONDS)
    finally:
        if cron is not None:
            cron.stop()
