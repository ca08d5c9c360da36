"""Redis stopped while cases are updated through the web: the requests succeed, the wanted jobs wait in the database,
and once Redis is started every expected mail is delivered exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import OutboundMail
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case
from tests.conftest import RedisProcess
from tests.jobs import burst

pytestmark = pytest.mark.redis


@pytest.fixture
def stopped_redis(app) -> Iterator[RedisProcess]:
    server = RedisProcess(prefix="tc-redis-down-")
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
    # The expert: invitation, request, accepted; HR: the request and the acceptance; the officer (standing in for
    # the supervisors of a case with no owner): the new case and the answer to their request.
    assert expected == {case.email: 3, "hr@alpha.test": 2, "officer@park.test": 2}
    wanted = db.session.scalars(select(JobRecord).where(JobRecord.func.like("%deliver_mail"))).all()
    assert len(wanted) == 7 and {row.status for row in wanted} == {"wanted"}
    assert jobs.dispatch() == 0  # Redis is still down: nothing moves, nothing is lost

    stopped_redis.start()
    assert jobs.dispatch() == 7
    burst(app)
    assert jobs.dispatch() == 0  # nothing is sent twice
    burst(app)

    received = Counter(message["To"] for message in smtp_peer.messages)
    assert received == expected
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(select(OutboundMail))} == {"sent"}
    assert {row.status for row in db.session.scalars(select(JobRecord))} == {"finished"}
