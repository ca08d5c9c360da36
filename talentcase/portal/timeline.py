"""The expert's timeline: the case's main steps in plain words, each done, current or still to come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from talentcase.cases import quotas, workflow
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.sla import services as sla

EXPERT = "expert"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # done | current | to_come | stopped
    done_on: date | None = None
    text: str = ""
    expected_on: date | None = None
    # The forecast of a step not done yet: (median, low, high) of its 80 % interval.
    forecast: tuple[date, date, date] | None = None


# (step, the event that completes it, title, words once done)
_STEPS = (
    (
        "submitted",
        "submit",
        _l("Your application goes to the park"),
        _l("Your employer sent your application to the park."),
    ),
    ("review", "accept", _l("The park checks your application"), _l("The park accepted your application.")),
    (
        "quota",
        "grant_quota",
        _l("A quota place from the Innovation and Technology Commission (ITC)"),
        _l("ITC gave your employer a quota place for your job."),
    ),
    (
        "visa_application",
        "lodge_visa",
        _l("Your visa application goes to the Immigration Department (ImmD)"),
        _l("Your employer applied for your visa with the Immigration Department."),
    ),
    ("visa_issued", "issue_visa", _l("Your visa is issued"), _l("The Immigration Department issued your visa.")),
    ("arrival", "record_arrival", _l("You arrive in Hong Kong"), _l("You arrived in Hong Kong. Welcome!")),
)
_CURRENT_STEP = {
    workflow.DRAFT: "submitted",
    workflow.REVIEW: "review",
    workflow.QUOTA_PREP: "quota",
    workflow.QUOTA: "quota",
    workflow.VISA_PREP: "visa_application",
    workflow.VISA: "visa_issued",
    workflow.APPROVED: "arrival",
}
_CURRENT_TEXT = {
    workflow.DRAFT: _l("Your employer is preparing your application."),
    workflow.REVIEW: _l("The park is checking that your application is complete and meets the rules."),
    workflow.QUOTA_PREP: _l("Your employer is preparing the quota application to ITC."),
    workflow.QUOTA: _l("ITC is considering your employer's quota application. It usually takes about two weeks."),
    workflow.VISA_PREP: _l("Your employer is preparing the visa application."),
    workflow.VISA: _l(
        "The Immigration Department is considering your visa application. It usually takes about two weeks "
        "once it has every document."
    ),
    workflow.APPROVED: _l("Your visa is ready. Your employer will record the day you arrive in Hong Kong."),
}
# The forecast (sla.models.CaseForecast column prefix) of the steps it covers.
_FORECAST_OF_STEP = {"quota": "quota", "visa_issued": "visa", "arrival": "start"}
# The clock whose due date the expert may be told while a stage is under way.
_STAGE_CLOCK = {workflow.REVIEW: "review", workflow.QUOTA: "quota", workflow.VISA: "visa"}


def _quota_step_needed(case: Case) -> bool:
    if any(event.to_status in (workflow.QUOTA_PREP, workflow.QUOTA) for event in case.events):
        return True
    if case.status in (workflow.DRAFT, workflow.REVIEW):
        return case.quota_id is None and quotas.quota_standing(case.company_id, clock.today()).quota is None
    return False


def _forecast(case: Case, key: str) -> tuple[date, date, date] | None:
    row, prefix = case.forecast_row, _FORECAST_OF_STEP.get(key)
    if row is None or prefix is None or getattr(row, f"{prefix}_median_on") is None:
        return None
    return tuple(getattr(row, f"{prefix}_{part}_on") for part in ("median", "low", "high"))  # type: ignore[return-value]


def timeline(case: Case) -> list[Step]:
    """The case's main steps, each done (with its date), current or still to come, in the expert's words."""
    done_on = {event.action: event.occurred_on for event in case.events}
    current = _CURRENT_STEP.get(case.status)
    stopped = case.status in (workflow.REJECTED, workflow.WITHDRAWN)
    expected_on = None
    clock_name = _STAGE_CLOCK.get(case.status)
    if clock_name and not case.is_paused:
        result = sla.compute_for_case(case).get(clock_name)
        if result is not None and result.is_running and result.state in ("on_track", "at_risk"):
            expected_on = result.due_on
    steps = []
    for key, action, title, done_text in _STEPS:
        if key == "quota" and not _quota_step_needed(case):
            continue
        if action in done_on:
            steps.append(Step(key, str(title), "done", done_on[action], str(done_text)))
        elif key == current:
            text = str(_CURRENT_TEXT[case.status])
            steps.append(Step(key, str(title), "current", None, text, expected_on, _forecast(case, key)))
        elif stopped:
            steps.append(Step(key, str(title), "stopped"))
        else:
            steps.append(Step(key, str(title), "to_come", forecast=_forecast(case, key)))
    return steps


def hr_contact(case: Case):
    """The expert's HR contact: whoever at the company opened the case, else another of its HR staff; None if none."""
    people = [case.created_by] if case.created_by is not None else []
    people += sorted((user for user in case.company.users if user.role == "hr"), key=lambda user: user.id)
    return next((user for user in people if user.role == "hr" and user.is_active), None)
