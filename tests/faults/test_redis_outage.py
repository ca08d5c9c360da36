"""Redis stopped and started again while the app is in use: the web keeps working, queued work arrives once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import update

from talentcase.common import clock
from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from tests.api import bearer, case_body, issue_tokens
from tests.conftest import RedisProcess
from tests.jobs import burst, sample_jobs

pytestmark = pytest.mark.redis


@pytest.fixture
def own_redis(app) -> Iterator[RedisProcess]:
    server = RedisProcess(appendonly=True, prefix="tc-redis-outage-")
    server.start()
    app.config["REDIS_URL"] = server.url
    rq_door.set_worker_app(app)
    sample_jobs.CALLS.clear()
    yield server
    server.close()


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
    burst(app)
    assert _statuses(db, "outage-before", "outage-during-1", "outage-during-2", pack_job) == ["finished"] * 4
    assert sorted(call[1] for call in sample_jobs.CALLS) == ["before", "during-1", "during-2"]
    pack = client.get(f"/api/v1/cases/{case_id}/pack.pdf", headers=headers)
    assert pack.status_code == 200
    assert pack.data.startswith(b"%PDF")
    assert client.get("/healthz").status_code == 200


def test_a_pack_lost_with_redis_is_made_when_asked_for_again(app, db, client, people, own_redis):
    token = issue_tokens(people)["hr_a"]
    db.session.commit()
    headers = bearer(token)
    case_id = client.post("/api/v1/cases", headers=headers, json=case_body()).json["id"]
    first = client.post(f"/api/v1/cases/{case_id}/pack", headers=headers, json={"draft": True})
    assert first.status_code == 202
    pack_job = first.json["job_id"]
    assert _statuses(db, pack_job) == ["queued"]  # handed to Redis after the request's commit

    # Redis loses everything it held (restarted without its data) before a worker took the job.
    rq_door.redis_connection(app).flushall()
    long_ago = clock.now() - jobs.LOST_AFTER - timedelta(minutes=1)
    db.session.execute(update(JobRecord).where(JobRecord.id == pack_job).values(dispatched_at=long_ago))
    db.session.commit()

    again = client.post(f"/api/v1/cases/{case_id}/pack", headers=headers, json={"draft": True})
    assert again.status_code == 202 and again.json["job_id"] == pack_job
    assert _statuses(db, pack_job) == ["queued"]
    assert Queue("packs", connection=rq_door.redis_connection(app)).job_ids == [pack_job]
    burst(app)
    assert _statuses(db, pack_job) == ["finished"]
    assert client.get(f"/api/v1/cases/{case_id}/pack.pdf", headers=headers).status_code == 200
