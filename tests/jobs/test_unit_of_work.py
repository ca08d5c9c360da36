"""One unit of work per request and per job: it commits once when it went well, rolls back when it failed, and then
hands the jobs it queued to RQ (against a real Redis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Blueprint
from rq.job import Job
from sqlalchemy import select

import talentcase
from talentcase.audit import services as audit
from talentcase.audit.models import AuditEntry
from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs import uow
from talentcase.jobs.models import JobRecord
from tests.jobs import burst, sample_jobs

JOB = "tests.jobs.sample_jobs.record_call"


def _work(name: str) -> None:
    """What a view's service does: an audit row and a wanted job, flushed, not committed."""
    audit.record("uow_test", detail_name=name)
    jobs.want(f"uow-{name}", JOB, "alerts", [name])


@pytest.fixture
def routes(app):
    """Views that only call services and answer, as a thin view should; the unit of work does the rest."""
    bp = Blueprint("uow_test", __name__)

    @bp.post("/uow/ok")
    def ok():
        _work("ok")
        return "done"

    @bp.post("/uow/raises")
    def raises():
        _work("raises")
        raise RuntimeError("the service failed after its flush")

    @bp.post("/uow/refused")
    def refused():
        _work("refused")
        return "no", 422

    @bp.post("/uow/discarded")
    def discarded():
        _work("discarded")
        uow.discard()  # a service error caught: the form is shown again (200), nothing of it is kept
        _work("after-discard")
        return "shown again"

    app.register_blueprint(bp)
    return app


def _entries(db) -> list[str]:
    return [entry.detail["detail_name"] for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _in_redis(job_id: str) -> bool:
    return Job.exists(job_id, connection=rq_door.redis_connection())


def test_a_request_that_went_well_commits_then_hands_its_job_to_rq(routes, client, db, live_redis):
    assert client.post("/uow/ok").status_code == 200
    assert _entries(db) == ["ok"]
    assert db.session.get(JobRecord, "uow-ok").status == "queued"  # dispatched in the request, after its commit
    assert _in_redis("uow-ok")
    burst(routes)
    assert sample_jobs.CALLS[0][:2] == ("record_call", "ok")


@pytest.mark.parametrize("path", ["/uow/raises", "/uow/refused", "/uow/discarded"])
def test_a_failed_request_keeps_nothing_and_dispatches_nothing(routes, client, db, live_redis, path):
    response = client.post(path)
    assert response.status_code in (200, 422, 500)
    assert _entries(db) == []  # no half-written row: the flushed audit entry went with the rollback
    assert db.session.scalars(select(JobRecord.id)).all() == []
    assert rq_door.get_queue("alerts").count == 0


def test_a_checkpoint_keeps_what_must_outlive_the_failed_request(app, db):
    audit.record("uow_test", detail_name="kept")
    uow.checkpoint()
    audit.record("uow_test", detail_name="dropped")
    uow.discard()
    assert _entries(db) == ["kept"]


def test_a_job_commits_at_its_end_and_hands_on_the_jobs_it_queued(app, db, live_redis):
    sample_jobs.queue_another("from-job")
    db.session.expire_all()
    assert db.session.get(JobRecord, "uow-from-job").status == "queued"
    assert _in_redis("uow-from-job")
    assert _entries(db) == ["from-job"]


def test_a_failing_job_keeps_nothing_of_its_work(app, db, live_redis):
    with pytest.raises(RuntimeError):
        sample_jobs.queue_another_then_fail("lost")
    db.session.expire_all()
    assert _entries(db) == []
    assert db.session.get(JobRecord, "uow-lost") is None


def test_only_the_unit_of_work_ends_a_transaction():
    """Views, services, jobs and commands leave commit and rollback to jobs.uow (checkpoint, discard, finish)."""
    package = Path(talentcase.__file__).parent
    ends = re.compile(r"\bsession\.(commit|rollback)\(")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path != package / "jobs" / "uow.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ends.search(line)
    ]
    assert found == []
