"""An officer records their own absence and who covers for them, from the console."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from talentcase.cases.ownership_models import CoverPeriod
from tests import factories


def test_an_officer_records_their_own_cover_and_sees_it(db, client, auth, people):
    colleague = factories.UserFactory(role="officer", name="Colleague Officer")
    db.session.commit()
    auth.as_user(people["officer"])
    assert 'href="/officers/away"' in client.get("/officers/").get_data(as_text=True)
    form = client.get("/officers/away").get_data(as_text=True)
    assert 'name="covered_by"' in form and 'name="officer"' not in form  # only for themself
    data = {"covered_by": colleague.id, "starts_on": "2026-03-23", "ends_on": "2026-03-27", "officer": colleague.id}
    assert client.post("/officers/away", data=data).status_code == 302
    period = db.session.scalars(select(CoverPeriod)).one()
    assert (period.officer_id, period.covered_by_id) == (people["officer"].id, colleague.id)
    assert (period.starts_on, period.ends_on) == (date(2026, 3, 23), date(2026, 3, 27))
    assert "Colleague Officer" in client.get("/officers/away").get_data(as_text=True)


def test_a_wrong_cover_comes_back_with_the_reason_and_hr_cannot_reach_it(db, client, auth, people):
    auth.as_user(people["officer"])
    response = client.post(
        "/officers/away", data={"covered_by": people["officer"].id, "starts_on": "2026-03-23", "ends_on": "2026-03-27"}
    )
    assert response.status_code == 422
    assert "cannot cover for themself" in response.get_data(as_text=True)
    assert 'value="2026-03-23"' in response.get_data(as_text=True)
    auth.as_user(people["hr_a"])
    assert client.get("/officers/away").status_code == 403
    assert db.session.scalars(select(CoverPeriod)).all() == []
