"""Expected dates where people look: the case JSON, the case page, the travel time HR set, history from the demo."""

from __future__ import annotations

from datetime import date, timedelta

from talentcase.cases.demo_history import journeys
from talentcase.sla import forecasting
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.forecast import Journey
from talentcase.sla.models import CaseForecast, CaseJourney
from tests.api import TODAY, make_case

SUBMITTED_ON = TODAY - timedelta(days=3)


def _submitted(db, people):
    case = make_case(people["company_a"], opened_on=SUBMITTED_ON, steps=[("submit", SUBMITTED_ON)])
    db.session.commit()
    return case


def test_the_case_json_has_a_forecast_once_submitted_and_none_as_a_draft(db, people, frozen, api):
    draft = make_case(people["company_a"])
    db.session.commit()
    assert api("hr_a", "get", f"/api/v1/cases/{draft.id}").get_json()["forecast"] is None
    case = _submitted(db, people)
    forecast = api("hr_a", "get", f"/api/v1/cases/{case.id}").get_json()["forecast"]
    assert forecast["cases_used"] == 0 and "pledge targets" in forecast["basis"]
    visa, start = forecast["visa_issued_on"], forecast["start_on"]
    assert date.fromisoformat(start["median"]) - date.fromisoformat(visa["median"]) == timedelta(days=14)
    assert set(visa) == {"median", "low", "high"}
    listed = api("officer", "get", "/api/v1/cases").get_json()["items"]
    assert {item["id"]: item["forecast"] is not None for item in listed} == {draft.id: False, case.id: True}


def test_with_history_the_forecast_says_how_many_past_cases(db, people, frozen, api, auth, client):
    cal = HKCalendar()
    for journey in journeys(5, TODAY - timedelta(days=700), TODAY - timedelta(days=90), 200, cal):
        db.session.add(forecasting.store_journey(journey, CaseJourney()))
    case = _submitted(db, people)
    forecast = api("hr_a", "get", f"/api/v1/cases/{case.id}").get_json()["forecast"]
    assert forecast["cases_used"] >= 20 and "past cases" in forecast["basis"]
    visa = forecast["visa_issued_on"]
    assert visa["low"] <= visa["median"] <= visa["high"] and visa["low"] < visa["high"]
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "80 % likely between" in page and "past cases" in page


def test_the_forecast_follows_the_events_and_ends_when_the_visa_is_issued(db, people, frozen):
    case = _submitted(db, people)
    assert db.session.get(CaseForecast, case.id).quota_done is False
    steps = [("accept", TODAY), ("lodge_quota", TODAY), ("grant_quota", TODAY), ("lodge_visa", TODAY)]
    case = make_case(people["company_b"], opened_on=SUBMITTED_ON, steps=[("submit", SUBMITTED_ON), *steps])
    db.session.commit()
    row = db.session.get(CaseForecast, case.id)
    assert row.quota_done and row.quota_median_on == TODAY and not row.visa_done


def test_hr_sees_expected_dates_on_the_case_page_and_sets_the_travel_time(db, people, frozen, auth, client):
    case = _submitted(db, people)
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Expected dates" in page and "Expected start" in page and "Change the travel time" in page
    before = db.session.get(CaseForecast, case.id).start_median_on
    refused = client.post(f"/cases/{case.id}/travel-days", data={"travel_days": "-3"})
    assert refused.status_code == 422 and "from 0 to 180" in refused.get_data(as_text=True)
    assert client.post(f"/cases/{case.id}/travel-days", data={"travel_days": "30"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseForecast, case.id).start_median_on == before + timedelta(days=16)


def test_only_hr_of_the_company_set_the_travel_time(db, people, frozen, auth, client):
    case = _submitted(db, people)
    auth.as_user(people["officer"])
    assert "Change the travel time" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert client.post(f"/cases/{case.id}/travel-days", data={"travel_days": "30"}).status_code == 403
    auth.as_user(people["hr_b"])
    assert client.post(f"/cases/{case.id}/travel-days", data={"travel_days": "30"}).status_code == 404


def test_hr_sees_the_expected_start_in_their_list(db, people, frozen, auth, client):
    case = _submitted(db, people)
    auth.as_user(people["hr_a"])
    page = client.get("/cases/").get_data(as_text=True)
    start = db.session.get(CaseForecast, case.id).start_median_on
    assert "Expected start" in page and f"{start.day} {start.strftime('%b')} {start.year}" in page


def _slow_history(db, count: int = 25) -> None:
    """Past cases that took about nine weeks from submission to visa: a forecast from them passes four weeks."""
    for i in range(count):
        submitted = TODAY - timedelta(days=400 - 7 * i)
        milestones = {"submitted": submitted, "visa_issued": submitted + timedelta(days=60 + i % 5)}
        journey = Journey("HKSTP", "2025-12-24", milestones, (), None)
        db.session.add(forecasting.store_journey(journey, CaseJourney()))
    db.session.flush()


def test_the_console_lists_cases_likely_to_breach_before_they_are_at_risk(db, people, frozen, auth, client):
    _slow_history(db)
    likely = _submitted(db, people)
    auth.as_user(people["officer"])
    page = client.get("/officers/").get_data(as_text=True)
    section = page[page.index('id="likely-to-breach"') :][:3000]
    assert likely.reference in section
    row = db.session.get(CaseForecast, likely.id)
    assert row.cases_used == 25 and row.visa_median_on > TODAY + timedelta(days=25)


def test_the_console_says_so_when_no_case_is_likely_to_breach(db, people, frozen, auth, client):
    _submitted(db, people)  # the pledge: on time by definition
    auth.as_user(people["officer"])
    page = client.get("/officers/").get_data(as_text=True)
    assert "No case on track is expected to miss its four-week target." in page
