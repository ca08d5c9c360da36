"""Bridges between the pure SLA engine and the database: calendar, targets, cached clock rows, closure days."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from talentcase.cases.models import NO_DUE_DATE
from talentcase.common import clock
from talentcase.common.hkdays import CLOSURE_KINDS, closure_reason
from talentcase.common.i18n import day_text
from talentcase.extensions import db
from talentcase.sla import engine, thresholds
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.models import CaseClock, ClockThreshold, ClosureDay, SlaAlert, SlaPolicy

CLOCK_ORDER = {spec.name: index for index, spec in enumerate(engine.CLOCKS)}


def load_calendar() -> HKCalendar:
    """The Hong Kong calendar with every recorded closure day."""
    rows = db.session.execute(select(ClosureDay.day, ClosureDay.kind, ClosureDay.note)).all()
    return HKCalendar({row.day: _closure_reason(row.kind, row.note) for row in rows})


def _closure_reason(kind: str, note: str) -> str:
    return closure_reason(CLOSURE_KINDS.get(kind, kind), note)


def load_resolver() -> engine.Resolver:
    """Targets by clock and start date from the SLA policy versions an admin recorded (defaults before any)."""
    policies = db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.effective_from, SlaPolicy.id)).all()
    if not policies:
        return engine.default_resolver

    def resolve(name: str, started_on: date) -> engine.ClockTarget:
        in_force = [policy for policy in policies if policy.effective_from <= started_on]
        if not in_force:
            return engine.default_resolver(name, started_on)
        policy = in_force[-1]
        default = engine.default_resolver(name, started_on)
        return engine.ClockTarget(
            target_days=getattr(policy, f"{name}_days"), day_kind=default.day_kind, at_risk_ratio=policy.at_risk_ratio
        )

    return resolve


def load_threshold_settings():
    """Alert thresholds by clock start date, from the SLA policy versions (defaults before any)."""
    policies = db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.effective_from, SlaPolicy.id)).all()

    def resolve(started_on: date) -> thresholds.ThresholdSettings:
        in_force = [policy for policy in policies if policy.effective_from <= started_on]
        if not in_force:
            return thresholds.ThresholdSettings()
        policy = in_force[-1]
        return thresholds.ThresholdSettings(
            tuple(int(p) for p in policy.alert_percentages or ()),
            tuple(int(d) for d in policy.alert_days_before_due or ()),
        )

    return resolve


def alerted_thresholds(case_id: int) -> dict[tuple[str, int], set[str]]:
    """The thresholds already alerted per (clock, cycle) of a case."""
    done: dict[tuple[str, int], set[str]] = {}
    for name, cycle, code in db.session.execute(
        select(SlaAlert.clock_name, SlaAlert.cycle, SlaAlert.threshold).where(SlaAlert.case_id == case_id)
    ):
        done.setdefault((name, cycle), set()).add(code)
    return done


def set_next_alert(row: CaseClock, calendar: HKCalendar, settings_for, done: set[str]) -> dict[str, date]:
    """Cache the threshold days of a running clock and its next one (none while paused or stopped); returns them."""
    if not row.is_running or row.is_paused:
        row.next_alert_on = None
        row.next_alert_threshold = None
        row.thresholds.clear()
        return {}
    dates = thresholds.threshold_dates(
        started_on=row.started_on,
        target_days=row.target_days,
        day_kind=row.day_kind,
        paused_days=row.paused_days,
        due_on=row.due_on,
        settings=settings_for(row.started_on),
        calendar=calendar,
    )
    _cache_thresholds(row, dates)
    pending = thresholds.next_pending(dates, done)
    row.next_alert_on, row.next_alert_threshold = pending if pending else (None, None)
    return dates


def _cache_thresholds(row: CaseClock, dates: dict[str, date]) -> None:
    # Updated in place by code: replacing the rows would insert a key before deleting it (unique clash).
    cached = {item.threshold: item for item in row.thresholds}
    for code, day in dates.items():
        item = cached.pop(code, None)
        if item is None:
            row.thresholds.append(ClockThreshold(threshold=code, fires_on=day, severity=thresholds.rank(code)))
        elif item.fires_on != day:
            item.fires_on = day
    for item in cached.values():
        row.thresholds.remove(item)


def at_risk_on(result: engine.ClockResult, calendar: HKCalendar) -> date:
    """The first day on which the running clock counts as at risk, given the pauses so far."""
    needed = math.ceil(result.at_risk_ratio * result.target_days) + result.paused_days
    if result.day_kind == engine.WORKING:
        return engine.add_working_days(result.started_on, needed, calendar)
    return result.started_on + timedelta(days=needed)


def compute_for_case(case, *, today: date | None = None, calendar: HKCalendar | None = None, resolver=None) -> dict:
    """Every started clock of the case, computed from its event log."""
    events = [
        engine.Event(event.action, event.occurred_on, event.party, event.to_status)
        for event in sorted(case.events, key=lambda event: event.sequence)
    ]
    return engine.compute_clocks(
        events,
        today=today or clock.today(),
        calendar=calendar or load_calendar(),
        resolver=resolver or load_resolver(),
    )


def refresh_clocks(
    case,
    *,
    today: date | None = None,
    calendar: HKCalendar | None = None,
    resolver=None,
    settled_too: bool = False,
) -> dict:
    """Recompute the case's clocks from its log and write the cached rows; returns the engine results.

    A clock that stopped keeps its cached result as later events come (they cannot move it), unless `settled_too`:
    a change to the calendar itself (a closure day) moves stopped clocks for the engine too, so their rows follow."""
    today = today or clock.today()
    calendar = calendar or load_calendar()
    results = compute_for_case(case, today=today, calendar=calendar, resolver=resolver)
    existing = {row.name: row for row in case.clocks}
    settings_for = load_threshold_settings()
    done = alerted_thresholds(case.id) if case.id else {}
    for name, result in results.items():
        row = existing.pop(name, None)
        if row is not None and not settled_too and _is_settled(row, result):
            continue  # a stopped clock keeps the result it had when it stopped
        if row is None:
            row = CaseClock(name=name, position=CLOCK_ORDER[name])
            case.clocks.append(row)
        row.cycle = result.cycle
        row.target_days = result.target_days
        row.day_kind = result.day_kind
        row.started_on = result.started_on
        row.due_on = result.due_on
        row.at_risk_on = at_risk_on(result, calendar)
        row.stopped_on = result.stopped_on
        row.elapsed_days = result.elapsed_days
        row.paused_days = result.paused_days
        row.is_running = result.is_running
        row.is_paused = result.is_paused
        row.state = result.state
        row.computed_on = today
        set_next_alert(row, calendar, settings_for, done.get((name, result.cycle), set()))
    for stale in existing.values():
        case.clocks.remove(stale)
    running_dues = [row.due_on for row in case.clocks if row.is_running and not row.is_paused]
    case.due_order_on = min(running_dues, default=NO_DUE_DATE)
    db.session.flush()
    return results


def _is_settled(row: CaseClock, result: engine.ClockResult) -> bool:
    return (
        not row.is_running
        and not result.is_running
        and row.cycle == result.cycle
        and row.started_on == result.started_on
        and row.stopped_on == result.stopped_on
    )


# A policy's settings besides its date, as the admin page sets them and the audit log records them.
POLICY_SETTINGS = (
    "review_days",
    "quota_days",
    "visa_days",
    "overall_days",
    "at_risk_ratio",
    "alert_percentages",
    "alert_days_before_due",
)


def policy_values(policy: SlaPolicy) -> dict[str, Any]:
    """A policy's date and settings as plain values (for the audit log)."""
    return {"effective_from": policy.effective_from.isoformat()} | {
        name: getattr(policy, name) for name in POLICY_SETTINGS
    }


def schedule_policy(
    effective_from: date,
    *,
    review_days: int,
    quota_days: int,
    visa_days: int,
    overall_days: int,
    at_risk_ratio: float,
    alert_percentages: list[int],
    alert_days_before_due: list[int],
    actor=None,
) -> tuple[SlaPolicy, dict[str, Any] | None]:
    """Set the targets for clocks that start on or after a day to come, replacing any already set for that day.

    Returns the policy and the values it replaced (None when the day had none). One policy per day, so which one
    applies is never a guess; replacing is safe because a day still to come has no clock that started under it.
    """
    # Clocks are counted in days, so a clock that started earlier today cannot be told from one that starts later:
    # new targets begin tomorrow at the earliest, and no clock already running ever changes.
    if effective_from <= clock.today():
        raise ValueError(_("New targets apply from tomorrow or later, never to clocks already running."))
    same_day = db.session.scalars(
        select(SlaPolicy).where(SlaPolicy.effective_from == effective_from).order_by(SlaPolicy.id)
    ).all()
    replaced = policy_values(same_day[-1]) if same_day else None  # the last one is the one that would apply
    for duplicate in same_day[:-1]:  # saved side by side before a second policy for a day replaced the first
        db.session.delete(duplicate)
    policy = same_day[-1] if same_day else SlaPolicy(effective_from=effective_from)
    settings = {
        "review_days": review_days,
        "quota_days": quota_days,
        "visa_days": visa_days,
        "overall_days": overall_days,
        "at_risk_ratio": at_risk_ratio,
        "alert_percentages": list(alert_percentages),
        "alert_days_before_due": list(alert_days_before_due),
    }
    for name, value in settings.items():
        setattr(policy, name, value)
    policy.created_by_id = getattr(actor, "id", None)
    policy.created_at = clock.now()
    db.session.add(policy)
    db.session.flush()
    return policy, replaced


def add_closure_day(day: date, kind: str, note: str = "", *, actor=None) -> tuple[ClosureDay, int]:
    """Record a closure day and recompute every open clock it can touch; returns the row and cases updated."""
    if kind not in CLOSURE_KINDS:
        raise ValueError(f"unknown closure kind {kind!r}")
    if db.session.scalar(select(ClosureDay.id).where(ClosureDay.day == day)):
        raise ValueError(_("%(day)s is already recorded as a closure day.", day=day_text(day)))
    row = ClosureDay(day=day, kind=kind, note=note.strip()[:200], created_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    return row, recompute_clocks_touching(day)


def remove_closure_day(row: ClosureDay) -> int:
    """Delete a closure day and recompute the open clocks it touched."""
    day = row.day
    db.session.delete(row)
    db.session.flush()
    return recompute_clocks_touching(day)


def cases_touching(day: date) -> Select:
    """The ids of the open cases a closure on this day may move: a clock that started on or before the day and still
    runs, or stopped with the day inside its period (up to its stop or its due date, whichever is later).

    Stopped clocks of open cases are recomputed too: the engine that the case page and the API run reads the closure
    days as they are now, so a result cached from before would disagree with them (a typhoon recorded late moves the
    due date it always should have had). A closed case keeps the results it closed with."""
    from talentcase.cases.models import Case
    from talentcase.cases.workflow import OPEN_STATES

    touched = or_(CaseClock.is_running.is_(True), CaseClock.stopped_on >= day, CaseClock.due_on >= day)
    open_cases = select(Case.id).where(Case.status.in_(OPEN_STATES))
    return (
        select(CaseClock.case_id)
        .where(CaseClock.started_on <= day, touched, CaseClock.case_id.in_(open_cases))
        .distinct()
    )


def recompute_clocks_touching(day: date) -> int:
    """Recompute the cases a closure on this day may move (`cases_touching`); returns how many."""
    from talentcase.cases.models import Case

    case_ids = db.session.scalars(cases_touching(day)).all()
    calendar = load_calendar()
    resolver = load_resolver()
    today = clock.today()
    for case_id in case_ids:
        case = db.session.get(Case, case_id)
        refresh_clocks(case, today=today, calendar=calendar, resolver=resolver, settled_too=True)
    return len(case_ids)
