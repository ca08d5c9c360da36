"""Queueing mail: a row in the same transaction as the change, and a wanted job that sends it; sending it again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import Notification, OutboundMail

DELIVER_MAIL = "talentcase.notifications.tasks.deliver_mail"
DONE = ("sent", "logged")

# RQ's retries of a send are minutes apart; a mail server away for longer would leave the mail failed. Such a mail
# is asked for again RETRY_FIRST after RQ gave up, then twice as long after each round that fails, at most
# RETRY_LONGEST apart, until it is RETRY_FOR old; then it stays failed on the outbox page, where an admin can send it.
RETRY_FIRST = timedelta(minutes=10)
RETRY_LONGEST = timedelta(hours=4)
RETRY_FOR = timedelta(days=3)


def queue_mail(
    to_address: str, subject: str, body: str, *, kind: str = "", language: str = "en", case_id: int | None = None
) -> OutboundMail:
    """Record an email and the job that will send it (the request's commit makes both real at once)."""
    mail = OutboundMail(
        to_address=to_address, subject=subject[:300], body_text=body, kind=kind, language=language, case_id=case_id
    )
    db.session.add(mail)
    db.session.flush()
    jobs.want(mail_job_id(mail.id), DELIVER_MAIL, "mail", [mail.id], case_id=case_id)
    return mail


def mail_job_id(mail_id: int) -> str:
    """The one job that sends a mail: its id is what keeps a mail from going out twice at once."""
    return f"mail-{mail_id}"


def send_again(mail: OutboundMail) -> bool:
    """Ask again for a mail not sent (an admin's resend); False when it is sent already or its job is still on its
    way (waiting in the outbox, in its queue or for a retry), so that a mail never goes out twice. Flushes."""
    if mail.status in DONE:
        return False
    record = db.session.get(JobRecord, mail_job_id(mail.id))
    if record is not None and record.status == "wanted":
        return False
    return jobs.want(mail_job_id(mail.id), DELIVER_MAIL, "mail", [mail.id], case_id=mail.case_id).status == "wanted"


def retry_delay(attempts: int) -> timedelta:
    """How long after its sending gave up a mail tried `attempts` times is asked for again: doubling each round."""
    tries_per_round = len(jobs.RETRY_INTERVALS) + 1
    rounds = max(1, -(-attempts // tries_per_round))
    return min(RETRY_FIRST * 2 ** min(rounds - 1, 16), RETRY_LONGEST)


def retry_given_up_mail() -> int:
    """Ask again for the mails younger than RETRY_FOR whose sending gave up, each once its wait is over; returns how
    many. Flushes."""
    now = clock.now()
    given_up = db.session.execute(
        select(JobRecord.id, JobRecord.finished_at, OutboundMail)
        .join(OutboundMail, OutboundMail.id == JobRecord.args[0].as_integer())
        .where(
            JobRecord.status == "failed",
            JobRecord.func == DELIVER_MAIL,
            JobRecord.created_at >= now - RETRY_FOR,
            OutboundMail.created_at >= now - RETRY_FOR,
            OutboundMail.status.not_in(DONE),
        )
    ).all()
    asked = 0
    for job_id, gave_up_at, mail in given_up:
        if gave_up_at is None or clock.as_aware(gave_up_at) <= now - retry_delay(mail.attempts):
            # want() retries a failed job under its own id; deliver_mail skips a mail already sent.
            jobs.want(job_id, DELIVER_MAIL, "mail", [mail.id], case_id=mail.case_id)
            asked += 1
    return asked


def mark_read(user: User, notice_id: int) -> bool:
    """Mark the user's notice read (once: the first reading is kept); False when the user has no such notice."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != user.id:
        return False  # someone else's notice is not there at all for this user
    if notice.read_at is None:
        notice.read_at = clock.now()
        db.session.flush()
    return True


def mark_all_read(user: User) -> int:
    """Mark every unread notice of the user read, in one UPDATE; returns how many."""
    return db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    ).rowcount
