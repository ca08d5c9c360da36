"""SLA clocks as a pure function of a case's event log, today's date and the Hong Kong calendar.

Day convention used everywhere: a clock that starts on S and ends on E (its stop date, or today while it runs)
covers the days d with S < d <= E; a pause asked on R and answered on P covers the days R < d <= P. Day d is
"on" whoever owned the stage the case was in after every event dated before d, unless d is paused, in which case
it is on the party asked. Calendar clocks count every such day, working-day clocks only the working days.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from talentcase.cases import workflow
from talentcase.cases.workflow import CaseState, TransitionError
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.days import (  # noqa: F401  (part of the engine's interface)
    ONE_DAY,
    add_working_days,
    calendar_due,
    count_working_days,
    skipped_weekdays,
    working_due,
)
from talentcase.sla.results import CLOSING_ACTIONS, ClockResult, Pause  # noqa: F401  (part of the engine's interface)
from talentcase.sla.states import STATES as CLOCK_STATES  # noqa: F401  (part of the engine's interface)
from talentcase.sla.states import clock_state

CALENDAR = "calendar"
WORKING = "working"
DAY_KINDS = (CALENDAR, WORKING)
# A log that names no party for request_info is taken to have asked the company, the usual case.
DEFAULT_PARTY = "company"
# Owner of a day whose status has no stage owner (only reachable with an inconsistent log).
FALLBACK_OWNER = "company"


@dataclass(frozen=True)
class Event:
    """One recorded case event: what happened, on which Hong Kong date, whom it asked, and the status it left."""

    action: str
    occurred_on: date
    party: str | None = None
    to_status: str | None = None


@dataclass(frozen=True)
class ClockTarget:
    """A clock's policy: how many days, which kind of day, and the share of the target that counts as at risk."""

    target_days: int
    day_kind: str
    at_risk_ratio: float = 0.75


@dataclass(frozen=True)
class ClockSpec:
    """Which actions start and stop a clock."""

    name: str
    start_action: str
    stop_action: str


CLOCKS: tuple[ClockSpec, ...] = (
    ClockSpec("review", "submit", "accept"),
    ClockSpec("quota", "lodge_quota", "grant_quota"),
    ClockSpec("visa", "lodge_visa", "issue_visa"),
    ClockSpec("overall", "submit", "issue_visa"),
)
CLOCK_NAMES: tuple[str, ...] = tuple(spec.name for spec in CLOCKS)
# Actions that end the case, and with it every clock still running.

DEFAULT_TARGETS: Mapping[str, ClockTarget] = MappingProxyType(
    {
        "review": ClockTarget(3, WORKING),
        "quota": ClockTarget(14, CALENDAR),
        "visa": ClockTarget(14, CALENDAR),
        "overall": ClockTarget(28, CALENDAR),
    }
)

Resolver = Callable[[str, date], ClockTarget]


def default_resolver(name: str, started_on: date) -> ClockTarget:
    """The built-in targets, the same whatever the start date."""
    return DEFAULT_TARGETS[name]


# --- day arithmetic (in talentcase.sla.days, named here for the engine's callers) ------------------------


def _days(after: date, upto: date, kind: str, cal: HKCalendar) -> list[date]:
    # The days a clock counts in (after, upto]: all of them, or only working days.
    out = []
    d = after + ONE_DAY
    while d <= upto:
        if kind == CALENDAR or cal.is_working_day(d):
            out.append(d)
        d += ONE_DAY
    return out


# --- replay -------------------------------------------------------------------------------------------------------


def replay_step(state: CaseState, event: Event) -> CaseState:
    """The state after one logged event: derived through the workflow, with the stored to_status taking precedence."""
    if event.action not in workflow.ACTIONS:
        return replace(state, status=event.to_status) if event.to_status else state
    party = event.party or DEFAULT_PARTY
    try:
        # The event was allowed when it was recorded, so conditions the log does not store are read permissively:
        # parallel lodging was allowed, and a quota was available exactly when accept led to visa_prep.
        nxt = workflow.advance(
            state,
            event.action,
            party=party if party in workflow.PARTIES else DEFAULT_PARTY,
            quota_available=event.to_status == workflow.VISA_PREP,
            parallel_allowed=True,
        )
    except TransitionError:
        # The log disagrees with today's rules (an import, or a rule changed since): keep the recorded outcome.
        nxt = _lenient_step(state, event, party)
    if event.to_status and nxt.status != event.to_status:
        nxt = replace(nxt, status=event.to_status)
    return nxt


def _lenient_step(state: CaseState, event: Event, party: str) -> CaseState:
    if event.action == "request_info":
        return state if state.is_paused else replace(state, paused_party=party)
    if event.action in ("provide_info", *CLOSING_ACTIONS):
        state = replace(state, paused_party=None)
    if event.action == "lodge_visa":
        state = replace(state, visa_lodged=True)
    return state


def replay_status(events: Iterable[Event]) -> CaseState:
    """The case state after the whole log."""
    state = CaseState()
    for event in _ordered(events):
        state = replay_step(state, event)
    return state


def _ordered(events: Iterable[Event]) -> list[Event]:
    # Stable: events of the same day keep the order they were recorded in.
    return sorted(events, key=lambda e: e.occurred_on)


# --- the computation ----------------------------------------------------------------------------------------------


@dataclass
class _Run:
    # Mutable accumulator while walking the log; turned into a frozen ClockResult at the end.
    spec: ClockSpec
    started_on: date
    cycle: int
    pauses: list[tuple[date, date | None, str]] = field(default_factory=list)
    stopped_on: date | None = None
    stopped_by: str | None = None

    @property
    def running(self) -> bool:
        return self.stopped_on is None

    def stop(self, on: date, by: str) -> None:
        self.close_pause(on)
        self.stopped_on, self.stopped_by = on, by

    def close_pause(self, on: date) -> None:
        if self.pauses and self.pauses[-1][1] is None:
            started, _, party = self.pauses[-1]
            self.pauses[-1] = (started, on, party)


def compute_clocks(
    events: Iterable[Event],
    *,
    today: date,
    calendar: HKCalendar,
    resolver: Resolver = default_resolver,
) -> dict[str, ClockResult]:
    """Every clock that has started for the case, keyed by name in CLOCK_NAMES order, as of today."""
    runs: dict[str, _Run] = {}
    state = CaseState()
    timeline_dates: list[date] = []
    timeline_status: list[str] = []
    for event in _ordered(events):
        before, state = state, replay_step(state, event)
        on = event.occurred_on
        timeline_dates.append(on)
        timeline_status.append(state.status)
        for spec in CLOCKS:
            run = runs.get(spec.name)
            if (
                run is not None
                and run.running
                and (event.action == spec.stop_action or event.action in CLOSING_ACTIONS)
            ):
                run.stop(on, event.action)
        if not before.is_paused and state.is_paused:
            for run in runs.values():
                if run.running:
                    run.pauses.append((on, None, state.paused_party or DEFAULT_PARTY))
        elif before.is_paused and not state.is_paused:
            for run in runs.values():
                if run.running:
                    run.close_pause(on)
        for spec in CLOCKS:
            run = runs.get(spec.name)
            # A clock restarts only after it stopped; a repeated start while it runs changes nothing.
            if event.action == spec.start_action and (run is None or not run.running):
                runs[spec.name] = _Run(spec, on, cycle=1 if run is None else run.cycle + 1)

    def status_on(d: date) -> str:
        # The status in force during day d: after every event dated before d.
        i = bisect.bisect_left(timeline_dates, d) - 1
        return timeline_status[i] if i >= 0 else workflow.DRAFT

    return {
        spec.name: _result(runs[spec.name], resolver(spec.name, runs[spec.name].started_on), today, calendar, status_on)
        for spec in CLOCKS
        if spec.name in runs
    }


def _result(
    run: _Run, target: ClockTarget, today: date, cal: HKCalendar, status_on: Callable[[date], str]
) -> ClockResult:
    if target.day_kind not in DAY_KINDS:
        raise ValueError(f"unknown day kind {target.day_kind!r}")
    end = run.stopped_on or today
    counted = _days(run.started_on, end, target.day_kind, cal)
    counted_set = set(counted)

    # Pauses in the clock's own day kind; an open pause runs up to the end (today, or the stop date).
    pause_days: list[set[date]] = []
    for started, ended, _ in run.pauses:
        upto = min(ended or end, end)
        pause_days.append({d for d in counted_set if started < d <= upto})
    paused_total = sum(len(days) for days in pause_days)

    due, rolled, extension, extends, held_to = _due_with_pauses(run, target, pause_days, end, cal)
    waiting = _waiting(run, counted, pause_days, status_on)
    elapsed = max(0, len(counted) - paused_total)
    is_running = run.stopped_on is None
    is_paused = is_running and bool(run.pauses) and run.pauses[-1][1] is None
    state = clock_state(
        today=today,
        due_on=due,
        stopped_on=run.stopped_on,
        is_paused=is_paused,
        elapsed_days=elapsed,
        target_days=target.target_days,
        at_risk_ratio=target.at_risk_ratio,
    )

    pauses = tuple(
        Pause(started, ended, len(days), party, counts)
        for (started, ended, party), days, counts in zip(run.pauses, pause_days, extends, strict=True)
    )
    return ClockResult(
        name=run.spec.name,
        target_days=target.target_days,
        day_kind=target.day_kind,
        at_risk_ratio=target.at_risk_ratio,
        start_action=run.spec.start_action,
        started_on=run.started_on,
        due_on=due,
        stopped_on=run.stopped_on,
        stopped_by=run.stopped_by,
        elapsed_days=elapsed,
        paused_days=paused_total,
        state=state,
        is_running=is_running,
        is_paused=is_paused,
        waiting=waiting,
        pauses=pauses,
        rolled_days=tuple(rolled),
        counted_to=end,
        cycle=run.cycle,
        due_extension_days=extension,
        due_held_to=held_to,
    )


def _due_with_pauses(
    run: _Run, target: ClockTarget, pause_days: list[set[date]], end: date, cal: HKCalendar
) -> tuple[date, list[tuple[date, str]], int, list[bool], date | None]:
    # The due date with its rolled days, the days the pauses added, which pauses counted, and the day it is held to.
    extension = 0
    extends: list[bool] = []
    held_to: date | None = None
    due, rolled = _due(run.started_on, target, 0, cal)
    for (started, ended, _), days in zip(run.pauses, pause_days, strict=True):
        # A pause extends the due date only if it began on or before the due date as it stood then.
        counts = started <= due
        extends.append(counts)
        if not counts:
            continue
        if days:
            extension += len(days)
            due, rolled = _due(run.started_on, target, extension, cal)
            held_to = None
        # Such a pause also keeps the clock from falling due while it lasts. Its days alone would not when it began
        # on the due date itself (a working-day clock over a weekend) or on a day the due date had rolled over to:
        # the clock would read breached while it waits, and paused again on the next working day.
        last = min(ended or end, end)
        if due < last:
            due, held_to = last, last
    return due, rolled, extension, extends, held_to


def _waiting(
    run: _Run, counted: list[date], pause_days: list[set[date]], status_on: Callable[[date], str]
) -> dict[str, int]:
    """Counted days per party the delay was on: the party asked while paused, else the stage's owner."""
    waiting = dict.fromkeys(workflow.WAITING_PARTIES, 0)
    paused_party_of: dict[date, str] = {}
    for (_, _, party), days in zip(run.pauses, pause_days, strict=True):
        for d in days:
            paused_party_of[d] = party
    for d in counted:
        owner = paused_party_of.get(d) or workflow.STAGE_OWNER.get(status_on(d), FALLBACK_OWNER)
        waiting[owner] = waiting.get(owner, 0) + 1
    return waiting


def _due(start: date, target: ClockTarget, paused: int, cal: HKCalendar) -> tuple[date, list[tuple[date, str]]]:
    if target.day_kind == CALENDAR:
        return calendar_due(start, target.target_days, paused, cal)
    due = working_due(start, target.target_days, paused, cal)
    return due, skipped_weekdays(start, due, cal)
