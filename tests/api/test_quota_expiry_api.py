"""The API refuses the visa steps on a quota place whose quota has ended (409 quota_expired, naming the quota and its
end date), says so in the eligibility check, and offers replace_quota."""

from __future__ import annotations

from datetime import date

import pytest

from talentcase.cases import services
from talentcase.common.i18n import day_text
from tests.api import make_case


@pytest.fixture
def holding(db, people, frozen):
    """A case of company A whose reserved place is on a quota that ended on 10 March 2026 (today is 20 March)."""
    steps = [("submit", date(2026, 3, 2)), ("accept", date(2026, 3, 3)), ("lodge_quota", date(2026, 3, 4))]
    case = make_case(people["company_a"], steps=steps)
    detail = {"quota_places": 1, "quota_valid_until": "2026-03-10", "quota_reference": "ITC/TTA/2026/0042"}
    services.take_action(case, "grant_quota", role="officer", occurred_on=date(2026, 3, 5), detail=detail)
    db.session.commit()
    return case


@pytest.mark.parametrize(("action", "role"), [("lodge_visa", "hr_a"), ("issue_visa", "officer")])
def test_a_visa_step_on_an_ended_quota_is_409_naming_the_quota(api, db, people, holding, action, role):
    url = f"/api/v1/cases/{holding.id}/events"
    if action == "issue_visa":
        assert api("hr_a", "post", url, json={"action": "lodge_visa", "occurred_on": "2026-03-09"}).status_code == 201
    response = api(role, "post", url, json={"action": action, "occurred_on": "2026-03-12"})
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert error["code"] == "quota_expired"
    assert "ITC/TTA/2026/0042" in error["message"] and f"ended on {day_text(date(2026, 3, 10))}" in error["message"]
    assert error["quota"] == {"id": holding.quota_id, "reference": "ITC/TTA/2026/0042", "valid_until": "2026-03-10"}
    case = api("hr_a", "get", f"/api/v1/cases/{holding.id}").json
    assert (case["status"], case["quota_place"]) == ("visa" if action == "issue_visa" else "visa_prep", "reserved")


def test_the_case_json_says_why_the_quota_check_fails_and_offers_replace_quota(api, holding):
    case = api("hr_a", "get", f"/api/v1/cases/{holding.id}").json
    check = next(row for row in case["eligibility"] if row["code"] == "quota")
    assert check["passed"] is False
    assert "ITC/TTA/2026/0042" in check["reason"] and f"ended on {day_text(date(2026, 3, 10))}" in check["reason"]
    assert "replace_quota" in case["allowed_actions"]


def test_replace_quota_through_the_api_goes_back_to_the_quota_application(api, holding):
    url = f"/api/v1/cases/{holding.id}/events"
    response = api("hr_a", "post", url, json={"action": "replace_quota"})
    assert response.status_code == 201, response.json
    assert response.json["status"] == "quota_prep"
    assert response.json["events"][-1]["action"] == "replace_quota"
    again = api("hr_a", "post", url, json={"action": "replace_quota"})
    assert again.status_code == 409
