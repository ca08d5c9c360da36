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


@pytest.mark.parametrize(("overall", "quota", "visa", "longest"), [(1, 14, 14, 14), (13, 10, 14, 14), (20, 21, 7, 21)])
def test_an_overall_target_shorter_than_a_stage_is_refused(client, auth, people, db, overall, quota, visa, longest):
    # QA: "overall 1 day" was saved, and every case would have breached it with each stage on track.
    auth.as_user(people["admin"])
    data = {**TARGETS, "overall_days": overall, "quota_days": quota, "visa_days": visa}
    response = client.post("/admin/sla", data=data)
    assert response.status_code == 422
    message = f"The overall target must be at least as long as the quota and visa targets ({longest} days)."
    assert f'<a href="#overall_days">{message}</a>' in response.get_data(as_text=True)
    assert db.session.query(SlaPolicy).count() == 0
    data["overall_days"] = longest  # as long as the longest stage: under the 2025 policy the two may run together
    assert client.post("/admin/sla", data=data).status_code == 302


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


def _audit(db, action: str):
    from talentcase.audit.models import AuditEntry

    return db.session.query(AuditEntry).filter_by(action=action).order_by(AuditEntry.id).all()


def test_the_audit_entry_of_new_targets_records_the_values_saved(client, auth, people, db):
    auth.as_user(people["admin"])
    data = {**TARGETS, "at_risk_percent": 80, "alert_percentages": "75, 50", "alert_days_before_due": "3"}
    assert client.post("/admin/sla", data=data).status_code == 302
    policy = db.session.query(SlaPolicy).one()
    (entry,) = _audit(db, "sla_policy_added")
    assert (entry.target_type, entry.target_id, entry.actor_id) == ("sla_policy", policy.id, people["admin"].id)
    assert entry.detail == {
        "effective_from": "2026-09-21",
        "review_days": 3,
        "quota_days": 14,
        "visa_days": 14,
        "overall_days": 28,
        "at_risk_ratio": 0.8,
        "alert_percentages": [50, 75],
        "alert_days_before_due": [3],
    }


def test_new_targets_for_a_date_that_has_some_replace_them(client, auth, people, db):
    # Both are still scheduled (targets start tomorrow at the earliest), so no clock ever ran under the first: saving
    # again for the same date corrects it, and which targets apply is never a guess.
    auth.as_user(people["admin"])
    hint = "Tomorrow or later. New targets for a date that already has some replace them."
    assert hint in client.get("/admin/sla").get_data(as_text=True)
    assert client.post("/admin/sla", data={**TARGETS, "effective_from": "2026-10-01"}).status_code == 302
    assert client.post("/admin/sla", data=TARGETS).status_code == 302
    response = client.post("/admin/sla", data={**TARGETS, "review_days": 5, "alert_percentages": "60"})
    assert response.status_code == 302
    assert "The targets for clocks that start on or after 21 Sep 2026 are replaced." in client.get(
        "/admin/sla"
    ).get_data(as_text=True)
    rows = db.session.query(SlaPolicy).order_by(SlaPolicy.effective_from).all()
    assert [(row.effective_from, row.review_days, row.alert_percentages) for row in rows] == [
        (date(2026, 9, 21), 5, [60]),
        (date(2026, 10, 1), 3, [50, 75]),
    ]
    (entry,) = _audit(db, "sla_policy_replaced")
    assert entry.target_id == rows[0].id
    assert (entry.detail["review_days"], entry.detail["alert_percentages"]) == (5, [60])
    assert (entry.detail["replaced"]["review_days"], entry.detail["replaced"]["alert_percentages"]) == (3, [50, 75])
    assert len(_audit(db, "sla_policy_added")) == 2


def test_policies_saved_side_by_side_for_one_date_become_one_when_replaced(db, people):
    from talentcase.sla import services as sla

    # Saved before the replacement rule: the later one applied, and it is the one replaced.
    for review_days in (4, 6):
        db.session.add(SlaPolicy(effective_from=date(2026, 9, 21), review_days=review_days))
    db.session.flush()
    settings = {key: value for key, value in TARGETS.items() if key not in ("effective_from", "at_risk_percent")}
    policy, replaced = sla.schedule_policy(
        date(2026, 9, 21), **settings, at_risk_ratio=0.75, alert_percentages=[50], alert_days_before_due=[]
    )
    assert replaced["review_days"] == 6
    assert db.session.query(SlaPolicy).one() == policy
    assert (policy.review_days, policy.alert_percentages, policy.alert_days_before_due) == (3, [50], [])
