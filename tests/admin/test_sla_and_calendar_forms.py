"""SLA settings and calendar: a whole-number risk threshold, closure wording, year links within the shown range."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from talentcase.sla.models import ClosureDay, SlaPolicy

TARGETS = {
    "effective_from": "2026-09-21",
    "review_days": 3,
    "quota_days": 14,
    "visa_days": 14,
    "overall_days": 28,
    "at_risk_percent": 75,
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 9, 20), tick=False):
        yield


@pytest.mark.parametrize("value", ["75.5", "abc", "9", "100"])
def test_at_risk_threshold_must_be_a_whole_percentage(client, auth, people, db, value):
    auth.as_user(people["admin"])
    response = client.post("/admin/sla", data={**TARGETS, "at_risk_percent": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<a href="#at_risk_percent">Enter a whole number from 10 to 99, for example 75.</a>' in page
    assert db.session.query(SlaPolicy).count() == 0


def test_a_whole_percentage_is_saved_as_its_ratio(client, auth, people, db):
    auth.as_user(people["admin"])
    assert client.post("/admin/sla", data={**TARGETS, "at_risk_percent": "80"}).status_code == 302
    assert db.session.query(SlaPolicy).one().at_risk_ratio == pytest.approx(0.80)
    assert 'value="80"' in client.get("/admin/sla").get_data(as_text=True)


def test_a_closure_day_in_the_future_is_refused_in_plain_words(client, auth, people, db):
    auth.as_user(people["admin"])
    response = client.post("/admin/calendar", data={"day": "2026-09-21", "kind": "typhoon8"})
    assert response.status_code == 422
    assert '<a href="#day">A closure day cannot be in the future.</a>' in response.get_data(as_text=True)
    assert db.session.query(ClosureDay).count() == 0
    assert client.post("/admin/calendar", data={"day": "2026-09-20", "kind": "typhoon8"}).status_code == 302


@pytest.mark.parametrize(
    ("year", "previous", "following"),
    [(2018, False, True), (2017, False, True), (2019, True, True), (2100, True, False), (2200, True, False)],
)
def test_year_links_stay_within_the_years_shown(client, auth, people, year, previous, following):
    auth.as_user(people["admin"])
    page = client.get(f"/admin/calendar?year={year}").get_data(as_text=True)
    shown = min(max(year, 2018), 2100)
    assert f"General holidays in {shown}" in page
    assert ("Previous year" in page) is previous
    assert ("Next year" in page) is following
    if previous:
        assert f'href="/admin/calendar?year={shown - 1}"' in page
    if following:
        assert f'href="/admin/calendar?year={shown + 1}"' in page
