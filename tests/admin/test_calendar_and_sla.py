"""Admin: closure days move due dates of open clocks; SLA targets apply to clocks that start afterwards."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from talentcase.cases import services
from talentcase.sla.models import ClosureDay, SlaPolicy
from tests.admin import VALUES


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 9, 20), tick=False):
        yield


def _case_in_quota(db, people, lodged_on: date):
    case = services.open_case(people["company_a"], VALUES, opened_on=date(2026, 9, 1))
    services.take_action(case, "submit", role="hr", occurred_on=date(2026, 9, 1))
    services.take_action(case, "accept", role="officer", occurred_on=date(2026, 9, 1))
    services.take_action(case, "lodge_quota", role="hr", occurred_on=lodged_on)
    db.session.commit()
    return case


def test_admin_records_a_typhoon_closure_and_the_due_date_moves(client, auth, people, db):
    case = _case_in_quota(db, people, date(2026, 9, 1))  # quota due 15 Sep 2026 (a Tuesday)
    assert case.clock_map["quota"].due_on == date(2026, 9, 15)
    auth.as_user(people["admin"])
    response = client.post("/admin/calendar", data={"day": "2026-09-15", "kind": "typhoon8", "note": "Typhoon Ragasa"})
    assert response.status_code == 302
    assert "1 open case" in client.get("/admin/calendar").get_data(as_text=True)
    db.session.refresh(case)
    assert case.clock_map["quota"].due_on == date(2026, 9, 16)
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "(Typhoon signal 8 or above — Typhoon Ragasa)" in page

    auth.as_user(people["admin"])
    closure = db.session.query(ClosureDay).one()
    assert client.post(f"/admin/calendar/{closure.id}/delete", data={"confirm": "yes"}).status_code == 302
    db.session.refresh(case)
    assert case.clock_map["quota"].due_on == date(2026, 9, 15)


def test_closure_form_refuses_future_and_duplicate_days(client, auth, people, db):
    auth.as_user(people["admin"])
    response = client.post("/admin/calendar", data={"day": "2026-10-01", "kind": "typhoon8"})
    assert response.status_code == 422
    assert "A closure day cannot be in the future." in response.get_data(as_text=True)
    assert client.post("/admin/calendar", data={"day": "2026-09-10", "kind": "black_rainstorm"}).status_code == 302
    response = client.post("/admin/calendar", data={"day": "2026-09-10", "kind": "typhoon8"})
    assert response.status_code == 422
    assert "already recorded" in response.get_data(as_text=True)
    assert db.session.query(ClosureDay).count() == 1


def test_calendar_page_lists_the_general_holidays(client, auth, people):
    auth.as_user(people["admin"])
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "Good Friday" in page
    assert "Lunar New Year" in page


def test_new_sla_targets_apply_only_to_clocks_that_start_afterwards(client, auth, people, db):
    running = _case_in_quota(db, people, date(2026, 9, 10))
    started_today = services.open_case(people["company_a"], VALUES, opened_on=date(2026, 9, 20))
    services.take_action(started_today, "submit", role="hr", occurred_on=date(2026, 9, 20))
    db.session.commit()
    auth.as_user(people["admin"])
    assert 'value="2026-09-21"' in client.get("/admin/sla").get_data(as_text=True)  # tomorrow, the earliest
    response = client.post(
        "/admin/sla",
        data={
            "effective_from": "2026-09-21",
            "review_days": 2,
            "quota_days": 10,
            "visa_days": 10,
            "overall_days": 21,
            "at_risk_percent": 80,
        },
    )
    assert response.status_code == 302
    assert db.session.query(SlaPolicy).count() == 1
    # Recompute the running clocks: their targets stay those they started with, even one that started today.
    from talentcase.sla.services import refresh_clocks

    refresh_clocks(running)
    refresh_clocks(started_today)
    assert running.clock_map["quota"].target_days == 14
    assert started_today.clock_map["review"].target_days == 3
    with time_machine.travel(date(2026, 9, 21), tick=False):
        fresh = services.open_case(people["company_a"], VALUES, opened_on=date(2026, 9, 21))
        services.take_action(fresh, "submit", role="hr", occurred_on=date(2026, 9, 21))
    assert fresh.clock_map["overall"].target_days == 21
    assert fresh.clock_map["review"].target_days == 2


def test_sla_targets_cannot_start_today_when_clocks_may_have_started_already(client, auth, people, db):
    auth.as_user(people["admin"])
    response = client.post(
        "/admin/sla",
        data={
            "effective_from": "2026-09-20",
            "review_days": 5,
            "quota_days": 14,
            "visa_days": 14,
            "overall_days": 28,
            "at_risk_percent": 75,
        },
    )
    assert response.status_code == 422
    assert "New targets apply from tomorrow or later, never to clocks already running." in response.get_data(
        as_text=True
    )
    assert db.session.query(SlaPolicy).count() == 0


def test_sla_targets_cannot_be_backdated(client, auth, people, db):
    auth.as_user(people["admin"])
    response = client.post(
        "/admin/sla",
        data={
            "effective_from": "2026-09-01",
            "review_days": 2,
            "quota_days": 10,
            "visa_days": 10,
            "overall_days": 21,
            "at_risk_percent": 80,
        },
    )
    assert response.status_code == 422
    assert db.session.query(SlaPolicy).count() == 0
