"""Who hears about what, and how: in-app notices and mail (at once, in the daily digest, or not at all).

HR staff hear of information requests addressed to their company, of the park accepting or rejecting their
cases and of the at-risk and breached clocks of their cases; the expert hears of status changes and requests
addressed to them, in their language, by mail; officers hear of breaches at once (they cannot switch that off) and
of everything else in one daily digest.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.accounts.models import Company, User
from talentcase.cases import labels
from talentcase.cases.audience import who_hears
from talentcase.cases.models import Case, CaseEvent
from talentcase.common import clock
from talentcase.common.i18n import day_text
from talentcase.common.roles import Role
from talentcase.common.signals import case_event_recorded, sla_alerts_raised
from talentcase.common.text import Msg
from talentcase.extensions import db
from talentcase.notifications.messages import Label, render, to_json
from talentcase.notifications.models import Notification
from talentcase.notifications.services import queue_mail
from talentcase.sla import thresholds
from talentcase.sla.models import SlaAlert


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
    return list(db.session.scalars(select(User).where(User.role == Role.OFFICER, User.is_enabled.is_(True))))


class Recipients:
    """Who hears about a company's cases, looked up once per company for a run that announces many alerts."""

    def __init__(self) -> None:
        self._hr: dict[int, list[User]] = {}
        self._officers: list[User] | None = None

    def company_hr(self, company_id: int) -> list[User]:
        if company_id not in self._hr:
            self._hr[company_id] = company_hr(company_id)
        return self._hr[company_id]

    def officers(self) -> list[User]:
        if self._officers is None:
            self._officers = officers()
        return self._officers


def notify(
    user: User, case: Case | None, kind: str, title: Msg | str, body: Msg | str = "", *, urgent: bool = False
) -> Notification:
    """An in-app notice; mailed at once when the user wants that (or when urgent: an officer's breach).

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
    mail_now = urgent or user.notification_mode == "immediate"
    if user.role == Role.OFFICER and not urgent:
        mail_now = False  # officers get everything but breaches in the daily digest
    if mail_now:
        queue_mail(
            user.email,
            title_text,
            f"{body_text}\n\n{case.reference if case else ''}".strip(),
            kind=kind,
            language=user.mail_language,
            case_id=notice.case_id,
        )
        notice.mailed_at = clock.now()
    return notice


def announce_alert(alert: SlaAlert, case: Case, at_risk_code: str, *, people: Recipients | None = None) -> None:
    """Route a clock alert: HR hear of at-risk and breach; officers of breaches at once and the rest by digest."""
    people = people or Recipients()
    clock_name = Label("clock", alert.clock_name)
    is_breach = alert.threshold == thresholds.BREACH
    hr_hears = is_breach or alert.threshold == at_risk_code or _swallowed_at_risk(alert, at_risk_code)
    candidate = Msg.gettext("Candidate: %(name)s", name=case.full_name)
    if is_breach:
        hr_title = Msg.gettext(
            "%(ref)s: the %(clock)s deadline of %(day)s has passed",
            ref=case.reference,
            clock=clock_name,
            day=alert.due_on,
        )
    else:
        hr_title = Msg.gettext(
            "%(ref)s: the %(clock)s deadline of %(day)s is at risk",
            ref=case.reference,
            clock=clock_name,
            day=alert.due_on,
        )
    officer_title = Msg.gettext(
        "%(ref)s (%(company)s): %(clock)s — %(what)s (due %(day)s)",
        ref=case.reference,
        company=case.company.name,
        clock=clock_name,
        what=threshold_message(alert.threshold),
        day=alert.due_on,
    )
    for user in people.company_hr(case.company_id) if hr_hears else ():
        notify(user, case, f"alert_{alert.threshold}", hr_title, candidate)
    for user in people.officers():
        notify(user, case, f"alert_{alert.threshold}", officer_title, urgent=is_breach)


def on_alerts_raised(sender: object, *, alerts: list[tuple[SlaAlert, Case, str]]) -> None:
    """Route a batch of clock alerts claimed by the SLA sweep (signal sla_alerts_raised), looking people up once."""
    people = Recipients()
    for alert, case, at_risk_code in alerts:
        announce_alert(alert, case, at_risk_code, people=people)


def _swallowed_at_risk(alert: SlaAlert, at_risk_code: str) -> bool:
    """A milder alert than a breach that stands for an at-risk alert crossed with it and left unannounced (a case
    entered late, or a sweep that ran late): HR must still hear that the deadline is at risk."""
    if not at_risk_code or thresholds.severity(alert.threshold) <= thresholds.severity(at_risk_code):
        return False
    return (
        db.session.scalar(
            select(SlaAlert.id).where(
                SlaAlert.case_id == alert.case_id,
                SlaAlert.clock_name == alert.clock_name,
                SlaAlert.cycle == alert.cycle,
                SlaAlert.threshold == at_risk_code,
                SlaAlert.is_announced.is_(False),
            )
        )
        is not None
    )


def threshold_message(code: str) -> Msg:
    """An alert threshold in words ("deadline passed", "3 days before the deadline", "75% of the time used")."""
    if code == thresholds.BREACH:
        return Msg.gettext("deadline passed")
    if code.startswith("due-"):
        return Msg.gettext("%(n)s days before the deadline", n=code[4:-1])
    return Msg.gettext("%(n)s%% of the time used", n=code[:-3])


def on_case_event(case: Case, event: CaseEvent) -> None:
    """Route a case event: information requests, the park's decision for HR, and status changes for the expert and
    the digest."""
    hr_notices = {
        "request_info": ("info_request", Msg.gettext("%(ref)s: the park asks for information", ref=case.reference)),
        "provide_info": (
            "info_provided",
            Msg.gettext("%(ref)s: the expert has sent what was asked for", ref=case.reference),
        ),
        "accept": ("case_accepted", Msg.gettext("%(ref)s: the park has accepted the case", ref=case.reference)),
        "reject": ("case_rejected", Msg.gettext("%(ref)s: the park has rejected the case", ref=case.reference)),
    }
    told = who_hears(case, event.action, actor_role=event.actor_role, party=event.party)
    if "company" in told:
        kind, title = hr_notices[event.action]
        for user in company_hr(case.company_id):
            notify(user, case, kind, title, _hr_notice_body(case, event))
    if "park" in told:
        title = Msg.gettext(
            "%(ref)s (%(company)s): %(what)s",
            ref=case.reference,
            company=case.company.name,
            what=Label("event", event.action),
        )
        for user in officers():
            notify(user, case, "case_event", title)
    if "expert" in told:
        with force_locale(case.expert_language or "en"):
            if event.action == "request_info":
                subject = _("We need something from you for case %(ref)s", ref=case.reference)
                body = _(
                    "Dear %(name)s,\n\nPlease provide the following:\n\n%(note)s\n\nOpen the private link in your "
                    "invitation email to upload it.\n",
                    name=case.full_name,
                    note=event.note,
                )
            else:
                subject = _(
                    "Your case %(ref)s: %(status)s", ref=case.reference, status=labels.STATUS_NAMES[case.status]
                )
                body = _(
                    "Dear %(name)s,\n\nYour case has moved on: %(what)s on %(day)s.\n\nOpen the private link in "
                    "your invitation email to see where it stands.\n",
                    name=case.full_name,
                    what=labels.EVENT_NAMES[event.action],
                    day=day_text(event.occurred_on),
                )
        queue_mail(
            case.email, subject, body, kind=f"expert_{event.action}", language=case.expert_language, case_id=case.id
        )


def _hr_notice_body(case: Case, event: CaseEvent) -> Msg | str:
    """What goes under an HR notice's title: the note as written, or after an acceptance, what HR do next."""
    if event.action == "accept":
        if case.status == "visa_prep":
            return Msg.gettext("Next: lodge the employment visa application with the Immigration Department.")
        return Msg.gettext("Next: apply to the Innovation and Technology Commission for a quota.")
    if event.action == "reject" and event.note:
        return Msg.gettext("Reason: %(reason)s", reason=event.note)
    return event.note or ""


def connect_receivers() -> None:
    """Hear the case events and the clock alerts that cases and the SLA sweep send (called by create_app; connecting
    again is harmless)."""
    case_event_recorded.connect(on_case_event)
    sla_alerts_raised.connect(on_alerts_raised)
