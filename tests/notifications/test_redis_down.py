"""Redis stopped while cases are updated through the web: the requests succeed, the wanted jobs wait in the database,
and once Redis is started every expected mail is delivered exactly once."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
import redis as redis_lib
from flask import Flask
from sqlalchemy import select

from talentcase.common import jobs as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import OutboundMail
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case
from tests.conftest import _free_port, redis_binary
from tests.notifications.conftest import burst

pytestmark = pytest.mark.redis


class StoppedRedis:
    """A port where Redis is not running yet; start() runs a real redis-server there."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="tc-redis-down-")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.workdir]
            + ["--save", "", "--appendonly", "no"],
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

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def stopped_redis(app) -> Iterator[StoppedRedis]:
    server = StoppedRedis()
    app.config["REDIS_URL"] = server.url
    rq_door.set_worker_app(app)
    yield server
    server.close()


def test_case_updates_succeed_while_redis_is_down_and_every_mail_goes_out_once_it_is_back(
    app: Flask, client, auth, db, people, smtp_peer, stopped_redis
):
    case = make_case(people["company_a"], opened_on=date.today())
    act(case, "submit", None, people)
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    db.session.commit()

    steps = (
        ("officer", {"action": "request_info", "party": "company", "note": "Send the signed contract."}),
        ("hr_a", {"action": "provide_info"}),
        ("officer", {"action": "request_info", "party": "expert", "note": "Send your degree certificate."}),
        ("officer", {"action": "provide_info"}),
        ("officer", {"action": "accept"}),
    )
    for who, data in steps:
        auth.as_user(people[who])
        response = client.post(f"/cases/{case.id}/actions", data=data)
        assert response.status_code == 302, (who, data)
    db.session.expire_all()
    assert db.session.get(type(case), case.id).status == "quota_prep"
    expected = Counter(db.session.scalars(select(OutboundMail.to_address)).all())
    assert expected == {case.email: 3, "hr@alpha.test": 1}  # invitation, request, accepted; HR: the request
    wanted = db.session.scalars(select(JobRecord).where(JobRecord.func.like("%deliver_mail"))).all()
    assert len(wanted) == 4 and {row.status for row in wanted} == {"wanted"}
    assert jobs.dispatch() == 0  # Redis is still down: nothing moves, nothing is lost

    stopped_redis.start()
    assert jobs.dispatch() == 4
    burst(app)
    assert jobs.dispatch() == 0  # nothing is sent twice
    burst(app)

    received = Counter(message["To"] for message in smtp_peer.messages)
    assert received == expected
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(select(OutboundMail))} == {"sent"}
    assert {row.status for row in db.session.scalars(select(JobRecord))} == {"finished"}
