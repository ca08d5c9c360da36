"""Who hears about what, and how: in-app notices and mail (at once, in the daily digest, or not at all).

HR staff hear of information requests addressed to their company and of the at-risk and breached clocks of their
cases; the expert hears of status changes and requests addressed to them, in their language, by mail; officers
hear of breaches at once (they cannot switch that off) and of everything else in one daily digest.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.accounts.models import Company, User
from talentcase.cases import labels
from talentcase.cases.models import Case, CaseEvent
from talentcase.common import clock
from talentcase.common.i18n import day_text
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.notifications.models import Notification
from talentcase.notifications.services import queue_mail
from talentcase.sla import thresholds
from talentcase.sla.models import SlaAlert

EXPERT_EVENTS = frozenset(
    {"submit", "accept", "lodge_quota", "grant_quota", "lodge_visa", "issue_visa", "reject", "withdraw", "request_info"}
)


def company_hr(company_id: int) -> list[User]:
    """The company's HR users who can act on a notice: enabled, of a company that is not deactivated."""
    return list(
        db.session.scalars(
            select(User)
            .join(Company, Company.id == User.company_id)
            .where(
                User.company_id == company_id,
                User.role == "hr",
                User.is_enabled.is_(True),
                Company.is_active.is_(True),
            )
        )
    )


def officers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == "officer", User.is_enabled.is_(True))))


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
    user: User, case: Case | None, kind: str, title: str, body: str = "", *, urgent: bool = False
) -> Notification:
    """An in-app notice; mailed at once when the user wants that (or when urgent: an officer's breach)."""
    notice = Notification(user_id=user.id, case_id=case.id if case else None, kind=kind, title=title[:300], body=body)
    db.session.add(notice)  # flushed with the rest of the transaction: many notices go in one batch
    mail_now = urgent or user.notification_mode == "immediate"
    if user.role == "officer" and not urgent:
        mail_now = False  # officers get everything but breaches in the daily digest
    if mail_now:
        queue_mail(
            user.email,
            title,
            f"{body}\n\n{case.reference if case else ''}".strip(),
            kind=kind,
            language=user.preferred_language,
            case_id=notice.case_id,
        )
        notice.mailed_at = clock.now()
    return notice


def _with_language(user: User):
    return force_locale(user.preferred_language or "en")


def announce_alert(alert: SlaAlert, case: Case, at_risk_code: str, *, people: Recipients | None = None) -> None:
    """Route a clock alert: HR hear of at-risk and breach; officers of breaches at once and the rest by digest."""
    people = people or Recipients()
    clock_name = labels.CLOCK_NAMES.get(alert.clock_name, alert.clock_name)
    is_breach = alert.threshold == thresholds.BREACH
    hr_hears = is_breach or alert.threshold == at_risk_code or _swallowed_at_risk(alert, at_risk_code)
    texts: dict[tuple[str, str], tuple[str, str]] = {}  # worded once per language, not once per person

    def worded(user: User, audience: str) -> tuple[str, str]:
        key = (user.preferred_language or "en", audience)
        if key not in texts:
            with _with_language(user):
                if audience == "officer":
                    texts[key] = (
                        _(
                            "%(ref)s (%(company)s): %(clock)s — %(what)s (due %(day)s)",
                            ref=case.reference,
                            company=case.company.name,
                            clock=clock_name,
                            what=threshold_words(alert.threshold),
                            day=day_text(alert.due_on),
                        ),
                        "",
                    )
                elif is_breach:
                    texts[key] = (
                        _(
                            "%(ref)s: the %(clock)s deadline of %(day)s has passed",
                            ref=case.reference,
                            clock=clock_name,
                            day=day_text(alert.due_on),
                        ),
                        _("Candidate: %(name)s", name=case.full_name),
                    )
                else:
                    texts[key] = (
                        _(
                            "%(ref)s: the %(clock)s deadline of %(day)s is at risk",
                            ref=case.reference,
                            clock=clock_name,
                            day=day_text(alert.due_on),
                        ),
                        _("Candidate: %(name)s", name=case.full_name),
                    )
        return texts[key]

    for user in people.company_hr(case.company_id) if hr_hears else ():
        notify(user, case, f"alert_{alert.threshold}", *worded(user, "hr"))
    for user in people.officers():
        notify(user, case, f"alert_{alert.threshold}", *worded(user, "officer"), urgent=is_breach)


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


def threshold_words(code: str) -> str:
    if code == thresholds.BREACH:
        return _("deadline passed")
    if code.startswith("due-"):
        return _("%(n)s days before the deadline", n=code[4:-1])
    return _("%(n)s%% of the time used", n=code[:-3])


def on_case_event(case: Case, event: CaseEvent) -> None:
    """Route a case event: information requests, and status changes for the expert and the digest."""
    if event.action == "request_info" and event.party == "company":
        for user in company_hr(case.company_id):
            with _with_language(user):
                notify(
                    user,
                    case,
                    "info_request",
                    _("%(ref)s: the park asks for information", ref=case.reference),
                    event.note,
                )
    if event.action == "provide_info" and event.actor_role == "expert":
        # HR asked the expert (or the park did): the company hears that the answer came, and can go and look.
        for user in company_hr(case.company_id):
            with _with_language(user):
                notify(
                    user,
                    case,
                    "info_provided",
                    _("%(ref)s: the expert has sent what was asked for", ref=case.reference),
                    event.note,
                )
    if event.actor_role != "officer":
        for user in officers():
            with _with_language(user):
                notify(
                    user,
                    case,
                    "case_event",
                    _(
                        "%(ref)s (%(company)s): %(what)s",
                        ref=case.reference,
                        company=case.company.name,
                        what=labels.EVENT_NAMES[event.action],
                    ),
                )
    if event.action in EXPERT_EVENTS and _expert_invited(case):
        if event.action == "request_info" and event.party != "expert":
            return
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


def _expert_invited(case: Case) -> bool:
    return db.session.scalar(select(ExpertLink.id).where(ExpertLink.case_id == case.id).limit(1)) is not None
