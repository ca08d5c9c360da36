"""Properties of the clock engine over random but valid case histories on the real Hong Kong calendar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcase.cases import workflow
from talentcase.cases.workflow import CaseState, allowed_actions
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import ClockResult, Event, compute_clocks, count_working_days, replay_status

CAL = HKCalendar()
ACTING_ROLES = ("hr", "officer", "expert")

# No example database: the suite should leave nothing behind in the working tree.
PROFILE = settings(deadline=None, max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def case_logs(draw: st.DrawFn, *, with_pauses: bool = True) -> list[Event]:
    """A history the workflow accepts: random actions with gaps of 0-12 days, from 2025 to 2028."""
    day = draw(st.dates(date(2025, 6, 1), date(2028, 6, 30)))
    parallel = draw(st.booleans())
    state = CaseState()
    events: list[Event] = []
    for _ in range(draw(st.integers(0, 14))):
        possible = {a for role in ACTING_ROLES for a in allowed_actions(state, role, parallel_allowed=parallel)}
        if not with_pauses:
            possible -= {"request_info", "provide_info"}
        if not possible:
            break
        # Ending the case is drawn rarely so that most histories get as far as the quota and visa stages.
        onward = possible - {"reject", "withdraw"}
        if onward and draw(st.integers(0, 9)) > 0:
            possible = onward
        action = draw(st.sampled_from([a for a in workflow.ACTIONS if a in possible]))
        party = draw(st.sampled_from(workflow.PARTIES)) if action == "request_info" else None
        quota_available = draw(st.booleans()) if action == "accept" else False
        day += timedelta(days=draw(st.integers(0, 12)))
        state = workflow.advance(state, action, party=party, quota_available=quota_available, parallel_allowed=parallel)
        events.append(Event(action, day, party, state.status))
    return events


def _today(events: list[Event], extra: int) -> date:
    return (events[-1].occurred_on if events else date(2025, 6, 1)) + timedelta(days=extra)


closure_days = st.lists(st.dates(date(2025, 6, 1), date(2029, 3, 31)), max_size=6)


@PROFILE
@given(events=case_logs(), extra=st.integers(0, 40), which=st.integers(0, 1000))
def test_a_pause_never_brings_a_due_date_earlier(events: list[Event], extra: int, which: int) -> None:
    asks = [i for i, e in enumerate(events) if e.action == "request_info"]
    if not asks:
        return
    ask = asks[which % len(asks)]
    answer = next((i for i in range(ask + 1, len(events)) if events[i].action == "provide_info"), None)
    without = [e for i, e in enumerate(events) if i not in (ask, answer)]
    today = _today(events, extra)
    with_pause = compute_clocks(events, today=today, calendar=CAL)
    no_pause = compute_clocks(without, today=today, calendar=CAL)
    assert with_pause.keys() == no_pause.keys()
    for name, clock in with_pause.items():
        assert clock.due_on >= no_pause[name].due_on


@PROFILE
@given(events=case_logs(), extra=st.integers(0, 40), closures=closure_days)
def test_a_closure_day_never_brings_a_due_date_earlier(events: list[Event], extra: int, closures: list[date]) -> None:
    today = _today(events, extra)
    plain = compute_clocks(events, today=today, calendar=CAL)
    closed = compute_clocks(events, today=today, calendar=HKCalendar(dict.fromkeys(closures, "Typhoon signal 8")))
    for name, clock in closed.items():
        assert clock.due_on >= plain[name].due_on


@PROFILE
@given(events=case_logs(), cut=st.integers(0, 14), extra=st.integers(0, 20), later=st.integers(0, 400))
def test_a_stopped_clock_never_changes(events: list[Event], cut: int, extra: int, later: int) -> None:
    prefix = events[: min(cut, len(events))]
    today = _today(prefix, extra)
    then = compute_clocks(prefix, today=today, calendar=CAL)
    # Today moves on, and the rest of the history is appended.
    moved_on = compute_clocks(prefix, today=today + timedelta(days=later), calendar=CAL)
    full = compute_clocks(events, today=max(today, _today(events, 0)) + timedelta(days=later), calendar=CAL)
    for name, clock in then.items():
        if not clock.is_running:
            assert moved_on[name] == clock
            assert full[name] == clock
            assert full[name].explanation_lines() == clock.explanation_lines()


@PROFILE
@given(events=case_logs(), extra=st.integers(0, 40), closures=closure_days)
def test_recomputing_gives_the_same_result(events: list[Event], extra: int, closures: list[date]) -> None:
    today = _today(events, extra)
    reasons = dict.fromkeys(closures, "Black rainstorm warning")
    first = compute_clocks(events, today=today, calendar=HKCalendar(reasons))
    second = compute_clocks(list(events), today=today, calendar=HKCalendar(reasons))
    assert first == second
    assert [c.explanation_lines() for c in first.values()] == [c.explanation_lines() for c in second.values()]
    assert replay_status(events) == replay_status(events)


def _counted_days(clock: ClockResult, cal: HKCalendar) -> int:
    if clock.day_kind == "calendar":
        return max(0, (clock.counted_to - clock.started_on).days)
    return count_working_days(clock.started_on, clock.counted_to, cal)


@PROFILE
@given(events=case_logs(), extra=st.integers(0, 60), closures=closure_days)
def test_the_waiting_split_sums_to_the_counted_days(events: list[Event], extra: int, closures: list[date]) -> None:
    cal = HKCalendar(dict.fromkeys(closures, "Typhoon signal 8"))
    for clock in compute_clocks(events, today=_today(events, extra), calendar=cal).values():
        assert set(clock.waiting) == set(workflow.WAITING_PARTIES)
        assert all(days >= 0 for days in clock.waiting.values())
        assert sum(clock.waiting.values()) == clock.elapsed_days + clock.paused_days == _counted_days(clock, cal)
        assert clock.paused_days == sum(p.days for p in clock.pauses)
        assert clock.waiting["company"] + clock.waiting["expert"] >= clock.paused_days
        assert clock.elapsed_days >= 0


@PROFILE
@given(events=case_logs(), extra=st.integers(0, 60))
def test_states_follow_the_rules(events: list[Event], extra: int) -> None:
    today = _today(events, extra)
    for clock in compute_clocks(events, today=today, calendar=CAL).values():
        assert clock.due_on > clock.started_on
        if not clock.is_running:
            assert clock.state == ("met" if clock.stopped_on <= clock.due_on else "breached")
        elif today > clock.due_on:
            assert clock.state == "breached"  # paused or not: a pause never hides a breach
        elif clock.is_paused:
            assert clock.state == "paused"
        else:
            assert clock.state in ("at_risk", "on_track")
        assert replay_status(events).status == (events[-1].to_status if events else "draft")
