"""Redis stopped and started again while the app is in use: the web keeps working, queued work arrives once."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis as redis_lib
from rq import Queue, SimpleWorker

from talentcase.common import jobs as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from tests.api import bearer, case_body, issue_tokens
from tests.conftest import _free_port, redis_binary
from tests.jobs import sample_jobs

pytestmark = pytest.mark.redis


class RedisProcess:
    """A redis-server of our own on a free port, with an append-only file so that a restart keeps its queues."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="tc-redis-outage-")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.workdir]
            + ["--appendonly", "yes", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis_lib.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis_lib.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("Redis did not start")

    def stop(self) -> None:
        """A clean shutdown (SIGTERM): Redis writes its append-only file and exits, as when an operator restarts it."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def own_redis(app) -> Iterator[RedisProcess]:
    server = RedisProcess()
    server.start()
    app.config["REDIS_URL"] = server.url
    rq_door.set_worker_app(app)
    sample_jobs.CALLS.clear()
    yield server
    server.close()


def _burst(app) -> None:
    connection = rq_door.redis_connection(app)
    SimpleWorker([Queue(name, connection=connection) for name in rq_door.QUEUES], connection=connection).work(
        burst=True
    )


def _statuses(db, *job_ids: str) -> list[str]:
    db.session.expire_all()
    return [db.session.get(JobRecord, job_id).status for job_id in job_ids]


def test_web_keeps_working_while_redis_is_down_and_the_outbox_delivers_once_it_is_back(
    app, db, client, people, own_redis
):
    token = issue_tokens(people)["hr_a"]
    db.session.commit()
    headers = bearer(token)

    # Redis up: a job goes straight through the outbox into Redis.
    jobs.want("outage-before", "tests.jobs.sample_jobs.record_call", "alerts", ["before"])
    db.session.commit()
    assert jobs.dispatch() == 1

    own_redis.stop()

    # Redis down: pages and API calls (reads and writes) still succeed; only /healthz says degraded.
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    created = client.post("/api/v1/cases", headers=headers, json=case_body())
    assert created.status_code == 201, created.json
    case_id = created.json["id"]
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 200
    started = time.monotonic()
    queued = client.post(f"/api/v1/cases/{case_id}/pack", headers=headers, json={"draft": True})
    assert queued.status_code == 202, queued.json
    assert time.monotonic() - started < 5  # short Redis timeouts: a request never hangs on it
    pack_job = queued.json["job_id"]
    assert client.get(queued.json["status_url"], headers=headers).json["status"] in ("queued", "wanted")
    assert client.get("/readyz").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["checks"]["database"] == "ok"
    assert health.json["checks"]["redis"].startswith("error")

    # Work wanted meanwhile waits in the outbox.
    for name in ("during-1", "during-2"):
        jobs.want(f"outage-{name}", "tests.jobs.sample_jobs.record_call", "alerts", [name])
    db.session.commit()
    assert jobs.dispatch() == 0
    assert _statuses(db, "outage-during-1", "outage-during-2", pack_job) == ["wanted"] * 3

    # Redis back: the outbox hands everything over (the periodic dispatcher does this in production), once.
    own_redis.start()
    assert jobs.dispatch() == 3
    assert jobs.dispatch() == 0
    _burst(app)
    assert _statuses(db, "outage-before", "outage-during-1", "outage-during-2", pack_job) == ["finished"] * 4
    assert sorted(call[1] for call in sample_jobs.CALLS) == ["before", "during-1", "during-2"]
    pack = client.get(f"/api/v1/cases/{case_id}/pack.pdf", headers=headers)
    assert pack.status_code == 200
    assert pack.data.startswith(b"%PDF")
    assert client.get("/healthz").status_code == 200
