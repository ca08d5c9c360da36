"""A mail whose sending gave up (RQ's retries, minutes apart, all failed) is tried again later and later for three
days, by a periodic job, until it goes out: exactly once. Past the cut-off it stays failed on the outbox page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from talentcase.common import clock
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications import services as mail_services
from talentcase.notifications.models import OutboundMail
from talentcase.notifications.services import queue_mail
from talentcase.notifications.tasks import retry_failed_mail
from tests.jobs import burst

pytestmark = pytest.mark.redis


def _mail_that_gave_up(app: Flask, db, smtp_peer, monkeypatch) -> int:
    """A mail sent while the SMTP peer was down, until RQ gave up; the peer is up again afterwards."""
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))
    smtp_peer.stop()
    mail = queue_mail("hr@alpha.test", "Quota expiring", "Three places expire soon.", kind="test")
    db.session.commit()
    jobs.dispatch()
    for _ in range(3):
        burst(app)  # the first try and two retries
    smtp_peer.start()
    db.session.expire_all()
    row = db.session.get(OutboundMail, mail.id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert db.session.get(JobRecord, f"mail-{mail.id}").status == "failed"
    return mail.id


def _gave_up_ago(db, mail_id: int, ago: timedelta) -> None:
    db.session.execute(update(JobRecord).where(JobRecord.id == f"mail-{mail_id}").values(finished_at=clock.now() - ago))
    db.session.commit()


def _mail(db, mail_id: int) -> OutboundMail:
    db.session.expire_all()
    return db.session.get(OutboundMail, mail_id)


def test_a_mail_that_gave_up_is_sent_later_by_the_periodic_retry_exactly_once(
    app: Flask, db, people, smtp_peer, live_redis, monkeypatch
):
    mail_id = _mail_that_gave_up(app, db, smtp_peer, monkeypatch)
    assert retry_failed_mail() == 0  # it has only just given up: the first retry waits a while
    burst(app)
    assert smtp_peer.messages == []

    _gave_up_ago(db, mail_id, mail_services.RETRY_FIRST + timedelta(minutes=1))
    assert retry_failed_mail() == 1
    assert retry_failed_mail() == 0  # asked for once: on its way
    burst(app)
    row = _mail(db, mail_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 4, "")
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "finished"

    _gave_up_ago(db, mail_id, timedelta(days=1))
    assert retry_failed_mail() == 0  # sent: nothing to retry
    burst(app)
    assert [message["Subject"] for message in smtp_peer.handler.to("hr@alpha.test")] == ["Quota expiring"]


def test_a_mail_that_keeps_failing_is_tried_later_each_round(
    app: Flask, db, people, smtp_peer, live_redis, monkeypatch
):
    mail_id = _mail_that_gave_up(app, db, smtp_peer, monkeypatch)
    smtp_peer.stop()  # still away at the first retry
    _gave_up_ago(db, mail_id, mail_services.RETRY_FIRST + timedelta(minutes=1))
    assert retry_failed_mail() == 1
    for _ in range(3):
        burst(app)
    row = _mail(db, mail_id)
    assert (row.status, row.attempts) == ("failed", 6)
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "failed"

    # The second round gave up: the next waits twice as long.
    _gave_up_ago(db, mail_id, mail_services.RETRY_FIRST + timedelta(minutes=1))
    assert retry_failed_mail() == 0
    _gave_up_ago(db, mail_id, 2 * mail_services.RETRY_FIRST + timedelta(minutes=1))
    smtp_peer.start()
    assert retry_failed_mail() == 1
    burst(app)
    assert (_mail(db, mail_id).status, _mail(db, mail_id).attempts) == ("sent", 7)
    assert [message["Subject"] for message in smtp_peer.handler.to("hr@alpha.test")] == ["Quota expiring"]


def test_a_mail_older_than_the_cut_off_is_not_retried_and_stays_failed(
    app: Flask, db, people, smtp_peer, live_redis, monkeypatch
):
    mail_id = _mail_that_gave_up(app, db, smtp_peer, monkeypatch)
    created = clock.now() - mail_services.RETRY_FOR - timedelta(hours=1)
    db.session.execute(update(OutboundMail).where(OutboundMail.id == mail_id).values(created_at=created))
    db.session.execute(update(JobRecord).where(JobRecord.id == f"mail-{mail_id}").values(created_at=created))
    _gave_up_ago(db, mail_id, timedelta(hours=5))
    assert retry_failed_mail() == 0
    burst(app)
    assert _mail(db, mail_id).status == "failed"
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "failed"
    assert smtp_peer.messages == []


def test_a_mail_whose_retry_rq_still_holds_is_not_asked_for_again(
    app: Flask, db, people, smtp_peer, live_redis, monkeypatch
):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (3600,))
    smtp_peer.stop()
    mail = queue_mail("hr@alpha.test", "Case at risk", "Act now.", kind="test")
    db.session.commit()
    jobs.dispatch()
    burst(app)  # the first try fails; RQ holds the retry for an hour
    smtp_peer.start()
    assert _mail(db, mail.id).status == "failed"
    assert retry_failed_mail() == 0
    burst(app)
    assert smtp_peer.messages == []
    assert db.session.get(JobRecord, f"mail-{mail.id}").status == "queued"


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 10), (1, 10), (4, 10), (5, 20), (8, 20), (12, 40), (16, 80), (20, 160), (24, 240), (400, 240)],
)
def test_the_wait_before_a_retry_doubles_each_round_up_to_four_hours(attempts: int, minutes: int):
    # Four tries a round: the first and RQ's three retries (5, 30 and 120 seconds after).
    assert mail_services.retry_delay(attempts) == timedelta(minutes=minutes)
