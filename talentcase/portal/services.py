"""Expert links: issue (and e-mail), re-send, revoke and resolve. Only a hash of each token is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.cases.models import Case
from talentcase.cases.workflow import FINAL_STATES
from talentcase.common import clock
from talentcase.common.http import external_url
from talentcase.common.i18n import LANGUAGE_NAMES
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.notifications.services import queue_mail
from talentcase.portal.queries import latest_link

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


def _new_link(case: Case, *, by=None) -> tuple[ExpertLink, str]:
    """A new link for the case (earlier ones keep working); the token, returned once, is stored only as a hash."""
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
    return link, token


def may_mint(case: Case) -> bool:
    """Whether a new link may be sent to the expert unasked by HR: the case is open, the expert was invited and HR
    have not revoked the latest link (a revocation is HR's decision, which no mail undoes)."""
    latest = latest_link(case)
    return case.status not in FINAL_STATES and latest is not None and latest.revoked_at is None


def mail_link(case: Case) -> str:
    """A working link to the case's portal for a mail being sent now (a new one; the others keep working); when no
    link may be sent, the portal's start page, where the expert can ask for one. Flushes."""
    if not may_mint(case):
        return external_url("portal.fresh.start")
    _link, token = _new_link(case)
    return external_url("portal.home", token=token)


def invite(case: Case, *, by=None) -> tuple[ExpertLink, str]:
    """Issue a new link (earlier ones stop working) and queue the invitation email in the expert's language."""
    revoke_links(case)
    link, token = _new_link(case, by=by)
    url = external_url("portal.home", token=token)
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
    """Record that the expert opened their page: the first time exactly, the latest to within a few minutes."""
    now = clock.now()
    if link.first_opened_at is None:
        link.first_opened_at = now
    if clock.is_worth_recording(link.last_opened_at, now):
        link.last_opened_at = now
    db.session.flush()


class InvalidContact(Exception):
    """Contact details that cannot be saved; `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


_PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")


def update_contact(case: Case, *, email: str, phone: str, language: str) -> Case:
    """Save the expert's own email, phone and preferred language (for emails) on the case."""
    errors: dict[str, str] = {}
    email = (email or "").strip()
    try:
        email = validate_email(email, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError:
        errors["email"] = _("Enter a valid email address, like name@example.com.")
    if len(email) > 254:
        errors["email"] = _("Use at most %(n)d characters.", n=254)
    phone = " ".join((phone or "").split())
    if phone and (not _PHONE_RE.match(phone) or sum(ch.isdigit() for ch in phone) < 6):
        errors["phone"] = _("Enter a phone number with its country code, like +852 2123 4567.")
    if language not in LANGUAGE_NAMES:
        errors["language"] = _("Choose English or Traditional Chinese.")
    if errors:
        raise InvalidContact(errors)
    case.email = email
    case.phone = phone
    case.expert_language = language
    db.session.flush()
    return case
