"""The mails that carry a link to set a password (a reset, an invitation), in the person's language."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from talentcase.accounts.models import User
from talentcase.accounts.recovery import INVITATION
from talentcase.common.signals import account_link_issued
from talentcase.notifications.services import queue_mail


def mail_account_link(user: User, *, purpose: str, url: str, valid_for: timedelta, **_extra) -> None:
    """Queue the mail with the link (account_link_issued's receiver), in the sender's transaction."""
    with force_locale(user.mail_language):
        if purpose == INVITATION:
            subject = _("You are invited to TalentCase")
            body = _(
                "Hello %(name)s,\n\nAn account on TalentCase has been made for you (%(email)s). Choose your password "
                "here to start; the link works once, for %(days)d days:\n\n%(url)s\n\n"
                "If you did not expect this, you can ignore this email.\n",
                name=user.display_name,
                email=user.email,
                days=valid_for.days,
                url=url,
            )
        else:
            subject = _("Set a new TalentCase password")
            body = _(
                "Hello %(name)s,\n\nSomeone (we hope you) asked to set a new password for %(email)s on TalentCase. "
                "Set it here; the link works once, for %(minutes)d minutes:\n\n%(url)s\n\n"
                "Setting it signs you out on every device and ends your API tokens. If you did not ask, ignore this "
                "email: your password stays as it is.\n",
                name=user.display_name,
                email=user.email,
                minutes=int(valid_for.total_seconds() // 60),
                url=url,
            )
    queue_mail(user.email, subject, body, kind=purpose, language=user.mail_language)


def connect() -> None:
    """Hear the accounts' link signal (at app start, like routing.connect_receivers)."""
    account_link_issued.connect(mail_account_link)
