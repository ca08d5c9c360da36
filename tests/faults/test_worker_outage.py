"""Redis stopped and started again under a running `worker.py`: its RQ worker and cron are started again, jobs run.

Each test runs a real worker process (tests/faults/outage_worker.py: worker.py with short intervals) against a
Redis of its own that keeps its data across a restart (`appendonly`, as production runs it). Nothing here sends the
outbox to Redis but the worker's periodic dispatcher, so a job that runs proves that periodic jobs run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as redis_lib
from rq import Worker
from rq.job import Job

from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from tests.conftest import RedisProcess
from tests.faults import stop_worker_commands

PROJECT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 30  # generous: a loaded 2-core machine is slow, and each wait ends as soon as it is met

pytestmark = pytest.mark.redis


@dataclass
class RunningWorker:
    """A worker process, its Redis, a client of it and the log (the worker's and its cron process's stderr)."""

    process: subprocess.Popen
    redis: RedisProcess
    connection: redis_lib.Redis
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, *, count: int = 1) -> re.Match:
        """The `count`-th line matching `pattern`, once the worker has written it."""
        _wait_until(lambda: len(re.findall(pattern, self.log())) >= count, f"log {pattern!r}", self)
        return list(re.finditer(pattern, self.log()))[count - 1]


def _wait_until(condition: Callable[[], bool], what: str, worker: RunningWorker | None = None) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            tail = worker.log()[-3000:] if worker else ""
            raise AssertionError(f"waited {DEADLINE_SECONDS} s for {what}\n{tail}")
        time.sleep(0.05)


@pytest.fixture
def running_worker(app, tmp_path: Path) -> Iterator[RunningWorker]:
    """A worker process with its cron process, listening on a Redis of its own; stopped cleanly after the test."""
    server = RedisProcess(appendonly=True, prefix="tc-redis-worker-outage-")
    server.start()
    app.config["REDIS_URL"] = server.url
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": server.url,
        "TALENTCASE_STORAGE": app.config["STORAGE_DIR"],
        "TALENTCASE_ENV": "development",
    }
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.outage_worker"],
            cwd=PROJECT,
            env=env,
            start_new_session=True,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    connection = rq_door.redis_connection(app)
    running = RunningWorker(process, server, connection, log_path)
    try:
        _wait_until(lambda: len(Worker.all(connection=connection)) == 1 or process.poll() is not None, "a worker")
        assert process.poll() is None, running.log()[-3000:]
        yield running
    finally:
        stop_worker_commands([process], connection)  # warm shutdown: passed on to the worker and the cron
        connection.close()
        server.close()


def _want(db, job_id: str, func: str, args: list[str]) -> None:
    jobs.want(job_id, func, "alerts", args)
    db.session.commit()


def _status(db, job_id: str) -> str:
    db.session.expire_all()
    return db.session.get(JobRecord, job_id).status


def _runs_through(db, worker: RunningWorker, job_id: str, tmp_path: Path) -> None:
    """A job wanted now is handed over by the periodic dispatcher and run by the worker."""
    _want(db, job_id, "tests.faults.race_jobs.append_line", [str(tmp_path / "runs.txt"), job_id])
    _wait_until(lambda: _status(db, job_id) == "finished", f"{job_id} to run", worker)


def test_periodic_jobs_run_again_after_a_redis_outage(app, db, running_worker, tmp_path):
    _runs_through(db, running_worker, "before-outage", tmp_path)

    running_worker.redis.stop()
    running_worker.wait_for_log(r"cron cannot reach Redis")  # the worker command met the outage, and lives on
    running_worker.redis.start()

    _runs_through(db, running_worker, "after-outage", tmp_path)
    assert running_worker.process.poll() is None
    lines = (tmp_path / "runs.txt").read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["before-outage", "after-outage"]


def test_a_dead_cron_process_is_started_again(app, db, running_worker, tmp_path):
    first = running_worker.wait_for_log(r"process started name=cron pid=(\d+)")
    os.kill(int(first.group(1)), signal.SIGKILL)  # as the kernel's OOM killer would

    running_worker.wait_for_log(r"process ended name=cron .*exitcode=-9")
    again = running_worker.wait_for_log(r"process started name=cron pid=(\d+) restarts=1")
    assert again.group(1) != first.group(1)
    _runs_through(db, running_worker, "after-restart", tmp_path)


def test_a_job_running_while_redis_goes_away_is_finished_and_recorded(app, db, running_worker, tmp_path):
    started, go = tmp_path / "started", tmp_path / "go"
    _want(db, "long-job", "tests.faults.outage_jobs.wait_for_go", [str(started), str(go)])
    _wait_until(started.exists, "the job to start", running_worker)

    running_worker.redis.stop()
    running_worker.wait_for_log(r"quitting")  # RQ's work loop gave up; the job's own process goes on
    running_worker.redis.start()
    go.touch()

    _wait_until(lambda: _status(db, "long-job") == "finished", "the job to finish", running_worker)
    connection = running_worker.connection
    _wait_until(lambda: Job.fetch("long-job", connection=connection).get_status() == "finished", "RQ to record it")
    assert running_worker.process.poll() is None
    running_worker.wait_for_log(r"process started name=worker pid=\d+ restarts=1")  # once the job had ended
    _runs_through(db, running_worker, "after-long-job", tmp_path)
    assert len(Worker.all(connection=connection)) == 1  # one worker again, not a leftover


def test_the_worker_starts_again_when_a_job_ends_while_redis_is_away(app, db, running_worker, tmp_path):
    started, go = tmp_path / "started", tmp_path / "go"
    _want(db, "long-job", "tests.faults.outage_jobs.wait_for_go", [str(started), str(go)])
    _wait_until(started.exists, "the job to start", running_worker)

    running_worker.redis.stop()
    go.touch()  # the job ends while Redis is away: RQ cannot record it, and its work loop gives up
    _wait_until(lambda: _status(db, "long-job") == "finished", "the job to finish", running_worker)
    running_worker.wait_for_log(r"process ended name=worker")
    running_worker.redis.start()

    _runs_through(db, running_worker, "after-restart", tmp_path)
    assert running_worker.process.poll() is None
    assert len(Worker.all(connection=running_worker.connection)) == 1  # one worker again, not a leftover
