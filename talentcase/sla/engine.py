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
from datetime import date, timedelta
from types import MappingProxyType

from talentcase.cases import workflow
from talentcase.cases.workflow import CaseState, TransitionError
from talentcase.common.text import ENGLISH, N_, DayReason, Msg, Translator
from talentcase.sla.calendar import SATURDAY, HKCalendar

ONE_DAY = timedelta(days=1)
CALENDAR = "calendar"
WORKING = "working"
DAY_KINDS = (CALENDAR, WORKING)
CLOCK_STATES = ("on_track", "at_risk", "breached", "paused", "met")
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
CLOSING_ACTIONS = frozenset({"reject", "withdraw"})

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


# --- day arithmetic -----------------------------------------------------------------------------------------------


def calendar_due(start: date, target: int, paused: int, cal: HKCalendar) -> tuple[date, list[tuple[date, str]]]:
    """Start + target + paused days, rolled forward past Sundays, general holidays and closures (each with reason)."""
    due = start + timedelta(days=target + paused)
    rolled: list[tuple[date, str]] = []
    # Interpretation and General Clauses Ordinance: a period ending on such a day runs on to the next day that is none.
    while (reason := cal.non_running_reason(due)) is not None:
        rolled.append((due, reason))
        due += ONE_DAY
    return due, rolled


def add_working_days(start: date, n: int, cal: HKCalendar) -> date:
    """The n-th working day after start (start itself when n <= 0)."""
    d = start
    while n > 0:
        d += ONE_DAY
        if cal.is_working_day(d):
            n -= 1
    return d


def working_due(start: date, target: int, paused_working: int, cal: HKCalendar) -> date:
    """The (target + paused working days)-th working day after start."""
    return add_working_days(start, target + paused_working, cal)


def count_working_days(after: date, upto: date, cal: HKCalendar) -> int:
    """How many working days d there are with after < d <= upto."""
    count = 0
    d = after + ONE_DAY
    while d <= upto:
        if cal.is_working_day(d):
            count += 1
        d += ONE_DAY
    return count


def skipped_weekdays(start: date, due: date, cal: HKCalendar) -> list[tuple[date, str]]:
    """Monday-to-Friday days in (start, due] that were not working days, with the reason."""
    skipped = []
    d = start + ONE_DAY
    while d <= due:
        if d.weekday() < SATURDAY and not cal.is_working_day(d):
            skipped.append((d, cal.non_running_reason(d) or N_("not a working day")))
        d += ONE_DAY
    return skipped


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


# --- results ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """A request_info .. provide_info interval while the clock ran; days are in the clock's kind of day."""

    started_on: date
    ended_on: date | None
    days: int
    party: str
    # False when the pause began after the due date had passed: asking for information cannot undo a breach.
    extends_due: bool = True


@dataclass(frozen=True)
class ClockResult:
    """One clock of one case, as of a given day, with everything needed to explain it."""

    name: str
    target_days: int
    day_kind: str
    at_risk_ratio: float
    start_action: str
    started_on: date
    due_on: date
    stopped_on: date | None
    stopped_by: str | None
    elapsed_days: int
    paused_days: int
    state: str
    is_running: bool
    is_paused: bool
    waiting: dict[str, int]
    pauses: tuple[Pause, ...]
    rolled_days: tuple[tuple[date, str], ...]
    # The last day counted: the stop date, or today while the clock runs (so a stopped result never changes).
    counted_to: date
    cycle: int = 1
    # Days (in the clock's kind) by which the due date moved because of pauses; <= paused_days.
    due_extension_days: int = 0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary (dates as YYYY-MM-DD) in the shape the API and the screens use."""
        return {
            "target_days": self.target_days,
            "day_kind": self.day_kind,
            "started_on": self.started_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "stopped_on": self.stopped_on.isoformat() if self.stopped_on else None,
            "stopped_by": self.stopped_by,
            "elapsed_days": self.elapsed_days,
            "paused_days": self.paused_days,
            "state": self.state,
            "is_running": self.is_running,
            "is_paused": self.is_paused,
            "cycle": self.cycle,
            "waiting": dict(self.waiting),
            "pauses": [
                {
                    "from": p.started_on.isoformat(),
                    "to": p.ended_on.isoformat() if p.ended_on else None,
                    "days": p.days,
                    "party": p.party,
                    "extends_due": p.extends_due,
                }
                for p in self.pauses
            ],
            "rolled_days": [{"date": d.isoformat(), "reason": reason} for d, reason in self.rolled_days],
        }

    def explanation(self) -> list[Msg]:
        """The sentences that explain the due date and the state, untranslated: render each with a Translator."""
        unit = _hk_working_days if self.day_kind == WORKING else _calendar_days
        lines = [
            Msg.gettext(
                "The %(clock)s started on %(day)s, when %(event)s.",
                clock=_phrase(CLOCK_TITLES, self.name),
                day=self.started_on,
                event=_phrase(START_PHRASES, self.start_action),
            ),
            Msg.gettext("Its target is %(days)s counted after the start day.", days=unit(self.target_days))
            if self.day_kind == WORKING
            else Msg.gettext("Its target is %(days)s from the start day.", days=unit(self.target_days)),
        ]
        for p in self.pauses:
            party = _phrase(PARTY_PHRASES, p.party)
            if p.ended_on is None:
                lines.append(
                    Msg.gettext(
                        "It has been paused since %(day)s (%(days)s so far), waiting for information from %(party)s.",
                        day=p.started_on,
                        days=unit(p.days),
                        party=party,
                    )
                )
            else:
                lines.append(
                    Msg.gettext(
                        "It was paused from %(start)s to %(end)s (%(days)s), waiting for information from %(party)s.",
                        start=p.started_on,
                        end=p.ended_on,
                        days=unit(p.days),
                        party=party,
                    )
                )
            if not p.extends_due:
                lines.append(
                    Msg.gettext("That pause began after the due date had passed, so it did not move the due date.")
                )
        if self.due_extension_days:
            days = unit(self.due_extension_days)
            if len(self.pauses) == 1:
                lines.append(Msg.gettext("The pause moves the due date out by %(days)s.", days=days))
            else:
                lines.append(Msg.gettext("The pauses move the due date out by %(days)s.", days=days))
        for d, reason in self.rolled_days:
            why = DayReason(d, reason)
            if self.day_kind == CALENDAR:
                lines.append(
                    Msg.gettext(
                        "The period cannot end on %(day)s (%(reason)s), so it runs on to the next day.",
                        day=d,
                        reason=why,
                    )
                )
            else:
                lines.append(
                    Msg.gettext("%(day)s is not a working day (%(reason)s), so it is not counted.", day=d, reason=why)
                )
        lines.append(Msg.gettext("It is due on %(day)s.", day=self.due_on))
        lines.append(self._outcome())
        return lines

    def explanation_lines(self, translator: Translator = ENGLISH) -> list[str]:
        """The explanation as sentences for an officer to read to a company (plain English by default)."""
        return [line.render(translator) for line in self.explanation()]

    def _outcome(self) -> Msg:
        if self.stopped_on is not None:
            why = _phrase(STOP_PHRASES, self.stopped_by or "")
            if self.state == "met":
                return Msg.gettext(
                    "It stopped on %(day)s, when %(event)s: the target was met.", day=self.stopped_on, event=why
                )
            late = (self.stopped_on - self.due_on).days
            return Msg.ngettext(
                "It stopped on %(day)s, when %(event)s: %(num)d day after the due date.",
                "It stopped on %(day)s, when %(event)s: %(num)d days after the due date.",
                late,
                day=self.stopped_on,
                event=why,
            )
        unit = _working_days if self.day_kind == WORKING else _calendar_days
        params = {"day": self.counted_to, "days": unit(self.elapsed_days), "target": self.target_days}
        if self.state == "paused":
            return Msg.gettext("As of %(day)s, %(days)s of %(target)d have run; the clock is paused.", **params)
        if self.state == "breached":
            return Msg.gettext(
                "As of %(day)s, %(days)s of %(target)d have run; the due date has passed, so the target is breached.",
                **params,
            )
        if self.state == "at_risk":
            return Msg.gettext("As of %(day)s, %(days)s of %(target)d have run; the target is at risk.", **params)
        return Msg.gettext("As of %(day)s, %(days)s of %(target)d have run; it is on track.", **params)


def _calendar_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d calendar day", "%(num)d calendar days", n)


def _hk_working_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d Hong Kong working day", "%(num)d Hong Kong working days", n)


def _working_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d working day", "%(num)d working days", n)


def _phrase(phrases: Mapping[str, str], key: str) -> Msg:
    # An unknown key (an inconsistent log) is shown as it is: the catalogue has no entry, so it stays untranslated.
    return Msg.gettext(phrases.get(key, key or STOPPED))


STOPPED = N_("it stopped")
CLOCK_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "review": N_("park review clock"),
        "quota": N_("ITC quota clock"),
        "visa": N_("ImmD visa clock"),
        "overall": N_("overall four-week clock"),
    }
)
START_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "submit": N_("the company submitted the case to the park"),
        "lodge_quota": N_("the quota application was lodged with the ITC"),
        "lodge_visa": N_("the visa application was lodged with the Immigration Department"),
    }
)
STOP_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "accept": N_("the park accepted the case"),
        "grant_quota": N_("the ITC granted the quota"),
        "issue_visa": N_("the Immigration Department issued the visa"),
        "reject": N_("the case was rejected"),
        "withdraw": N_("the case was withdrawn"),
    }
)
PARTY_PHRASES: Mapping[str, str] = MappingProxyType({"company": N_("the company"), "expert": N_("the expert")})


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

    # A pause extends the due date only if it began on or before the due date as it stood then.
    extension = 0
    extends: list[bool] = []
    due, rolled = _due(run.started_on, target, 0, cal)
    for (started, _, _), days in zip(run.pauses, pause_days, strict=True):
        counts = started <= due
        extends.append(counts)
        if counts and days:
            extension += len(days)
            due, rolled = _due(run.started_on, target, extension, cal)

    waiting = dict.fromkeys(workflow.WAITING_PARTIES, 0)
    paused_party_of: dict[date, str] = {}
    for (_, _, party), days in zip(run.pauses, pause_days, strict=True):
        for d in days:
            paused_party_of[d] = party
    for d in counted:
        owner = paused_party_of.get(d) or workflow.STAGE_OWNER.get(status_on(d), FALLBACK_OWNER)
        waiting[owner] = waiting.get(owner, 0) + 1

    elapsed = max(0, len(counted) - paused_total)
    is_running = run.stopped_on is None
    is_paused = is_running and bool(run.pauses) and run.pauses[-1][1] is None
    if not is_running:
        state = "met" if end <= due else "breached"
    elif is_paused:
        state = "paused"
    elif today > due:
        state = "breached"
    elif elapsed >= target.at_risk_ratio * target.target_days:
        state = "at_risk"
    else:
        state = "on_track"

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
    )


def _due(start: date, target: ClockTarget, paused: int, cal: HKCalendar) -> tuple[date, list[tuple[date, str]]]:
    if target.day_kind == CALENDAR:
        return calendar_due(start, target.target_days, paused, cal)
    due = working_due(start, target.target_days, paused, cal)
    return due, skipped_weekdays(start, due, cal)
