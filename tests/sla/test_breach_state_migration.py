"""Migration 597516dacdf3: clock rows cached as "paused" although their pause began after the due date read
"breached" after the upgrade (a pause never hides a breach); a pause that moves the due date stays "paused"."""

from __future__ import annotations

from datetime import date

import time_machine
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from config import TestingConfig
from talentcase import create_app
from talentcase.accounts import services as accounts
from talentcase.extensions import db as _db
from talentcase.sla.models import CaseClock
from tests.api import make_case

BEFORE = "2fd08c2efc9a"


def _states(case_id: int) -> dict[str, str]:
    _db.session.expire_all()
    stmt = select(CaseClock.name, CaseClock.state).where(CaseClock.case_id == case_id)
    states = dict(_db.session.execute(stmt).all())
    _db.session.commit()  # ends the read: on PostgreSQL its lock would hold off the migration's index change
    return states


def test_paused_rows_past_their_due_date_become_breached(empty_database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context(), time_machine.travel(date(2026, 3, 20), tick=False):
        upgrade()
        company = accounts.create_company("Paused Clocks Limited", br_number="12345678", br_expiry_on=date(2028, 1, 1))
        # Review due Thursday 19 March: asked on the 20th (late) in one case, on the 18th (in time) in the other.
        late = make_case(company, steps=[("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 20), "company")])
        in_time = make_case(
            company,
            steps=[("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 18), "expert")],
            passport_number="E9000002",
        )
        _db.session.commit()
        late_id, in_time_id = late.id, in_time.id  # plain ids: the models may have columns the old schema lacks
        assert _states(late_id) == {"review": "breached", "overall": "paused"}

        downgrade(revision=BEFORE)  # as the rows were cached before
        assert _states(late_id) == {"review": "paused", "overall": "paused"}
        upgrade()
        assert _states(late_id) == {"review": "breached", "overall": "paused"}
        assert _states(in_time_id) == {"review": "paused", "overall": "paused"}
        upgrade()  # again: changes nothing
        assert _states(late_id) == {"review": "breached", "overall": "paused"}
        _db.session.remove()
        _db.engine.dispose()
