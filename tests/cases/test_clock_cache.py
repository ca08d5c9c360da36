"""The cached clock rows: always what a fresh recompute from the event log gives, readable in SQL on any later day,
and kept up to date when closure days are added or removed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from talentcase.cases import services, workflow
from talentcase.cases.models import Quota
from talentcase.sla import engine, queries
from talentcase.sla import services as sla
from talentcase.sla.models import CaseClock
from tests import factories
from tests.cases.helpers import act, make_case, walk_to

CACHED_COLUMNS = (
    "cycle",
    "target_days",
    "day_kind",
    "started_on",
    "due_on",
    "stopped_on",
    "elapsed_days",
    "paused_days",
    "is_running",
    "is_paused",
    "state",
)
# One app and database for all examples (each example uses a company of its own); no example database on disk.
PROFILE = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fresh(case, today: date) -> dict[str, engine.ClockResult]:
    """The clocks recomputed from the stored event log, as of today."""
    return sla.compute_for_case(case, today=today)


def _rows(db, case) -> dict[str, CaseClock]:
    db.session.expire_all()  # read what was written, not what is in memory
    return {row.name: row for row in db.session.scalars(select(CaseClock).where(CaseClock.case_id == case.id))}


def _sql_states(db, case, today: date) -> dict[str, str]:
    stmt = select(CaseClock.name, queries.current_state(today)).where(CaseClock.case_id == case.id)
    return dict(db.session.execute(stmt).all())


def _engine_states(case, today: date) -> dict[str, str]:
    return {name: result.state for name, result in _fresh(case, today).items()}


def _kind(action: str) -> str:
    if action in ("reject", "withdraw"):
        return "close"
    return "pause" if action in ("request_info", "provide_info") else "onward"


# --- the invariant ---------------------------------------------------------------------------------------------


@PROFILE
@given(data=st.data())
def test_cached_rows_equal_a_fresh_recompute_and_sql_agrees_with_the_engine_later(db, people, data):
    company = factories.CompanyFactory()
    hr = factories.UserFactory(role="hr", company=company)
    actors = {"hr": hr, "officer": people["officer"]}
    day = data.draw(st.dates(date(2025, 11, 1), date(2027, 6, 30)), label="opened_on")
    if data.draw(st.booleans(), label="holds a quota"):
        db.session.add(Quota(company=company, places=2, granted_on=day, valid_until=day + timedelta(days=700)))
    entered = day
    with time_machine.travel(entered, tick=False):
        case = make_case(company, opened_on=day)

    for _ in range(data.draw(st.integers(0, 14), label="events")):
        with time_machine.travel(entered, tick=False):
            options = [(action, role) for role in actors for action in services.allowed_actions(case, role)]
        if not options:
            break
        # Mostly onward along the main line, sometimes a pause, rarely closing: most histories reach the visa.
        groups = {
            kind: [option for option in options if _kind(option[0]) == kind] for kind in ("close", "pause", "onward")
        }
        wanted = "close" if (roll := data.draw(st.integers(0, 49))) == 0 else "pause" if roll <= 15 else "onward"
        options = groups[wanted] or groups["onward"] or groups["pause"] or options
        action, role = data.draw(st.sampled_from(sorted(set(options))), label="action")
        party = None
        if action == "request_info":
            party = "expert" if role == "hr" else data.draw(st.sampled_from(workflow.PARTIES), label="party")
        day += timedelta(days=data.draw(st.integers(0, 12), label="gap"))
        # Entered on the day or a few days late, never before something already entered.
        entered = max(entered, day + timedelta(days=data.draw(st.integers(0, 3), label="lag")))
        with time_machine.travel(entered, tick=False):
            services.take_action(
                case,
                action,
                role=role,
                actor=actors[role],
                occurred_on=day,
                note="Needed for the file.",
                party=party,
                detail={"quota_places": data.draw(st.integers(1, 3))} if action == "grant_quota" else None,
            )

    rows = _rows(db, case)
    fresh = _fresh(case, entered)
    calendar = sla.load_calendar()
    assert set(rows) == set(fresh)
    for name, row in rows.items():
        expected = fresh[name]
        assert {column: getattr(row, column) for column in CACHED_COLUMNS} == {
            column: getattr(expected, column) for column in CACHED_COLUMNS
        }, name
        assert row.at_risk_on == sla.at_risk_on(expected, calendar), name

    # Time moves on and nothing refreshes the rows: SQL still gives the state the engine computes for that day.
    for later in (0, 1, 2, 3, 5, 8, 11, 13, 15, 21, 29, 45):
        today = entered + timedelta(days=later)
        assert _sql_states(db, case, today) == _engine_states(case, today), today


# --- SQL over the cached rows as days go by -----------------------------------------------------------------------


def _walk_days(db, case, first: date, last: date) -> dict[str, list[str]]:
    """Each clock's SQL state for every day from first to last, checked against the engine on the same day."""
    seen: dict[str, list[str]] = {}
    day = first
    while day <= last:
        sql_states = _sql_states(db, case, day)
        assert sql_states == _engine_states(case, day), day
        for name, state in sql_states.items():
            if not seen.get(name) or seen[name][-1] != state:
                seen.setdefault(name, []).append(state)
        day += timedelta(days=1)
    return seen


def test_running_clocks_go_on_track_then_at_risk_then_breached_in_sql_as_in_the_engine(db, people, time_machine):
    time_machine.move_to(date(2026, 3, 6), tick=False)
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 6), people)  # a Friday
    rows = _rows(db, case)
    assert {name: (row.due_on, row.at_risk_on) for name, row in rows.items()} == {
        "review": (date(2026, 3, 11), date(2026, 3, 11)),  # the third working day, at risk on the day itself
        # 3 April is Good Friday, then Saturday and Sunday, then Easter Monday and the day after.
        "overall": (date(2026, 4, 8), date(2026, 3, 27)),
    }
    states = _walk_days(db, case, date(2026, 3, 6), date(2026, 4, 20))
    assert states == {"review": ["on_track", "at_risk", "breached"], "overall": ["on_track", "at_risk", "breached"]}
    assert {row.computed_on for row in _rows(db, case).values()} == {date(2026, 3, 6)}


def test_a_closed_pause_moves_the_at_risk_and_due_days_and_sql_follows(db, people, time_machine):
    time_machine.move_to(date(2026, 3, 13), tick=False)
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "quota", people, start=date(2026, 3, 1))  # quota lodged on Wednesday 4 March
    act(case, "request_info", date(2026, 3, 6), people, party="expert", note="Degree certificate, please.")
    act(case, "provide_info", date(2026, 3, 11), people)
    quota = _rows(db, case)["quota"]
    assert (quota.paused_days, quota.at_risk_on, quota.due_on) == (5, date(2026, 3, 20), date(2026, 3, 23))
    states = _walk_days(db, case, date(2026, 3, 13), date(2026, 3, 30))
    assert states["quota"] == ["on_track", "at_risk", "breached"]


def test_an_open_pause_stays_paused_in_sql_whatever_the_day(db, people, time_machine):
    time_machine.move_to(date(2026, 3, 9), tick=False)
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "visa", people, start=date(2026, 3, 2))
    act(case, "request_info", None, people, party="company", note="The signed contract, please.")
    states = _walk_days(db, case, date(2026, 3, 9), date(2026, 5, 1))
    assert states == {"review": ["met"], "quota": ["met"], "visa": ["paused"], "overall": ["paused"]}


def test_a_stopped_clock_keeps_its_state_in_sql(db, people, time_machine):
    time_machine.move_to(date(2026, 3, 20), tick=False)
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 2), people)
    act(case, "accept", date(2026, 3, 12), people)  # late
    act(case, "withdraw", date(2026, 3, 20), people)
    states = _walk_days(db, case, date(2026, 3, 20), date(2026, 5, 1))
    assert states == {"review": ["breached"], "overall": ["met"]}


# --- closure days ------------------------------------------------------------------------------------------------


@pytest.fixture
def three_cases(db, people, time_machine):
    """On Tuesday 10 March 2026: a review just started, a quota clock running, and a case already withdrawn."""
    time_machine.move_to(date(2026, 3, 10), tick=False)
    review = make_case(people["company_a"], opened_on=date(2026, 3, 9), email="review@candidate.test")
    act(review, "submit", date(2026, 3, 10), people)
    quota = make_case(people["company_a"], opened_on=date(2026, 2, 20), email="quota@candidate.test")
    act(quota, "submit", date(2026, 2, 23), people)
    act(quota, "accept", date(2026, 2, 24), people)
    act(quota, "lodge_quota", date(2026, 3, 2), people)
    done = make_case(people["company_a"], opened_on=date(2026, 2, 20), email="done@candidate.test")
    act(done, "submit", date(2026, 2, 23), people)
    act(done, "withdraw", date(2026, 2, 25), people)
    db.session.commit()
    time_machine.move_to(date(2026, 3, 11), tick=False)  # a day later, so a recompute shows in computed_on
    return {"review": review, "quota": quota, "done": done}


def _snapshot(db, cases: dict) -> dict[tuple[str, str], tuple]:
    return {
        (key, name): (row.due_on, row.at_risk_on, row.state, row.computed_on)
        for key, case in cases.items()
        for name, row in _rows(db, case).items()
    }


def test_the_starting_due_dates(db, three_cases):
    assert {key: due for key, (due, *_) in _snapshot(db, three_cases).items()} == {
        ("review", "review"): date(2026, 3, 13),
        ("review", "overall"): date(2026, 4, 8),
        ("quota", "review"): date(2026, 2, 26),
        ("quota", "quota"): date(2026, 3, 16),
        ("quota", "overall"): date(2026, 3, 23),
        ("done", "review"): date(2026, 2, 26),
        ("done", "overall"): date(2026, 3, 23),
    }


def test_a_closure_inside_a_working_day_clock_moves_it_and_recomputes_only_open_clocks_it_can_touch(db, three_cases):
    before = _snapshot(db, three_cases)
    row, updated = sla.add_closure_day(date(2026, 3, 12), "typhoon8", "Typhoon signal No. 8")
    assert updated == 2  # the review and quota cases; the withdrawn case keeps the results it closed with
    after = _snapshot(db, three_cases)
    assert after[("review", "review")][:2] == (date(2026, 3, 16), date(2026, 3, 16))
    # A calendar period rolls only when it would end on a closure, so the quota clock's dates stay.
    assert after[("quota", "quota")][:2] == before[("quota", "quota")][:2]
    assert {key for key, value in after.items() if value[3] == date(2026, 3, 11)} == {
        (key, name)
        for key, name in after
        if key != "done"  # every clock of the two open cases
    }
    for case in (three_cases["review"], three_cases["quota"]):  # every cached column is what a fresh recompute gives
        for name, cached in _rows(db, case).items():
            assert cached.due_on == _fresh(case, date(2026, 3, 11))[name].due_on

    assert sla.remove_closure_day(row) == 2
    restored = _snapshot(db, three_cases)
    assert {key: value[:3] for key, value in restored.items()} == {key: value[:3] for key, value in before.items()}


def test_a_closure_on_the_last_day_of_a_calendar_clock_rolls_its_due_date(db, three_cases):
    before = _snapshot(db, three_cases)
    row, updated = sla.add_closure_day(date(2026, 3, 16), "black_rainstorm")
    assert updated == 2
    after = _snapshot(db, three_cases)
    assert after[("quota", "quota")][0] == date(2026, 3, 17)
    assert after[("review", "review")][0] == before[("review", "review")][0]  # 16 March is after its due date
    sla.remove_closure_day(row)
    assert _snapshot(db, three_cases)[("quota", "quota")][0] == date(2026, 3, 16)


def test_a_stopped_clock_of_an_open_case_is_recomputed_as_the_case_page_shows_it(db, three_cases):
    before = _snapshot(db, three_cases)
    _, updated = sla.add_closure_day(date(2026, 2, 25), "typhoon8")
    # The quota case: its overall clock runs, and its review (stopped on 24 February) was due on the 26th. The review
    # case started after the day; the withdrawn case keeps the results it closed with.
    assert updated == 1
    after = _snapshot(db, three_cases)
    assert after[("review", "review")] == before[("review", "review")]
    assert after[("done", "review")] == before[("done", "review")]
    # A working-day clock counts its days past the closure: due a day later, still met, as the engine now says.
    assert after[("quota", "review")][:3] == (date(2026, 2, 27), date(2026, 2, 27), "met")
    fresh = _fresh(three_cases["quota"], date(2026, 3, 11))
    for name, cached in _rows(db, three_cases["quota"]).items():
        assert (cached.due_on, cached.state) == (fresh[name].due_on, fresh[name].state), name


@pytest.mark.parametrize("day", [date(2026, 2, 10), date(2026, 2, 20)])
def test_a_closure_on_a_day_with_no_running_clock_changes_nothing(db, three_cases, day):
    before = _snapshot(db, three_cases)
    _, updated = sla.add_closure_day(day, "typhoon8")
    assert updated == 0
    assert _snapshot(db, three_cases) == before


def test_a_closure_day_is_recorded_once(db, three_cases):
    sla.add_closure_day(date(2026, 3, 12), "typhoon8")
    with pytest.raises(ValueError, match="already recorded"):
        sla.add_closure_day(date(2026, 3, 12), "black_rainstorm")
    with pytest.raises(ValueError, match="unknown closure kind"):
        sla.add_closure_day(date(2026, 3, 13), "heatwave")
