"""The daily digest: one mail per user summarising the notices not yet mailed, never one mail per case."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from talentcase.accounts.models import Company, User
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.notifications.links import case_link
from talentcase.notifications.messages import notice_text
from talentcase.notifications.models import Notification
from talentcase.notifications.services import queue_mail

DIGEST_HOUR = 8  # Hong Kong time


def _start_of_today_utc() -> datetime:
    local = datetime.combine(clock.today(), time(0), tzinfo=clock.HONG_KONG)
    return local.astimezone(clock.UTC)


def send_digests(*, force: bool = False) -> int:
    """Mail each officer and each digest-mode user one summary a day; returns how many digests were queued."""
    if not force and clock.now_hk().hour < DIGEST_HOUR:
        return 0
    start = _start_of_today_utc()
    users = db.session.scalars(
        select(User).where(
            User.is_enabled.is_(True),
            # HR of a deactivated company no longer hear anything (they cannot sign in to act on it).
            or_(User.company_id.is_(None), User.company.has(Company.is_active.is_(True))),
            # Everyone but those who chose "off": what was not mailed at once (routine events) comes here.
            User.notification_mode != "off",
            or_(User.last_digest_at.is_(None), User.last_digest_at < start),
        )
    ).all()
    sent = 0
    for user in users:
        # Claim today's digest for this user: two digest runs at once never send two mails.
        claimed = db.session.execute(
            update(User)
            .where(User.id == user.id, or_(User.last_digest_at.is_(None), User.last_digest_at < start))
            .values(last_digest_at=clock.now())
        ).rowcount
        if not claimed:
            uow.rollback()
            continue
        notices = db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.mailed_at.is_(None))
            .order_by(Notification.created_at)
        ).all()
        if notices:
            with force_locale(user.mail_language):
                subject = _("TalentCase daily summary: %(n)d update(s)", n=len(notices))
                # In the language the user reads today, which may not be the one of the day each notice was written.
                lines = [_digest_line(notice) for notice in notices]
                body = _("Here is what changed since your last summary:") + "\n\n" + "\n".join(lines) + "\n"
            queue_mail(user.email, subject, body, kind="digest", language=user.mail_language)
            now = clock.now()
            for notice in notices:
                notice.mailed_at = now
            sent += 1
        uow.checkpoint()  # one user's digest at a time: a later failure sends none of it twice
    return sent


def _digest_line(notice: Notification) -> str:
    """One notice in the summary: its title, and the link to its case."""
    line = f"- {notice_text(notice)[0]}"
    if notice.case_id is not None:
        line += f"\n  {case_link(db.session.get(Case, notice.case_id))}"
    return line
