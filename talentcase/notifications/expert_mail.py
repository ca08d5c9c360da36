"""Mail to the expert, in their language, each with a working link to their portal.

Only a hash of a portal token is stored, so a link cannot be looked up later: the mail row keeps PORTAL_LINK where
the link goes, and the mail job mints a new link for the case as it sends (portal.services.mail_link). The token
is never written to the outbox table (security finding F5)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from talentcase.cases import labels
from talentcase.cases.models import Case, CaseEvent
from talentcase.cases.workflow import FINAL_STATES
from talentcase.common.i18n import day_text
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.notifications.models import OutboundMail
from talentcase.notifications.services import queue_mail
from talentcase.portal import services as portal

PORTAL_LINK = "[[portal-link]]"


def is_invited(case: Case) -> bool:
    """Whether the expert was ever sent a link (only then do they hear from us by mail)."""
    return db.session.scalar(select(ExpertLink.id).where(ExpertLink.case_id == case.id).limit(1)) is not None


def queue_event_mail(case: Case, event: CaseEvent) -> OutboundMail:
    """The expert hears of a request addressed to them, or of their case moving on."""
    with force_locale(case.expert_language or "en"):
        if event.action == "request_info":
            subject = _("We need something from you for case %(ref)s", ref=case.reference)
            body = _(
                "Dear %(name)s,\n\nPlease provide the following:\n\n%(note)s\n\nUpload it on your case's page "
                "(the link is private to you):\n\n%(url)s\n",
                name=case.full_name,
                note=event.note,
                url=PORTAL_LINK,
            )
        else:
            subject = _("Your case %(ref)s: %(status)s", ref=case.reference, status=labels.STATUS_NAMES[case.status])
            body = _(
                "Dear %(name)s,\n\nYour case has moved on: %(what)s on %(day)s.\n\nSee where it stands on your "
                "case's page (the link is private to you):\n\n%(url)s\n",
                name=case.full_name,
                what=labels.EVENT_NAMES[event.action],
                day=day_text(event.occurred_on),
                url=PORTAL_LINK,
            )
    return queue_mail(
        case.email, subject, body, kind=f"expert_{event.action}", language=case.expert_language, case_id=case.id
    )


def queue_rejection_mail(case: Case, document_label: str, reason: str) -> OutboundMail:
    """The expert hears that a document of theirs was not accepted, why, and where to send a new one."""
    with force_locale(case.expert_language or "en"):
        subject = _("Case %(ref)s: please send %(document)s again", ref=case.reference, document=document_label)
        body = _(
            "Dear %(name)s,\n\nWe could not accept %(document)s: %(reason)s\n\nPlease upload a new copy on your "
            "case's page (the link is private to you):\n\n%(url)s\n",
            name=case.full_name,
            document=document_label,
            reason=reason,
            url=PORTAL_LINK,
        )
    return queue_mail(
        case.email, subject, body, kind="expert_document_rejected", language=case.expert_language, case_id=case.id
    )


def queue_message_mail(case: Case, body_text: str) -> OutboundMail:
    """The expert hears of a message written to them, with its words and the way to answer."""
    with force_locale(case.expert_language or "en"):
        subject = _("Case %(ref)s: a new message for you", ref=case.reference)
        body = _(
            "Dear %(name)s,\n\nYou have a new message about your case:\n\n%(message)s\n\nRead it and answer on your "
            "case's page (the link is private to you):\n\n%(url)s\n",
            name=case.full_name,
            message=body_text,
            url=PORTAL_LINK,
        )
    return queue_mail(case.email, subject, body, kind="expert_message", language=case.expert_language, case_id=case.id)


def queue_fresh_link_mail(case: Case) -> OutboundMail:
    """A fresh link, asked for by the expert on the portal's start page."""
    with force_locale(case.expert_language or "en"):
        subject = _("Your link to case %(ref)s", ref=case.reference)
        body = _(
            "Dear %(name)s,\n\nHere is a fresh link to your case's page (it is private to you and works for 30 "
            "days):\n\n%(url)s\n\nIf you did not ask for it, you can ignore this email.\n",
            name=case.full_name,
            url=PORTAL_LINK,
        )
    return queue_mail(
        case.email, subject, body, kind="expert_fresh_link", language=case.expert_language, case_id=case.id
    )


def queue_fresh_links(address: str) -> int:
    """Mail a fresh link for each open case whose expert has this address and may be sent one (portal.may_mint);
    returns how many (never shown to the person asking)."""
    address = address.strip().lower()
    candidates = db.session.scalars(
        select(Case).where(func.lower(Case.email) == address, Case.status.not_in(FINAL_STATES)).order_by(Case.id)
    ).all()
    chosen = [case for case in candidates if portal.may_mint(case)]
    for case in chosen:
        queue_fresh_link_mail(case)
    return len(chosen)


def body_to_send(mail: OutboundMail) -> str:
    """The mail's text with a working portal link where the row keeps PORTAL_LINK (minted now, never stored)."""
    if PORTAL_LINK not in mail.body_text or mail.case_id is None:
        return mail.body_text
    case = db.session.get(Case, mail.case_id)
    return mail.body_text.replace(PORTAL_LINK, portal.mail_link(case))
