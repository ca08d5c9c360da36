"""Numbers past what a column or a Decimal holds are input mistakes or empty results, never a 500 (PostgreSQL raises
"integer out of range" where SQLite would carry on)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentcase.accounts import services as accounts
from talentcase.cases.models import Case
from tests.api import bearer, case_body
from tests.cases.helpers import make_case
from tests.cases.test_views import VALID

BIG = "99999999999999999999"


@pytest.mark.parametrize("value", [1e300, "1e300", "-1e-300000"])
def test_years_of_experience_past_any_precision_are_a_field_error(client, auth, people, db, value):
    token = accounts.issue_token(people["hr_a"], "range")[1]
    db.session.commit()
    body = case_body()
    body["candidate"]["years_experience"] = value
    response = client.post("/api/v1/cases", json=body, headers=bearer(token))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"candidate.years_experience"}
    auth.as_user(people["hr_a"])
    response = client.post("/cases/new", data={**VALID, "years_experience": str(value), "opened_on": "2026-03-02"})
    assert response.status_code == 422
    assert "Years of relevant experience" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_a_company_or_officer_filter_no_id_can_be_finds_nothing_and_widens_nothing(client, auth, people, db):
    make_case(people["company_a"])
    db.session.commit()
    auth.as_user(people["officer"])
    for name in ("company", "officer"):
        page = client.get(f"/officers/cases?{name}={BIG}")
        assert page.status_code == 200
        assert "No cases match." in page.get_data(as_text=True)
        export = client.get(f"/officers/cases.csv?{name}={BIG}")
        assert export.status_code == 200 and len(export.get_data(as_text=True).strip().splitlines()) == 1  # header


@pytest.mark.parametrize(
    ("group", "field", "value", "fine"),
    [
        ("position", "intended_start_on", "9999-12-31", "2031-05-20"),
        ("candidate", "passport_expiry_on", "9999-12-31", "2031-05-20"),
        ("candidate", "date_of_birth", "0001-01-01", "1990-05-20"),
    ],
)
def test_dates_outside_1900_to_2100_are_a_field_error(client, db, people, group, field, value, fine):
    """Near year 9999 "six months after the start" has no date: the passport warning was a 500 on the documents page."""
    token = accounts.issue_token(people["hr_a"], "dates")[1]
    case = make_case(people["company_a"])
    db.session.commit()
    response = client.patch(f"/api/v1/cases/{case.id}", json={group: {field: value}}, headers=bearer(token))
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {f"{group}.{field}": "Use a date between 1900 and 2100."}
    response = client.patch(f"/api/v1/cases/{case.id}", json={group: {field: fine}}, headers=bearer(token))
    assert response.status_code == 200
