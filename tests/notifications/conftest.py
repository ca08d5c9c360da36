"""Fixtures for notifications: a real SMTP peer (aiosmtpd), a real Redis with an RQ burst worker, a set clock."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller

from talentcase.common import clock
from talentcase.jobs import queue as rq_door
from tests.cases.helpers import act, make_case
from tests.conftest import _free_port


class Collector:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


class SmtpPeer:
    """A real SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_peer(app) -> Iterator[SmtpPeer]:
    peer = SmtpPeer()
    peer.start()
    app.config["MAIL_URL"] = peer.url
    app.config["MAIL_TIMEOUT"] = 3
    yield peer
    peer.stop()


@pytest.fixture
def live_redis(app, redis_url) -> str:
    app.config["REDIS_URL"] = redis_url
    rq_door.set_worker_app(app)
    return redis_url


# Tests that ask for `traveller` start at 10:00 in Hong Kong the day after START (a Tuesday), and move on from there.
START = date(2026, 9, 1)


def hk(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.HONG_KONG)


@pytest.fixture
def traveller() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(hk(START + timedelta(days=1)), tick=True) as traveller:
        yield traveller


def move_to(traveller: time_machine.Coordinates, day: date, hour: int = 10) -> None:
    traveller.move_to(hk(day, hour))


def announce_wanted() -> int:
    """Run, in this process, the announcing jobs the sweeps recorded in the outbox (as a worker would)."""
    from sqlalchemy import select

    from talentcase.extensions import db
    from talentcase.jobs.models import JobRecord
    from talentcase.sla.sweep import ANNOUNCE_JOB
    from talentcase.sla.tasks import announce_alerts

    rows = db.session.scalars(
        select(JobRecord).where(JobRecord.func == ANNOUNCE_JOB, JobRecord.status == "wanted").order_by(JobRecord.id)
    ).all()
    wanted = [(row.id, row.args) for row in rows]
    announced = 0
    for job_id, args in wanted:
        announced += announce_alerts(*args)
        db.session.get(JobRecord, job_id).status = "finished"
        db.session.commit()
    return announced


def sweep_and_announce(today: date | None = None):
    """The periodic sweep, then the announcing jobs it queued: what a worker does within seconds."""
    from talentcase.sla.sweep import sweep

    report = sweep(today)
    announce_wanted()
    return report


def submitted_case(db, people, *, submit_on: date, accept: bool = True, **overrides):
    """A case submitted on a day (and accepted the next, so only the overall clock keeps running)."""
    case = make_case(people["company_a"], opened_on=submit_on, **overrides)
    act(case, "submit", submit_on, people)
    if accept:
        act(case, "accept", submit_on + timedelta(days=1), people)
    db.session.commit()
    return case
