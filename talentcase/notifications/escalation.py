"""Clock alerts, escalating: the owning officer at the milder thresholds (50 %, days before the deadline), the owner
and the supervising officers at the at-risk threshold (75 %) and at the breach; the company's HR at at-risk and
breach. No other officer hears of them."""

from __future__ import annotations

from sqlalchemy import select

from talentcase.accounts.models import User
from talentcase.cases.models import Case
from talentcase.common.text import Msg
from talentcase.extensions import db
from talentcase.notifications.messages import Label
from talentcase.notifications.routing import company_hr, notify, owning_officer, supervisors
from talentcase.sla import thresholds
from talentcase.sla.models import SlaAlert


class Recipients:
    """Who hears about a company's cases, looked up once per company for a run that announces many alerts."""

    def __init__(self) -> None:
        self._hr: dict[int, list[User]] = {}
        self._supervisors: list[User] | None = None

    def company_hr(self, company_id: int) -> list[User]:
        if company_id not in self._hr:
            self._hr[company_id] = company_hr(company_id)
        return self._hr[company_id]

    def supervisors(self) -> list[User]:
        if self._supervisors is None:
            self._supervisors = supervisors()
        return self._supervisors


def is_escalated(alert: SlaAlert, at_risk_code: str) -> bool:
    """At risk or breached: the supervisors and HR hear too, and the owner is mailed at once."""
    return (
        alert.threshold == thresholds.BREACH
        or alert.threshold == at_risk_code
        or _swallowed_at_risk(alert, at_risk_code)
    )


def park_recipients(case: Case, escalated: bool, people: Recipients) -> list[User]:
    """The owner, plus the supervisors when escalated; before the case has an owner, the supervisors."""
    owner = owning_officer(case)
    chosen = [owner] if owner is not None else []
    if escalated or owner is None:
        chosen += [user for user in people.supervisors() if user not in chosen]
    return chosen


def announce_alert(alert: SlaAlert, case: Case, at_risk_code: str, *, people: Recipients | None = None) -> None:
    """Route a clock alert: the park's people by escalation; HR of at-risk and breach."""
    people = people or Recipients()
    clock_name = Label("clock", alert.clock_name)
    is_breach = alert.threshold == thresholds.BREACH
    escalated = is_escalated(alert, at_risk_code)
    kind = f"alert_{alert.threshold}"
    if escalated:
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
        candidate = Msg.gettext("Candidate: %(name)s", name=case.full_name)
        for user in people.company_hr(case.company_id):
            notify(user, case, kind, hr_title, candidate, actionable=True)
    officer_title = Msg.gettext(
        "%(ref)s (%(company)s): %(clock)s — %(what)s (due %(day)s)",
        ref=case.reference,
        company=case.company.name,
        clock=clock_name,
        what=threshold_message(alert.threshold),
        day=alert.due_on,
    )
    for user in park_recipients(case, escalated, people):
        notify(user, case, kind, officer_title, actionable=escalated, urgent=is_breach)


def on_alerts_raised(sender: object, *, alerts: list[tuple[SlaAlert, Case, str]]) -> None:
    """Route a batch of clock alerts claimed by the SLA sweep (signal sla_alerts_raised), looking people up once."""
    people = Recipients()
    for alert, case, at_risk_code in alerts:
        announce_alert(alert, case, at_risk_code, people=people)


def _swallowed_at_risk(alert: SlaAlert, at_risk_code: str) -> bool:
    """A milder alert than a breach that stands for an at-risk alert crossed with it and left unannounced (a case
    entered late, or a sweep that ran late): it must still be heard as at risk."""
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
