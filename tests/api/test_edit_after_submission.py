"""Editing a submitted case while it is paused for information may correct its particulars, never make it fail an
eligibility rule it was accepted on."""

from __future__ import annotations

from datetime import date

import pytest

from talentcase.cases.models import Case
from tests.api import make_case

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def paused(db, people) -> Case:
    """Accepted, then asked for information from the company: editable."""
    case = make_case(
        people["company_a"],
        steps=[
            ("submit", date(2026, 3, 10)),
            ("accept", date(2026, 3, 11)),
            ("request_info", date(2026, 3, 12), "company"),
        ],
    )
    db.session.commit()
    return case


@pytest.mark.parametrize(
    ("body", "field", "needle"),
    [
        ({"position": {"monthly_salary_hkd": 1000}}, "position.monthly_salary_hkd", "market"),
        ({"candidate": {"nationality": "KP"}}, "candidate.nationality", "North Korea"),
    ],
)
def test_an_edit_that_would_fail_a_rule_is_refused_at_its_field(api, db, paused, body, field, needle):
    before = (paused.monthly_salary_hkd, paused.nationality)
    response = api("hr_a", "patch", f"/api/v1/cases/{paused.id}", json=body)
    assert response.status_code == 422, response.json
    message = response.json["error"]["fields"][field]
    assert needle in message and "must keep meeting the eligibility rules" in message
    db.session.expire_all()
    assert (db.session.get(Case, paused.id).monthly_salary_hkd, db.session.get(Case, paused.id).nationality) == before


def test_a_correction_that_keeps_the_rules_is_saved(api, db, paused):
    response = api("hr_a", "patch", f"/api/v1/cases/{paused.id}", json={"position": {"monthly_salary_hkd": 65000}})
    assert response.status_code == 200, response.json
    assert response.json["position"]["monthly_salary_hkd"] == 65000


def test_a_draft_may_still_be_saved_failing_a_rule_until_it_is_submitted(api, db, people):
    draft = make_case(people["company_a"])
    db.session.commit()
    response = api("hr_a", "patch", f"/api/v1/cases/{draft.id}", json={"position": {"monthly_salary_hkd": 1000}})
    assert response.status_code == 200, response.json


def test_the_edit_page_shows_the_refusal_at_the_field(client, auth, db, people, paused):
    from tests.cases.test_views import VALID

    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{paused.id}/edit", data={**VALID, "monthly_salary_hkd": "1000"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "must keep meeting the eligibility rules" in page and 'href="#monthly_salary_hkd"' in page
