"""Case rules: opening and editing, taking actions on the event log, eligibility, quotas. Flush, never commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from talentcase.accounts.models import Company
from talentcase.cases import actions, policy, quotas, search, workflow
from talentcase.cases.eligibility_report import (  # noqa: F401  (callers use services.X)
    EligibilityReport,
    EligibilityRow,
    eligibility_report,
    override_check,
    pin_policy,
    submission_day,
)
from talentcase.cases.errors import (  # callers catch these as services.X
    ActionConflict,
    ActionForbidden,
    ActionInvalid,
    CaseActionError,  # noqa: F401
    EligibilityBlocked,  # noqa: F401
)
from talentcase.cases.models import Case, CaseEvent, Quota
from talentcase.cases.schema import InvalidInput, clean_attrs
from talentcase.common import clock
from talentcase.common.dates import iso_date
from talentcase.common.i18n import day_text, translate
from talentcase.common.roles import Role
from talentcase.common.signals import case_event_recorded
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.sla import forecasting
from talentcase.sla import services as sla

EDITABLE_WHILE_PAUSED = True


# --- opening and editing -------------------------------------------------------------------------------------------


def _opening_day(raw: date | str | None, today: date) -> tuple[date, str | None]:
    """The day the case opens (default today) and what is wrong with the one given. When it is wrong, the day
    returned is the nearest one it could be, so that the other dates are still checked against a plausible day."""
    scheme_start = policy.POLICY_VERSIONS[0].effective_from
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return today, None
    try:
        opened_on = iso_date(raw)  # the scheme's start and today bound it more closely than is_plausible_date
    except ValueError as error:
        return today, str(error.args[0])
    if opened_on > today:
        return today, _("The opening date cannot be in the future.")
    if opened_on < scheme_start:
        # Every later date of the case (events, clocks, the policy it is judged by) follows from this one.
        return scheme_start, _(
            "The scheme started on %(day)s: a case cannot open before that.", day=day_text(scheme_start)
        )
    return opened_on, None


def open_case(company: Company, values: dict[str, Any], *, creator=None, opened_on: date | str | None = None) -> Case:
    """Open a draft case for the company from raw values (model attribute names) and the opening day (a date, or
    YYYY-MM-DD as typed); every problem with them is reported at once."""
    today = clock.today()
    opened_on, opened_on_problem = _opening_day(opened_on, today)
    errors: dict[str, str] = {}
    try:
        clean = clean_attrs(values, partial=False, today=today, opened_on=opened_on)
    except InvalidInput as error:
        errors.update(error.errors)
    if opened_on_problem:
        errors["opened_on"] = opened_on_problem
    if errors:
        raise InvalidInput(errors)
    case = Case(company=company, opened_on=opened_on, status=workflow.DRAFT, created_by=creator, **clean)
    db.session.add(case)
    db.session.flush()
    case.reference = f"TC-{opened_on.year}-{case.id:06d}"
    search.index_case(case)
    return case


def can_edit(case: Case) -> bool:
    """Particulars can change while the case is a draft or paused waiting for information."""
    return case.status == workflow.DRAFT or case.is_paused


def update_case(case: Case, values: dict[str, Any]) -> Case:
    """Change the particulars of a case that may still be edited."""
    if not can_edit(case):
        raise ActionConflict(_("A case can only be edited while it is a draft or paused for information."))
    clean = clean_attrs(values, partial=True, today=clock.today(), opened_on=case.opened_on)
    failing_before = _blocking_codes(case) if case.status != workflow.DRAFT else set()
    for attr, value in clean.items():
        setattr(case, attr, value)
    if case.status != workflow.DRAFT:
        _refuse_new_failures(case, failing_before, set(clean))
    if search.SEARCHED_ATTRS & set(clean):
        search.index_case(case)
    db.session.flush()
    return case


# The particulars each eligibility check reads, in the order a message is best placed at them.
CHECK_FIELDS: dict[str, tuple[str, ...]] = {
    "tech_area": ("tech_area",),
    "degree": ("degree_level", "is_stem_degree", "is_top100_university"),
    "experience": ("years_experience", "degree_level"),
    "salary": ("monthly_salary_hkd",),
    "full_time": ("is_full_time", "is_principally_rd"),
    "nationality": ("nationality",),
    "local_hire": ("local_hire_confirmed",),
}


def _blocking_codes(case: Case) -> set[str]:
    return {row.result.code for row in eligibility_report(case).blocking}


def _refuse_new_failures(case: Case, failing_before: set[str], changed: set[str]) -> None:
    """A submitted case was judged eligible on its particulars: an edit while it is paused may correct them, never
    make it fail a rule it met (a salary cut below the market rate, an excluded nationality). Raises InvalidInput at
    the field changed; the caller rolls back."""
    errors: dict[str, str] = {}
    for row in eligibility_report(case).blocking:
        if row.result.code in failing_before:
            continue
        fields = CHECK_FIELDS.get(row.result.code, ())
        field = next((name for name in fields if name in changed), fields[0] if fields else "opened_on")
        errors[field] = _(
            "%(reason)s A submitted case must keep meeting the eligibility rules, so this change cannot be saved.",
            reason=str(row.result.reason),
        )
    if errors:
        raise InvalidInput(errors)


# --- actions -------------------------------------------------------------------------------------------------------


def _state(case: Case) -> workflow.CaseState:
    return workflow.CaseState(status=case.status, paused_party=case.paused_party, visa_lodged=case.visa_lodged)


def parallel_allowed(case: Case) -> bool:
    """Whether quota and visa may run in parallel under the case's policy."""
    version = policy.policy_by_code(case.policy_code) if case.policy_code else policy.policy_in_force(clock.today())
    return version.parallel_quota_visa


def allowed_actions(case: Case, role: str) -> list[str]:
    """The actions this role may take on the case now (for buttons)."""
    return workflow.allowed_actions(
        _state(case),
        role,
        parallel_allowed=parallel_allowed(case),
        place_expired=quotas.place_expired(case, clock.today()),
    )


def last_event_on(case: Case) -> date:
    return max([case.opened_on] + [event.occurred_on for event in case.events])


def check_occurred_on(case: Case, occurred_on: date | None) -> date:
    """Default today; never in the future, never before the case's previous event or its opening."""
    today = clock.today()
    occurred_on = occurred_on or today
    if occurred_on > today:
        raise ActionInvalid(
            _("The date cannot be in the future (today is %(today)s).", today=day_text(today)), field="occurred_on"
        )
    earliest = last_event_on(case)
    if occurred_on < earliest:
        if not case.events:  # nothing has happened yet: the limit is the day the case opened
            message = _("The date cannot be before the day the case opened (%(day)s).", day=day_text(earliest))
        else:
            message = _("The date cannot be before the case's previous event (%(day)s).", day=day_text(earliest))
        raise ActionInvalid(message, field="occurred_on")
    return occurred_on


def _conflict(status: str) -> ActionConflict:
    """Someone else changed the case between this request reading it and writing. The transaction is rolled back
    first: after a failed statement nothing (not even the locale selector, which reads the user) may use the
    session until it is, and the caller's reload then reads the case as it now is."""
    uow.discard()
    return ActionConflict(
        _("Someone else changed this case at the same moment. Reload it and try again."), status=status
    )


def _move_case(case: Case, before: workflow.CaseState, after: workflow.CaseState) -> None:
    """Move the case row from the state the action was judged on to its new state, in one conditional UPDATE.

    Two actions on one case at the same moment (a double submit, two officers accepting) each read the case before
    the other wrote; the UPDATE takes the row's lock (PostgreSQL) or the write lock (SQLite) and re-checks the state,
    so the second to write finds the case moved on and is a conflict, never a second transition.
    """
    cases = Case.__table__
    same_party = (
        cases.c.paused_party.is_(None) if before.paused_party is None else cases.c.paused_party == before.paused_party
    )
    moved = db.session.execute(
        update(cases)
        .where(
            cases.c.id == case.id,
            cases.c.status == before.status,
            same_party,
            cases.c.visa_lodged == before.visa_lodged,
        )
        .values(status=after.status, paused_party=after.paused_party, visa_lodged=after.visa_lodged)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise _conflict(before.status)
    case.status = after.status
    case.paused_party = after.paused_party
    case.visa_lodged = after.visa_lodged


def _flush_event(status: str) -> None:
    """Flush the new event. The unique (case, sequence) key is the last guard against two events numbered alike;
    losing to it is a conflict to reload and retry, not a server error."""
    try:
        db.session.flush()
    except IntegrityError as error:
        if "sequence" not in str(error.orig):
            raise
        raise _conflict(status) from error


def _judge(
    case: Case, before: workflow.CaseState, given: actions.ActionInput, on: date, quota: Quota | None
) -> workflow.CaseState:
    """The state after the action, or ActionForbidden (not for this role) / ActionConflict (not in this state)."""
    try:
        return workflow.apply(
            before,
            given.action,
            role=given.role,
            party=given.party,
            quota_available=quota is not None,
            parallel_allowed=parallel_allowed(case),
            place_expired=quotas.place_expired(case, on),
        )
    except workflow.TransitionError as error:
        message = translate(error.text)  # in the reader's language, like the other refusals here
        if error.kind == "role":
            raise ActionForbidden(message) from error
        raise ActionConflict(message, status=case.status) from error


def refuse_role(case: Case, action: str, role: str) -> None:
    """Raise ActionForbidden when the role can never take the action: called before any input is read, so that a
    refusal is a 403 and never a 422 about the fields of an action that was not allowed (probe F12)."""
    if action in workflow.ROLES_FOR_ACTION and role not in workflow.ROLES_FOR_ACTION[action]:
        _judge(case, _state(case), actions.ActionInput(action, role, "", None, {}), clock.today(), None)


def _record(
    case: Case,
    given: actions.ActionInput,
    before: workflow.CaseState,
    after: workflow.CaseState,
    occurred_on: date,
    detail: dict,
    actor,
    actor_label: str,
) -> CaseEvent:
    """Append the action's event to the case's log and flush it."""
    event = CaseEvent(
        case=case,
        sequence=len(case.events) + 1,
        action=given.action,
        occurred_on=occurred_on,
        actor=actor,
        actor_label=actor_label or getattr(actor, "email", "") or "",
        actor_role=given.role,
        note=given.note,
        party=given.party,
        from_status=before.status,
        to_status=after.status,
        detail=detail,
    )
    db.session.add(event)
    if given.role == Role.OFFICER:
        case.last_officer_id = actor.id if actor is not None else None
    _flush_event(before.status)
    return event


def _check_note_given(action: str, note: str) -> None:
    """A request says what is needed; a rejection or a withdrawal, which are final, says why."""
    if action in ("request_info", "reject") and not note:
        raise ActionInvalid(_("Write what is needed or why, so that the other side knows."), field="note")
    if action == "withdraw" and not note:
        raise ActionInvalid(_("Write why the case is withdrawn."), field="note")


def take_action(
    case: Case,
    action: str,
    *,
    role: str,
    actor=None,
    actor_label: str = "",
    occurred_on: date | None = None,
    note: str = "",
    party: str | None = None,
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    """Apply an action to the case: check role, state, date and rules; append the event; refresh the clocks."""
    given = actions.ActionInput.normalise(action, role=role, note=note, party=party, detail=detail)
    before = _state(case)
    # Role and state first, so a caller learns "not for you" / "not now" before any date or rule problem.
    quota_on = occurred_on or clock.today()
    free_quota = actions.free_quota(case, action, quota_on)
    after = _judge(case, before, given, quota_on, free_quota)
    _check_note_given(action, given.note)
    # A submission's default day is the draft's own (see submission_day), so that its preview judged the same rules.
    occurred_on = check_occurred_on(case, submission_day(case, occurred_on) if action == "submit" else occurred_on)
    event_detail = actions.apply_effect(case, occurred_on, free_quota, given)
    # The case moves first, under the write lock, so the event is numbered after every event already recorded.
    _move_case(case, before, after)
    event = _record(case, given, before, after, occurred_on, event_detail, actor, actor_label)
    sla.refresh_clocks(case)
    forecasting.refresh_case(case)
    case_event_recorded.send(case, event=event)  # notifications tell who needs to hear
    return event
