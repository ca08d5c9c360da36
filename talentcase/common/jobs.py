"""The one place that knows about RQ: queues, the job decorator, enqueueing and the worker loop.

Jobs take ids and primitives only; each runs in a fresh app context of the worker's app, and exceptions
propagate so that RQ records the failure and retries.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis

log = logging.getLogger(__name__)

QUEUES = ("packs", "alerts", "mail")

_worker_app: Flask | None = None


def redis_connection(app: Flask | None = None) -> Redis:
    """A Redis client for the configured REDIS_URL."""
    app = app or current_app
    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10)


def set_worker_app(app: Flask) -> None:
    """Remember the app whose context each job runs in (called once by the worker process)."""
    global _worker_app
    _worker_app = app


def _job_app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from talentcase import create_app

        _worker_app = create_app()
    return _worker_app


def job(queue: str) -> Callable:
    """Mark a function as a job of a queue; it runs in a fresh app context with its own database session."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            app = _job_app()
            with app.app_context():
                from talentcase.extensions import db

                try:
                    return func(*args, **kwargs)
                finally:
                    db.session.remove()

        wrapper.queue_name = queue  # type: ignore[attr-defined]
        wrapper.run_inline = func  # type: ignore[attr-defined]
        return wrapper

    return decorator


def run_worker(app: Flask, *, burst: bool = False, queues: tuple[str, ...] = QUEUES) -> bool:
    """Run an RQ worker with the scheduler on the project's queues."""
    from rq import Queue, Worker

    set_worker_app(app)
    connection = redis_connection(app)
    worker = Worker([Queue(name, connection=connection) for name in queues], connection=connection)
    log.info("worker starting queues=%s redis=%s burst=%s", ",".join(queues), app.config["REDIS_URL"], burst)
    return worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
