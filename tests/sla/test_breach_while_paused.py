"""A pause never hides a breach: a running clock past its due date reads `breached` in the engine, in the cached
clock rows after a refresh and in the SQL state over those rows, whether or not it waits for information."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from talentcase.cases import services
from talentcase.sla import queries
from talentcase.sla import services as sla
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import Event, compute_clocks
from talentcase.sla.models import CaseClock
from tests import factories
from tests.cases.helpers import ROLE_OF, make_case
from tests.sla.test_engine_properties import case_logs

CAL = HKCalendar()
ENGINE_PROFILE = settings(deadline=None, max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
# One app and database for all examples (each example uses a company of its own); no example database on disk.
DB_PROFILE = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ONWARD = {"review": "accept", "quota_prep": "lodge_quota", "quota": "grant_quota", "visa_prep": "lodge_visa"}


def _assert_the_rule(results, today: date) -> None:
    for name, clock in results.items():
        if clock.is_running and clock.due_on < today:
            assert clock.state == "breached", (name, clock)
        if clock.state == "paused":
            assert clock.is_paused and clock.due_on >= today, (name, clock)


@ENGINE_PROFILE
@given(events=case_logs(), extra=st.integers(0, 40))
def test_the_engine_reads_breached_past_the_due_date_paused_or_not(events: list[Event], extra: int) -> None:
    today = (events[-1].occurred_on if events else date(2025, 6, 1)) + timedelta(days=extra)
    _assert_the_rule(compute_clocks(events, today=today, calendar=CAL), today)


@ENGINE_PROFILE
@given(events=case_logs(), extra=st.integers(0, 40), later=st.integers(1, 60))
def test_a_clock_whose_pause_moves_its_due_date_is_never_breached_while_the_pause_lasts(
    events: list[Event], extra: int, later: int
) -> None:
    today = (events[-1].occurred_on if events else date(2025, 6, 1)) + timedelta(days=extra)
    for name, clock in compute_clocks(events, today=today, calendar=CAL).items():
        if clock.is_paused and clock.pauses[-1].extends_due:
            assert clock.state == "paused", (name, clock)
            after = compute_clocks(events, today=today + timedelta(days=later), calendar=CAL)[name]
            assert after.state == "paused" and after.due_on >= today + timedelta(days=later), (name, after)


def _rows(db, case) -> dict[str, CaseClock]:
    db.session.expire_all()  # read what was written, not what is in memory
    return {row.name: row for row in db.session.scalars(select(CaseClock).where(CaseClock.case_id == case.id))}


def _sql_states(db, case, today: date) -> dict[str, str]:
    stmt = select(CaseClock.name, queries.current_state(today)).where(CaseClock.case_id == case.id)
    return dict(db.session.execute(stmt).all())


@DB_PROFILE
@given(data=st.data())
def test_cached_rows_and_sql_read_breached_past_the_due_date_paused_or_not(db, people, data):
    company = factories.CompanyFactory()
    hr = factories.UserFactory(role="hr", company=company)
    actors = {"hr": hr, "officer": people["officer"]}
    day = data.draw(st.dates(date(2025, 11, 1), date(2027, 6, 30)), label="opened_on")
    with time_machine.travel(day, tick=False):
        case = make_case(company, opened_on=day)
        services.take_action(case, "submit", role="hr", actor=hr, occurred_on=day)
    for _ in range(data.draw(st.integers(0, 8), label="events")):
        # Information asked and given at random gaps, sometimes long after a due date, and now and then a step on.
        if case.is_paused:
            action = "provide_info"
        elif data.draw(st.integers(0, 2), label="onward") == 0 and case.status in ONWARD:
            action = ONWARD[case.status]
        else:
            action = "request_info"
        role = "hr" if action == "provide_info" else ROLE_OF.get(action, "officer")
        if action not in services.allowed_actions(case, role):
            break
        party = data.draw(st.sampled_from(("company", "expert")), label="party") if action == "request_info" else None
        day += timedelta(days=data.draw(st.integers(0, 20), label="gap"))
        with time_machine.travel(day, tick=False):
            services.take_action(
                case, action, role=role, actor=actors[role], occurred_on=day, note="The signed contract.", party=party
            )
    today = day + timedelta(days=data.draw(st.integers(0, 40), label="today"))

    results = sla.refresh_clocks(case, today=today)
    _assert_the_rule(results, today)
    rows = _rows(db, case)
    for name, result in results.items():
        assert (rows[name].state, rows[name].is_paused) == (result.state, result.is_paused), name
    assert _sql_states(db, case, today) == {name: result.state for name, result in results.items()}

    # Time moves on and nothing refreshes the rows: SQL still gives the state the engine computes for that day.
    for later in (1, 2, 3, 7, 15, 30):
        on = today + timedelta(days=later)
        fresh = sla.compute_for_case(case, today=on)
        _assert_the_rule(fresh, on)
        assert _sql_states(db, case, on) == {name: result.state for name, result in fresh.items()}, on
