"""Mail through the one door: a real SMTP peer (aiosmtpd) receives what the RQ worker sends; failures are retried,
visible and never lost."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import OutboundMail
from talentcase.notifications.services import queue_mail
from talentcase.notifications.tasks import deliver_mail
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case
from tests.jobs import burst

pytestmark = pytest.mark.redis


def _send_all(app) -> None:
    jobs.dispatch()
    burst(app)


def test_the_worker_delivers_mail_to_a_real_smtp_peer_in_the_experts_language(
    app: Flask, db, people, smtp_peer, live_redis
):
    case = make_case(people["company_a"], opened_on=date.today(), email="li.na@candidate.test")
    case.expert_language = "zh_Hant_HK"
    act(case, "submit", None, people)
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    act(case, "request_info", None, people, party="expert", note="Please send your PhD certificate.")
    db.session.commit()

    _send_all(app)

    received = smtp_peer.handler.to("li.na@candidate.test")
    # The expert chose Traditional Chinese: subject and body come from the zh_Hant_HK catalogue.
    assert [message["Subject"] for message in received] == [
        f"查看你的香港工作簽證個案 {case.reference}",
        f"個案 {case.reference} 需要你提供資料",
    ]
    body = received[1].get_content()
    assert "Priya Raghunathan" in body and "Please send your PhD certificate." in body
    assert "Dear" not in body
    assert re.search(r"https?://\S+/portal/\S+", body)  # a working link to the portal, minted as it was sent
    assert received[0]["From"] == app.config["MAIL_SENDER"]
    rows = db.session.scalars(select(OutboundMail).where(OutboundMail.to_address == "li.na@candidate.test")).all()
    assert {(row.status, row.language, row.attempts) for row in rows} == {("sent", "zh_Hant_HK", 1)}
    assert all(row.sent_at is not None for row in rows)
    # Besides the expert's, only the officer's "submitted" (a new case, with no owner yet) went out.
    assert {message["To"] for message in smtp_peer.messages} == {"li.na@candidate.test", "officer@park.test"}
    # Run every job again: a mail already sent is not sent twice.
    for row in rows:
        assert deliver_mail(row.id) == "sent"
    assert len(smtp_peer.messages) == 3


def test_a_failed_send_is_retried_visible_and_never_lost(app: Flask, db, people, smtp_peer, live_redis, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))
    smtp_peer.stop()  # the mail server is down
    mail = queue_mail("hr@alpha.test", "Quota expiring", "Three places expire soon.", kind="test")
    db.session.commit()
    jobs.dispatch()
    for _ in range(3):
        burst(app)  # the first try and two retries
    db.session.expire_all()
    row = db.session.get(OutboundMail, mail.id)
    assert row.status == "failed"
    assert row.attempts == 3
    assert "ConnectionRefusedError" in row.last_error
    record = db.session.get(JobRecord, f"mail-{mail.id}")
    assert record.status == "failed" and "ConnectionRefusedError" in record.error

    smtp_peer.start()  # back again; asking for the job again (as the outbox page does) sends it once
    jobs.want(f"mail-{mail.id}", "talentcase.notifications.tasks.deliver_mail", "mail", [mail.id])
    db.session.commit()
    _send_all(app)
    _send_all(app)
    db.session.expire_all()
    row = db.session.get(OutboundMail, mail.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 4, "")
    assert db.session.get(JobRecord, f"mail-{mail.id}").status == "finished"
    assert [message["Subject"] for message in smtp_peer.handler.to("hr@alpha.test")] == ["Quota expiring"]


def test_a_send_that_fails_is_retried_by_the_worker_once_the_server_is_back(
    app: Flask, db, people, smtp_peer, live_redis, monkeypatch
):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (1, 1))
    smtp_peer.stop()
    mail = queue_mail("hr@alpha.test", "Case at risk", "Act now.", kind="test")
    db.session.commit()
    jobs.dispatch()
    burst(app)  # the first try fails; RQ schedules the retry a second later
    db.session.expire_all()
    row = db.session.get(OutboundMail, mail.id)
    record = db.session.get(JobRecord, f"mail-{mail.id}")
    assert (row.status, row.attempts) == ("failed", 1) and "ConnectionRefusedError" in row.last_error
    assert record.status == "queued" and record.message == "Retrying after an error"  # visible while it waits
    smtp_peer.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and row.status != "sent":
        time.sleep(0.3)
        burst(app, with_scheduler=True)  # the scheduler hands the due retry back to the queue
        db.session.expire_all()
        row = db.session.get(OutboundMail, mail.id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert db.session.get(JobRecord, f"mail-{mail.id}").status == "finished"
    assert [message["Subject"] for message in smtp_peer.handler.to("hr@alpha.test")] == ["Case at risk"]
