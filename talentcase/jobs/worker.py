"""The worker command: RQ's own Worker on the project's queues and RQ's own cron scheduler, each in a process of its
own that is started again when it ends, as a supervisor with autorestart would start `rq worker` and `rq cron`.

RQ's loops end when Redis goes away at the wrong moment (a running job's heartbeat, a cron tick); nothing here
overrides them: the process ends, and another starts (with backoff) once Redis answers. Jobs lost meanwhile are
found and sent again by the outbox's periodic dispatcher (jobs.tasks).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask
from redis.exceptions import RedisError

from talentcase.jobs.queue import PRELOADS, QUEUES, get_queue, redis_connection, set_worker_app
from talentcase.jobs.registry import import_job_modules

log = logging.getLogger(__name__)

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
# First and longest wait before a process that ended is started again; one that ran longer than the longest wait
# was not crashing, and its next restart waits the first wait again.
RESTART_SECONDS = {"worker": (1, 15), "cron": (5, 300)}
TICK_SECONDS = 0.5


class Keeper:
    """One child process, forked from the worker command: started, started again with backoff when it ends,
    stopped with SIGTERM (RQ's warm shutdown). Each run gets an id (the RQ worker's name)."""

    def __init__(self, name: str, target: Callable[[str], Any]) -> None:
        self.name = name
        self.target = target
        self.first_wait, self.longest_wait = RESTART_SECONDS[name]
        self.process: multiprocessing.process.BaseProcess | None = None
        self.run_id = ""
        self.ended_runs: list[str] = []
        self.started_at = 0.0
        self.restart_at: float | None = None
        self.crashes = 0
        self.restarts = -1

    def keep_running(self) -> bool:
        """Start the process, or start it again once its backoff has passed; True when it was just found ended."""
        if self.process is not None and self.process.is_alive():  # is_alive() also reaps an ended one
            return False
        ended = self.process is not None and self.restart_at is None
        if ended:
            if time.monotonic() - self.started_at > self.longest_wait:
                self.crashes = 0
            delay = min(self.first_wait * 2**self.crashes, self.longest_wait)
            self.crashes += 1
            self.restart_at = time.monotonic() + delay
            self.ended_runs.append(self.run_id)
            log.warning(
                "process ended name=%s pid=%s exitcode=%s restart_in=%ds",
                self.name,
                self.process.pid,
                self.process.exitcode,
                delay,
            )
        if self.restart_at is None or time.monotonic() >= self.restart_at:
            self._start()
        return ended

    def _start(self) -> None:
        self.run_id = uuid.uuid4().hex
        self.process = multiprocessing.get_context("fork").Process(
            target=_child, args=(self.target, self.run_id, os.getpid()), name=f"talentcase-{self.name}"
        )
        self.process.start()
        self.started_at, self.restart_at = time.monotonic(), None
        self.restarts += 1
        log.info("process started name=%s pid=%s restarts=%d", self.name, self.process.pid, self.restarts)

    def signal(self, signum: int) -> None:
        """Pass a signal on to the process, if it runs."""
        if self.process is not None and self.process.is_alive():
            os.kill(self.process.pid, signum)

    def stop(self, *, signalled: bool = False) -> None:
        """Stop the process (unless `signalled` already) and wait for it (a running job is finished first); not
        counted as a crash."""
        if not signalled:
            self.signal(signal.SIGTERM)
        if self.process is not None:
            self.process.join()
        self.process, self.restart_at, self.crashes = None, None, 0


def _child(target: Callable[[str], Any], run_id: str, parent_pid: int) -> None:
    """A child's start: in a process group of its own (a terminal's Ctrl-C or a group kill reaches the worker command,
    which passes it on once), stopped when the worker command is gone, a Redis outage logged in one line."""
    os.setpgrp()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)  # until RQ installs its own
    threading.Thread(target=_stop_with_parent, args=(parent_pid,), daemon=True).start()
    try:
        target(run_id)
    except RedisError as error:
        log.warning("process lost Redis name=%s error=%r", multiprocessing.current_process().name, error)
        sys.exit(1)


def _stop_with_parent(parent_pid: int) -> None:
    """Warm-stop this process when the worker command that started it has gone (killed outright, say)."""
    while os.getppid() == parent_pid:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def work(app: Flask, queues: tuple[str, ...], name: str | None = None, *, burst: bool = False) -> bool:
    """Run RQ's Worker (with RQ's scheduler, for retries) on the queues; True when it did any job."""
    from rq import Worker

    connection = redis_connection(app)
    worker = Worker(
        [get_queue(queue, connection) for queue in queues], connection=connection, name=name, **WORKER_OPTIONS
    )
    log.info("worker starting queues=%s burst=%s", ",".join(queues), burst)
    try:
        return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        _wait_for_children()


def _wait_for_children() -> None:
    """A work loop that ended on an error leaves its job running in a child process: let it finish first, so that
    the next worker on this host does not run a job beside it (and RQ records its result when Redis is back)."""
    for process in multiprocessing.active_children():  # RQ's scheduler, were it still running
        process.terminate()
        process.join(10)
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        log.info("worker's job process ended pid=%s", pid)


def run_cron(app: Flask, run_id: str = "") -> None:
    """Run RQ's cron scheduler with every periodic job until stopped (SIGTERM) or Redis goes away."""
    from talentcase.jobs.cron import cron_scheduler

    intervals = dict(app.config.get("PERIODIC_INTERVALS", {}))
    cron_scheduler(redis_connection(app), intervals).start()


class Supervisor:
    """The worker command's own loop: keeps the worker process running, and the cron process while it holds the
    cron lease; a stop request (SIGTERM, SIGINT) is passed on, a second one makes RQ stop its running job."""

    def __init__(self, app: Flask, queues: tuple[str, ...], *, with_worker: bool, with_cron: bool) -> None:
        from talentcase.jobs.cron import CronLease

        self.connection = redis_connection(app)
        self.worker = Keeper("worker", lambda name: work(app, queues, name)) if with_worker else None
        self.cron = Keeper("cron", lambda _: run_cron(app)) if with_cron else None
        self.lease = CronLease(self.connection) if with_cron else None
        self.lease_due = 0.0
        self.stop_requests = 0

    def request_stop(self, signum: int, frame: Any) -> None:
        self.stop_requests += 1
        if self.stop_requests > 1:
            for keeper in self._keepers():
                keeper.signal(signal.SIGTERM)  # a second request: RQ's cold shutdown ends the running job

    def _keepers(self) -> list[Keeper]:
        return [keeper for keeper in (self.worker, self.cron) if keeper is not None]

    def run(self) -> None:
        """Keep the processes running until a stop request, then stop them and hand the cron lease over."""
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        try:
            while not self.stop_requests:
                if self.worker is not None:
                    self.worker.keep_running()
                    self._forget_ended_workers()
                if self.cron is not None:
                    self._tend_cron()
                time.sleep(TICK_SECONDS)
        finally:
            for keeper in self._keepers():  # all at once, then wait for each
                keeper.signal(signal.SIGTERM)
            for keeper in self._keepers():
                keeper.stop(signalled=True)
            if self.lease is not None:
                self.lease.release()

    def _tend_cron(self) -> None:
        """Run the cron while the lease is ours: renewed in time, looked at again as soon as the cron has ended."""
        now = time.monotonic()
        if now >= self.lease_due:
            self.lease.hold()
            self.lease_due = now + self.lease.seconds_to_next_check()
        if not self.lease.is_held:
            self.cron.stop()
        elif self.cron.keep_running():
            self.lease_due = now  # it ended: make sure the lease (and Redis) is still there before starting it again

    def _forget_ended_workers(self) -> None:
        """Unregister the RQ workers whose process ended without doing so (Redis was away): else each would be
        listed as a live worker for a minute more."""
        from rq import Worker

        while self.worker.ended_runs:
            name = self.worker.ended_runs[0]
            try:
                ended = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=self.connection)
                if ended is not None:
                    ended.register_death()
            except RedisError:
                return  # when Redis is back
            self.worker.ended_runs.pop(0)


def run(
    app: Flask,
    *,
    burst: bool = False,
    queues: tuple[str, ...] = QUEUES,
    with_worker: bool = True,
    with_cron: bool = True,
) -> bool:
    """Run the worker (on `queues`) and the cron until stopped; with `burst`, only the jobs waiting now, in this
    process. Returns whether a burst did any job."""
    import_job_modules()
    set_worker_app(app)
    for setup in PRELOADS:  # before the worker process is forked, so that every job starts warm
        setup(app)
    if burst:
        return work(app, queues, burst=True)
    Supervisor(app, queues, with_worker=with_worker, with_cron=with_cron).run()
    return False
