"""Tests of the job infrastructure: the outbox, RQ workers, cron leadership, lost jobs."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

from rq import Queue, SimpleWorker

from talentcase.jobs import queue as rq_door


class BurstWorker(SimpleWorker):
    """RQ's in-process worker, without its command channel.

    A worker listens on a pub/sub channel for commands (shut down, stop a job) in a thread of its own. With RQ 3.0
    and redis-py 8 that thread, once unsubscribed, waits out its 60 s poll before it ends, and the worker's
    teardown joins it: most bursts took a minute. Nobody sends commands to a burst in a test, so it does not listen.
    """

    def subscribe(self) -> None:
        """Listen for no commands (and so leave nothing for teardown to wait for)."""

    def work(self, *args: Any, **kwargs: Any) -> bool:
        """RQ's work, then pytest's own Ctrl-C and SIGTERM handling back.

        RQ leaves its shutdown handlers installed: a later Ctrl-C or SIGTERM would raise StopRequested in whichever
        test runs then, instead of ending the session."""
        handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            return super().work(*args, **kwargs)
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)


def burst(app, *, with_scheduler: bool = False) -> None:
    """Run every job waiting in the project's queues with a real RQ worker in burst mode (in this process, against
    the test's real Redis), then return."""
    connection = rq_door.redis_connection(app)
    BurstWorker([Queue(name, connection=connection) for name in rq_door.QUEUES], connection=connection).work(
        burst=True, with_scheduler=with_scheduler
    )


def at_once(app, func: Callable[[], Any], times: int = 2) -> list[Any]:
    """Run `func` in `times` threads at once, each in its own app context (its own session); their results."""
    results: list[Any] = []

    def run() -> None:
        with app.app_context():
            results.append(func())

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
