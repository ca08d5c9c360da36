"""Expert links: issue (and e-mail), re-send, revoke and resolve. Only a hash of each token is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.notifications.services import queue_mail

LINK_LIFETIME = timedelta(days=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_link(case: Case) -> ExpertLink | None:
    """The case's link that still works, if any."""
    now = clock.now()
    links = db.session.scalars(
        select(ExpertLink).where(ExpertLink.case_id == case.id, ExpertLink.revoked_at.is_(None))
    ).all()
    usable = [link for link in links if link.is_usable(now)]
    return max(usable, key=lambda link: link.created_at) if usable else None


def revoke_links(case: Case) -> int:
    """Revoke every link of the case; they stop working at once."""
    now = clock.now()
    count = 0
    for link in db.session.scalars(
        select(ExpertLink).where(ExpertLink.case_id == case.id, ExpertLink.revoked_at.is_(None))
    ):
        link.revoked_at = now
        count += 1
    db.session.flush()
    return count


def invite(case: Case, *, by=None) -> tuple[ExpertLink, str]:
    """Issue a new link (earlier ones stop working) and queue the invitation email in the expert's language."""
    revoke_links(case)
    token = secrets.token_urlsafe(32)
    link = ExpertLink(
        case=case,
        token_hash=_digest(token),
        sent_to=case.email,
        expires_at=clock.now() + LINK_LIFETIME,
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(link)
    db.session.flush()
    url = url_for("portal.home", token=token, _external=True)
    with force_locale(case.expert_language or "en"):
        subject = _("Follow your Hong Kong work visa case %(ref)s", ref=case.reference)
        body = _(
            "Dear %(name)s,\n\n%(company)s has opened case %(ref)s for your employment under Hong Kong's Technology "
            "Talent Admission Scheme.\n\nFollow your case, see what is still needed from you and upload your "
            "documents here (the link is private to you and works for 30 days):\n\n%(url)s\n\n"
            "If the link stops working, ask your HR contact for a new one.\n",
            name=case.full_name,
            company=case.company.name,
            ref=case.reference,
            url=url,
        )
    queue_mail(case.email, subject, body, kind="expert_invite", language=case.expert_language, case_id=case.id)
    return link, token


@dataclass(frozen=True)
class Resolved:
    link: ExpertLink | None
    problem: str | None  # None when the link works; else "unknown", "expired", "revoked"


def resolve(token: str) -> Resolved:
    """The link for a token and whether it still works (constant-time comparison of the stored hash)."""
    if not token or len(token) > 100:
        return Resolved(None, "unknown")
    digest = _digest(token)
    link = db.session.scalar(select(ExpertLink).where(ExpertLink.token_hash == digest))
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return Resolved(None, "unknown")
    if link.revoked_at is not None:
        return Resolved(link, "revoked")
    if clock.as_aware(link.expires_at) <= clock.now():
        return Resolved(link, "expired")
    return Resolved(link, None)


def mark_opened(link: ExpertLink) -> None:
    now = clock.now()
    if link.first_opened_at is None:
        link.first_opened_at = now
    link.last_opened_at = now
    db.session.flush()
