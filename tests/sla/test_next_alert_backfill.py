"""Migration c7e9a1b3d5f7: clocks already running when alerting arrived get their next alert day (QA: upgraded
databases raised no alert for them)."""

from __future__ import annotations

from datetime import date

import time_machine
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, update

from config import TestingConfig
from talentcase import create_app
from talentcase.accounts import services as accounts
from talentcase.extensions import db as _db
from talentcase.sla import sweep
from talentcase.sla.models import CaseClock, SlaAlert
from tests.api import make_case

BEFORE = "b4d6f8a0c2e4"


def _next(case_id: int) -> dict[str, tuple]:
    return {
        name: (day, code)
        for name, day, code in _db.session.execute(
            select(CaseClock.name, CaseClock.next_alert_on, CaseClock.next_alert_threshold).where(
                CaseClock.case_id == case_id, CaseClock.is_running.is_(True)
            )
        )
    }


def test_running_clocks_get_the_next_alert_day_they_lacked_and_then_raise(empty_database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context(), time_machine.travel(date(2026, 3, 10), tick=False):
        upgrade()
        company = accounts.create_company("Running Clocks Limited", br_number="12345678", br_expiry_on=date(2028, 1, 1))
        # Submitted 2 March: review (3 working days) and overall (28 days) running; accepted cases run quota_prep.
        fresh = make_case(company, steps=[("submit", date(2026, 3, 2))])
        half = make_case(company, steps=[("submit", date(2026, 3, 2))], passport_number="E9000002")
        _db.session.commit()
        expected = {case.id: _next(case.id) for case in (fresh, half)}
        assert all(day for case in expected.values() for day, _code in case.values())
        # What the sweep had raised for one clock before; the upgrade must skip it.
        overall = expected[half.id]["overall"]
        _db.session.add(
            SlaAlert(
                case_id=half.id,
                clock_name="overall",
                cycle=1,
                threshold=overall[1],
                threshold_on=overall[0],
                due_on=date(2026, 3, 30),
            )
        )
        # As an upgrade from before alerting left them: no next day on any clock.
        _db.session.execute(update(CaseClock).values(next_alert_on=None, next_alert_threshold=None))
        _db.session.commit()
        assert sweep.sweep(date(2026, 3, 10)).alerts_raised == 0  # nothing raises: what QA saw

        downgrade(revision=BEFORE)  # nothing to undo
        upgrade()

        _db.session.expire_all()
        assert _next(fresh.id) == expected[fresh.id]
        after = _next(half.id)
        assert after["review"] == expected[half.id]["review"]
        assert after["overall"] != overall and after["overall"][0] >= overall[0]  # the next one not yet alerted
        assert sweep.sweep(date(2026, 3, 10)).alerts_raised > 0  # the review clocks crossed their days: they raise now
        upgrade()  # again: changes nothing
        _db.session.remove()
        _db.engine.dispose()
