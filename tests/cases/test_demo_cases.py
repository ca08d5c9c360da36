"""`flask demo seed` with the cases seeder: about 80 cases in every state, real clocks, and nothing doubled."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

import talentcase.cases.demo as cases_demo
from talentcase.cases import workflow
from talentcase.cases.models import Case, CaseEvent, EligibilityOverride, Quota
from talentcase.demo import SEEDERS
from talentcase.sla import engine, queries
from talentcase.sla import services as sla
from talentcase.sla.models import CaseClock, ClosureDay

# A hire holds a place from the quota step (or a free place at accept) until it closes; the visa uses it.
PLACE_BY_STATUS = {"visa_prep": "reserved", "visa": "reserved", "approved": "used", "arrived": "used"}
TABLES = (Case, CaseEvent, Quota, CaseClock, ClosureDay, EligibilityOverride)


def _counts(db) -> dict[str, int]:
    return {table.__name__: db.session.scalar(select(func.count()).select_from(table)) for table in TABLES}


def _seed(runner) -> None:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Demo data ready" in result.output


def test_the_seeder_is_registered():
    assert SEEDERS.count(cases_demo.seed_cases) == 1


# 27 November 2026 is a Friday; 10 February 2026 puts the submissions on both sides of the 2025-12-24 rules.
@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2026, 2, 10)])
def test_demo_seed_makes_about_80_cases_in_every_state_and_running_it_again_adds_nothing(db, runner, today):
    with time_machine.travel(today, tick=False):
        _seed(runner)
        first = _counts(db)
        _seed(runner)
        assert _counts(db) == first
        cases = db.session.scalars(select(Case)).all()

        assert 75 <= len(cases) <= 85
        assert all(case.email.endswith("@demo-expert.example") for case in cases)
        statuses = Counter(case.status for case in cases)
        assert set(statuses) == set(workflow.STATES)
        paused = Counter(case.paused_party for case in cases if case.is_paused)
        assert paused["company"] >= 2 and paused["expert"] >= 2
        assert len({case.company_id for case in cases}) == 8
        assert {"IN", "GB", "US", "FR", "DE", "CN", "SG", "AU", "CA", "KR", "JP"} <= {c.nationality for c in cases}
        assert any(case.chinese_name and case.is_mainland_resident for case in cases)
        assert all(30000 <= case.monthly_salary_hkd <= 120000 for case in cases)

        state = queries.current_state(today).label("state")
        by_state = Counter(dict(db.session.execute(select(state, func.count()).group_by(state)).all()))
        assert all(by_state[name] >= 1 for name in engine.CLOCK_STATES), by_state

        events = db.session.scalars(select(CaseEvent)).all()
        assert min(case.opened_on for case in cases) >= today - timedelta(weeks=10)
        assert max(event.occurred_on for event in events) <= today
        assert {event.actor_role for event in events} == {"hr", "officer"}
        assert all(event.actor_id is not None for event in events)
        moves = Counter((event.action, event.to_status) for event in events)
        assert moves[("accept", "visa_prep")] >= 1 and moves[("accept", "quota_prep")] >= 1
        assert db.session.scalar(select(func.max(Quota.places))) >= 2
        closures = db.session.scalars(select(ClosureDay)).all()
        assert len(closures) == 2 and {closure.kind for closure in closures} == {"typhoon8"}
        assert all(today - timedelta(weeks=10) <= closure.day < today for closure in closures)
        assert db.session.scalar(select(func.count()).select_from(EligibilityOverride)) >= 1

        # The cached clocks are what the event log gives, and no quota gives more places than it has.
        calendar = sla.load_calendar()
        for case in cases:
            fresh = sla.compute_for_case(case, today=today, calendar=calendar)
            assert {row.name: (row.due_on, row.state) for row in case.clocks} == {
                name: (result.due_on, result.state) for name, result in fresh.items()
            }, case.reference
            assert case.quota_place == PLACE_BY_STATUS.get(case.status), case.reference
        for quota in db.session.scalars(select(Quota)):
            taken = db.session.scalar(
                select(func.count()).where(Case.quota_id == quota.id, Case.quota_place.in_(("reserved", "used")))
            )
            assert taken <= quota.places
