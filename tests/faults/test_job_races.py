"""Dispatchers and worker processes racing on the same job ids: every job runs once, and gives one result.

Two guards make that so: the outbox claims a row before it enqueues it (only one dispatcher wins the row), and the
RQ job id is the row's id; a job that reaches RQ twice anyway (an abandoned job re-queued while its first run is
still going) is idempotent: the second run of a pack finds the same content hash and the same file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rq import Queue, Worker
from rq.registry import FinishedJobRegistry

from talentcase.common.storage import get_storage
from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from tests.faults import stop_worker_commands
from tests.packs.helpers import submitted_case

PROJECT = Path(__file__).resolve().parents[2]
JOB_IDS = [f"race-{index}" for index in range(8)]

pytestmark = pytest.mark.redis


@pytest.fixture
def two_workers(app, redis_url) -> Iterator[list[subprocess.Popen]]:
    """Two `worker.py` processes, both listening on the queues before any job arrives; stopped cleanly after."""
    app.config["REDIS_URL"] = redis_url
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "TALENTCASE_STORAGE": app.config["STORAGE_DIR"],
        "TALENTCASE_ENV": "development",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "worker.py"],
            cwd=PROJECT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    connection = rq_door.redis_connection(app)
    deadline = time.monotonic() + 60
    while len(Worker.all(connection=connection)) < 2:
        if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
            break
        time.sleep(0.1)
    yield workers
    stop_worker_commands(workers, connection)  # warm shutdown: the worker and its scheduler


def _wait_until_done(db, job_ids: list[str], timeout: float = 90) -> list[JobRecord]:
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        rows = [db.session.get(JobRecord, job_id) for job_id in job_ids]
        if all(row.is_done for row in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def test_racing_dispatchers_and_workers_run_each_job_once(app, db, two_workers, tmp_path):
    assert len(Worker.all(connection=rq_door.redis_connection(app))) == 2, "both workers are listening"
    runs = tmp_path / "runs.txt"
    for job_id in JOB_IDS:
        jobs.want(job_id, "tests.faults.race_jobs.append_line", "alerts", [str(runs), job_id])
    db.session.commit()

    # Three dispatchers at once (two web processes after their commits and the periodic dispatcher, say).
    sent: list[int] = []
    barrier = threading.Barrier(3)

    def dispatch() -> None:
        with app.app_context():
            barrier.wait()
            sent.append(jobs.dispatch())

    threads = [threading.Thread(target=dispatch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Together they hand over each job at most once (the workers' periodic dispatcher may have sent some first).
    assert sum(sent) <= len(JOB_IDS)
    # Asking again for work already handed over sends nothing more.
    for job_id in JOB_IDS:
        jobs.want(job_id, "tests.faults.race_jobs.append_line", "alerts", [str(runs), job_id])
    db.session.commit()
    assert jobs.dispatch() == 0

    rows = _wait_until_done(db, JOB_IDS)
    assert {(row.status, row.attempts) for row in rows} == {("finished", 1)}
    lines = runs.read_text().splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(JOB_IDS)  # each job once, none twice
    assert len({line.split()[1] for line in lines}) == 2  # and both workers took part in the race
    connection = rq_door.redis_connection(app)
    # RQ files a job as finished just after its function returns (and so after our row says finished): wait for it.
    registry = FinishedJobRegistry("alerts", connection=connection)
    deadline = time.monotonic() + 15
    while not set(JOB_IDS) <= set(registry.get_job_ids()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(JOB_IDS) <= set(registry.get_job_ids())

    # A finished job asked for again stays finished: it is not run a second time.
    jobs.want(JOB_IDS[0], "tests.faults.race_jobs.append_line", "alerts", [str(runs), JOB_IDS[0]])
    db.session.commit()
    assert jobs.dispatch() == 0
    assert len(runs.read_text().splitlines()) == len(JOB_IDS)


def test_the_same_pack_job_reaching_both_workers_gives_one_pack(app, db, people, two_workers):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    result = packs.request_pack(case, draft=True)
    db.session.commit()
    assert jobs.dispatch() >= 1  # the pack's job, with the mails the submission queued
    # The same id handed to RQ a second time, as when an abandoned job is re-queued while its first run goes on.
    row = db.session.get(JobRecord, result.job_id)
    Queue("packs", connection=rq_door.redis_connection(app)).enqueue_call(row.func, args=tuple(row.args), job_id=row.id)

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        db.session.expire_all()
        if (
            db.session.get(Pack, result.pack.id).status == "ready"
            and not Queue("packs", connection=rq_door.redis_connection(app)).count
            and _wait_until_done(db, [result.job_id], timeout=0)[0].is_done
        ):
            break
        time.sleep(0.2)
    time.sleep(1)  # let a second, later run finish too
    db.session.expire_all()
    pack = db.session.get(Pack, result.pack.id)
    assert pack.status == "ready"
    assert db.session.query(Pack).filter_by(case_id=case.id).count() == 1
    folder = get_storage().path(pack.storage_key).parent
    assert [path.name for path in folder.iterdir()] == [Path(pack.storage_key).name]  # one file, no partial left
    assert db.session.get(JobRecord, result.job_id).status == "finished"
