"""Queueing mail: a row in the same transaction as the change, and a wanted job that sends it."""

from __future__ import annotations

from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.notifications.models import OutboundMail


def queue_mail(
    to_address: str, subject: str, body: str, *, kind: str = "", language: str = "en", case_id: int | None = None
) -> OutboundMail:
    """Record an email and the job that will send it (the request's commit makes both real at once)."""
    mail = OutboundMail(
        to_address=to_address, subject=subject[:300], body_text=body, kind=kind, language=language, case_id=case_id
    )
    db.session.add(mail)
    db.session.flush()
    jobs.want(f"mail-{mail.id}", "talentcase.notifications.tasks.deliver_mail", "mail", [mail.id], case_id=case_id)
    return mail
