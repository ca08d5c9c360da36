"""Who hears about what, and how: in-app notices and mail (at once, in the daily digest, or not at all).

Who. Notices go to those who must act on them. At the park that is the case's owning officer (`owning_officer`),
not every officer; a case with no owner yet (a submission before it is assigned) goes to the supervising officers
(`User.is_supervisor`), or, when the park has named none, to every officer, so that a new case is never unheard of.
Officers are not tied to a park in the data, so "the park's supervisors" are all supervising officers. HR of the
case's company hear of requests addressed to them, of the park's decision, of rejected documents and of at-risk and
breached clocks; the expert hears of status changes, requests and rejected documents of theirs by mail, in their
language, with a working link to their portal. HR asking their own expert for something tells no officer.

How. Every notice is in the app. By mail: what needs the reader's action goes out at once (ACTIONABLE: information
asked of you, a document of yours rejected, a case newly yours, the park's decision on your case, an answer to your
question, the reminders, and for the owner, the supervisors and HR a clock at risk or breached); the rest (what
others did on a case, the milder clock thresholds) waits for the one daily digest. A user's
mode changes that: "immediate" (the default) as just said; "digest" puts everything in the daily summary; "off"
sends nothing, except that an officer's breaches always go out at once. Every mail names the case and links to it.
"""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from talentcase.accounts.models import Company, User
from talentcase.cases import ownership
from talentcase.cases.audience import who_hears
from talentcase.cases.models import Case, CaseEvent
from talentcase.common import clock
from talentcase.common.http import external_url
from talentcase.common.roles import Role
from talentcase.common.signals import case_event_recorded, case_message_posted, document_reviewed, sla_alerts_raised
from talentcase.common.text import N_, Msg
from talentcase.documents import services as documents
from talentcase.documents.checklist import DOCUMENT_KINDS
from talentcase.documents.models import Document
from talentcase.extensions import db
from talentcase.notifications import expert_mail
from talentcase.notifications.links import case_link, notice_link
from talentcase.notifications.messages import Label, render, to_json
from talentcase.notifications.models import Notification
from talentcase.notifications.services import queue_mail

# Kinds mailed at once (mode "immediate"); alert kinds are decided by their threshold (escalation.is_actionable).
ACTIONABLE = frozenset(
    {
        "info_request",  # information asked of the company
        "info_provided",  # the expert answered HR's question: HR check it
        "info_answered",  # the answer to the officer's question: the clocks run again
        "document_rejected",
        "case_submitted",  # a case newly the officer's (or the supervisors', to assign)
        "case_accepted",  # the park's decision, on which HR's next step depends
        "case_rejected",
        "passport_expiring",
        "link_not_opened",
        "quota_expiring",
        "quota_reserved_expiring",
    }
)


def owning_officer(case: Case) -> User | None:
    """The officer who must act on the case now: its owner, or the colleague covering while the owner is away
    (cases.ownership.effective_owner), if enabled."""
    owner = ownership.effective_owner(case)
    return owner if owner is not None and owner.is_enabled and owner.role == Role.OFFICER else None


def company_hr(company_id: int) -> list[User]:
    """The company's HR users who can act on a notice: enabled, of a company that is not deactivated."""
    return list(
        db.session.scalars(
            select(User)
            .join(Company, Company.id == User.company_id)
            .where(
                User.company_id == company_id,
                User.role == Role.HR,
                User.is_enabled.is_(True),
                Company.is_active.is_(True),
            )
        )
    )


def officers() -> list[User]:
    """Every enabled officer."""
    return list(db.session.scalars(select(User).where(User.role == Role.OFFICER, User.is_enabled.is_(True))))


def supervisors() -> list[User]:
    """The supervising officers; every officer when the park has named none (someone must hear)."""
    chosen = [user for user in officers() if user.is_supervisor]
    return chosen or officers()


def park_people(case: Case) -> list[User]:
    """Who at the park hears of an event on the case: its owner; before it has one, the supervisors."""
    owner = owning_officer(case)
    return [owner] if owner is not None else supervisors()


def notify(
    user: User,
    case: Case | None,
    kind: str,
    title: Msg | str,
    body: Msg | str = "",
    *,
    actionable: bool | None = None,
    urgent: bool = False,
    link: str | None = None,
) -> Notification:
    """An in-app notice; mailed at once when it needs the user's action (or is urgent: an officer's breach), else left
    for the daily digest.

    A Msg title or body is kept as a message too, so the list shows it in the reader's language of the day; the text
    stored beside it (and mailed) is in the user's language of now. A plain str body is someone's own words."""
    with force_locale(user.mail_language):
        title_text = render(title) if isinstance(title, Msg) else title
        body_text = render(body) if isinstance(body, Msg) else body
    notice = Notification(
        user_id=user.id,
        case_id=case.id if case else None,
        kind=kind,
        title=title_text[:300],
        body=body_text,
        title_message=to_json(title) if isinstance(title, Msg) else None,
        body_message=to_json(body) if isinstance(body, Msg) else None,
    )
    db.session.add(notice)  # flushed with the rest of the transaction: many notices go in one batch
    actionable = kind in ACTIONABLE if actionable is None else actionable
    if urgent or (actionable and user.notification_mode == "immediate"):
        with force_locale(user.mail_language):
            footer = notice_link(case, link)
        queue_mail(
            user.email,
            title_text,
            f"{body_text}\n\n{footer}".strip(),
            kind=kind,
            language=user.mail_language,
            case_id=notice.case_id,
        )
        notice.mailed_at = clock.now()
    return notice


EVENT_TITLES = {
    "request_info": ("info_request", N_("%(ref)s: the park asks for information")),
    "provide_info": ("info_provided", N_("%(ref)s: the expert has sent what was asked for")),
    "accept": ("case_accepted", N_("%(ref)s: the park has accepted the case")),
    "reject": ("case_rejected", N_("%(ref)s: the park has rejected the case")),
}


def on_case_event(case: Case, event: CaseEvent) -> None:
    """Route a case event: to the company's HR, to the park's officer who must act, and to the expert by mail."""
    told = who_hears(case, event.action, actor_role=event.actor_role, party=event.party)
    if "company" in told:
        kind, msgid = EVENT_TITLES[event.action]
        for user in company_hr(case.company_id):
            notify(user, case, kind, Msg.gettext(msgid, ref=case.reference), _hr_notice_body(case, event))
    if "park" in told:
        _tell_park(case, event)
    if "expert" in told:
        expert_mail.queue_event_mail(case, event)


def _tell_park(case: Case, event: CaseEvent) -> None:
    """The owner (before one, the supervisors) hears of what the company or the expert did."""
    if event.action == "submit":
        kind, actionable = "case_submitted", True
        title = Msg.gettext(
            "%(ref)s (%(company)s): submitted and waiting for review", ref=case.reference, company=case.company.name
        )
    elif event.action == "provide_info":
        kind, actionable = "info_answered", True
        title = Msg.gettext(
            "%(ref)s (%(company)s): your request is answered; the clocks run again",
            ref=case.reference,
            company=case.company.name,
        )
    else:
        kind, actionable = "case_event", False
        title = Msg.gettext(
            "%(ref)s (%(company)s): %(what)s",
            ref=case.reference,
            company=case.company.name,
            what=Label("event", event.action),
        )
    for user in park_people(case):
        notify(user, case, kind, title, event.note or "", actionable=actionable)


def _hr_notice_body(case: Case, event: CaseEvent) -> Msg | str:
    """What goes under an HR notice's title: the note as written, or after an acceptance, what HR do next."""
    if event.action == "accept":
        if case.status == "visa_prep":
            return Msg.gettext("Next: lodge the employment visa application with the Immigration Department.")
        return Msg.gettext("Next: apply to the Innovation and Technology Commission for a quota.")
    if event.action == "reject" and event.note:
        return Msg.gettext("Reason: %(reason)s", reason=event.note)
    return event.note or ""


def on_document_reviewed(document: Document, *, decision: str) -> None:
    """A rejected document tells whoever must replace it, with the reason and a link to the item: the company's HR
    always (it is on their to-do list), and the expert by mail for a document of theirs."""
    if decision != "reject":
        return
    case = document.case
    if case is None:  # a company document on file: its company's HR replace it for every case that uses it
        _company_document_rejected(document)
        return
    try:
        item = documents.find_row(case, document.kind, document.dependant_id).item
        provider, label = item.provider, item.label
    except documents.DocumentError:  # a letter kept outside the checklist (an authority's outcome): the company's
        provider, label = "hr", DOCUMENT_KINDS.get(document.kind, document.kind)
    item_link = case_link(case, "documents", anchor=document_anchor(document))
    title = Msg.gettext("%(ref)s: %(document)s needs replacing", ref=case.reference, document=str(label))
    body = Msg.gettext("Reason: %(reason)s", reason=document.review_reason)
    for user in company_hr(case.company_id):
        notify(user, case, "document_rejected", title, body, link=item_link)
    if provider == "expert" and expert_mail.is_invited(case):
        expert_mail.queue_rejection_mail(case, label, document.review_reason)


def _company_document_rejected(document: Document) -> None:
    label = DOCUMENT_KINDS.get(document.kind, document.kind)
    title = Msg.gettext("Company documents: %(document)s needs replacing", document=str(label))
    body = Msg.gettext("Reason: %(reason)s", reason=document.review_reason)
    link = external_url("company_documents.index", company_id=document.company_id)
    for user in company_hr(document.company_id):
        notify(user, None, "document_rejected", title, body, actionable=True, link=link)


def document_anchor(document: Document) -> str:
    """The documents page's anchor of the document's checklist item (documents.display.slug)."""
    return f"item-{document.kind}-{document.dependant_id or 0}"


def connect_receivers() -> None:
    """Hear the case events, document reviews and clock alerts that other domains send (called by create_app;
    connecting again is harmless)."""
    from talentcase.notifications.conversation import on_message_posted
    from talentcase.notifications.escalation import on_alerts_raised

    case_event_recorded.connect(on_case_event)
    document_reviewed.connect(on_document_reviewed)
    sla_alerts_raised.connect(on_alerts_raised)
    case_message_posted.connect(on_message_posted)
