"""An admin sends a failed mail again from the outbox page: the page's own form (CSRF checked, as in production), an
audit entry, and one copy however often the button is pressed."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask

from talentcase.audit.models import AuditEntry
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import OutboundMail
from talentcase.notifications.services import queue_mail
from tests.jobs import burst

pytestmark = pytest.mark.redis


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _failed_mail(app: Flask, db, smtp_peer, monkeypatch, *, retry_intervals: tuple[int, ...] = (0, 0)) -> int:
    """A mail sent while the SMTP peer was down, as far as RQ's retries go; the peer is up again afterwards."""
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", retry_intervals)
    smtp_peer.stop()
    mail = queue_mail("hr@alpha.test", "Quota expiring", "Three places expire soon.", kind="test")
    db.session.commit()
    jobs.dispatch()
    for _ in range(len(retry_intervals) + 1):
        burst(app)
    smtp_peer.start()
    db.session.expire_all()
    assert db.session.get(OutboundMail, mail.id).status == "failed"
    return mail.id


def _resend_form(page: str, mail_id: int) -> tuple[str, dict[str, str]]:
    """The resend form of one mail on the outbox page: its action and its hidden fields."""
    form = rf'<form method="post" action="([^"]*/outbox/{mail_id}/resend[^"]*)"[^>]*>(.*?)</form>'
    match = re.search(form, page, re.S)
    assert match, "no resend form for the mail"
    fields = {
        re.search(r'name="([^"]+)"', tag).group(1): html.unescape(re.search(r'value="([^"]*)"', tag).group(1))
        for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', match.group(2))
    }
    return html.unescape(match.group(1)), fields


def _resent(db) -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.query(AuditEntry).filter_by(action="mail_resent").all()


def test_an_admin_sends_a_failed_mail_again_and_it_is_audited_and_sent_once(
    app: Flask, db, client, auth, people, smtp_peer, live_redis, monkeypatch
):
    mail_id = _failed_mail(app, db, smtp_peer, monkeypatch)
    auth.as_user(people["admin"])
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    action, fields = _resend_form(page, mail_id)
    assert set(fields) == {"csrf_token"} and "Send again" in page

    assert client.post(action, data={}).status_code == 400  # no token: refused, nothing done
    assert _resent(db) == []
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "failed"

    response = client.post(action, data=fields)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/outbox?status=failed")
    entries = _resent(db)
    assert [(entry.actor_id, entry.target_type, entry.target_id) for entry in entries] == [
        (people["admin"].id, "mail", mail_id)
    ]
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "queued"  # handed to Redis after the commit
    assert client.post(action, data=fields).status_code == 302  # pressed twice: the job is already on its way
    burst(app)
    burst(app)
    row = db.session.get(OutboundMail, mail_id)
    assert (row.status, row.last_error) == ("sent", "")
    assert [message["Subject"] for message in smtp_peer.handler.to("hr@alpha.test")] == ["Quota expiring"]
    assert len(_resent(db)) == 1
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The email to hr@alpha.test will be sent again." in followed

    # Sent now: no button, and a stray post changes nothing.
    assert "/resend" not in client.get("/admin/outbox").get_data(as_text=True)
    page = client.post(action, data=fields, follow_redirects=True).get_data(as_text=True)
    assert "The email to hr@alpha.test was sent already." in page
    burst(app)
    assert len(smtp_peer.messages) == 1 and len(_resent(db)) == 1


def test_a_mail_waiting_for_its_retry_is_not_sent_twice(
    app: Flask, db, client, auth, people, smtp_peer, live_redis, monkeypatch
):
    mail_id = _failed_mail(app, db, smtp_peer, monkeypatch, retry_intervals=(3600,))
    assert db.session.get(JobRecord, f"mail-{mail_id}").status == "queued"  # RQ holds its retry for an hour
    auth.as_user(people["admin"])
    action, fields = _resend_form(client.get("/admin/outbox").get_data(as_text=True), mail_id)
    page = client.post(action, data=fields, follow_redirects=True).get_data(as_text=True)
    assert "The email to hr@alpha.test is already waiting to be sent." in page
    assert _resent(db) == []
    burst(app)
    assert smtp_peer.messages == []


def test_a_failed_mail_is_sent_again_once_redis_is_back(app: Flask, db, client, auth, people, smtp_peer, monkeypatch):
    row = OutboundMail(to_address="hr@beta.test", subject="Link", body_text="Open it.", status="failed", attempts=4)
    db.session.add(row)
    db.session.commit()
    auth.as_user(people["admin"])
    action, fields = _resend_form(client.get("/admin/outbox").get_data(as_text=True), row.id)
    # REDIS_URL points nowhere: the job waits in the outbox (its row made now, as no job row was there).
    assert client.post(action, data=fields).status_code == 302
    record = db.session.get(JobRecord, f"mail-{row.id}")
    assert (record.status, record.args) == ("wanted", [row.id])
    assert record.func == "talentcase.notifications.tasks.deliver_mail"
    assert len(_resent(db)) == 1
