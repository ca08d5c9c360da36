"""Mail jobs."""

from __future__ import annotations

from talentcase.common import clock, mail
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.jobs.queue import job, periodic
from talentcase.notifications import expert_mail, services
from talentcase.notifications.models import OutboundMail


@job("mail")
def deliver_mail(mail_id: int) -> str:
    """Send one queued mail; a mail already sent is not sent again (retries and duplicates are harmless)."""
    row = db.session.get(OutboundMail, mail_id)
    if row is None:
        return "missing"
    if row.status in ("sent", "logged"):
        return row.status
    row.attempts += 1
    uow.checkpoint()  # the attempt counts even if the process dies while the mail server answers
    try:
        # An expert's portal link is minted now, into the mail only: the row never holds a working token.
        outcome = mail.send(row.to_address, row.subject, expert_mail.body_to_send(row))
    except Exception as error:
        uow.rollback()
        row = db.session.get(OutboundMail, mail_id)
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.status = "failed"
        uow.checkpoint()  # kept, though the job fails (and its own end rolls back)
        raise
    row.status = outcome
    row.sent_at = clock.now()
    row.last_error = ""
    return outcome


@periodic("mail", interval=600)
def retry_failed_mail() -> int:
    """Ask again for the mails whose sending gave up (the mail server away for longer than RQ's retries), later and
    later for a few days: a failed send is retried until it goes out."""
    return services.retry_given_up_mail()


@periodic("mail", interval=3600)
def daily_digest() -> int:
    """Queue the daily digests once the day's digest hour has come (each user at most once a day)."""
    from talentcase.notifications.digest import send_digests

    return send_digests()


@periodic("alerts", interval=3600)
def reminders() -> int:
    """Raise quota, passport and link reminders."""
    from talentcase.notifications.reminders import send_reminders

    return send_reminders()
