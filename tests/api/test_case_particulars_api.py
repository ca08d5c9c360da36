"""POST and PATCH /api/v1/cases apply the same rules as the case form: implausible particulars are a 422 with the
form's messages, every one at once, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talentcase.cases.models import Case
from tests.api import case_body

# (group, API name, value, the message), for a case opened on 2026-03-02.
IMPLAUSIBLE = [
    (
        "candidate",
        "date_of_birth",
        "2026-11-01",
        "The candidate must be at least 18 on the day the case opened (2 Mar 2026). Check the date of birth.",
    ),
    (
        "candidate",
        "date_of_birth",
        "1930-05-31",
        "The candidate would be over 80 on the day the case opened (2 Mar 2026). Check the year of the date of birth.",
    ),
    (
        "candidate",
        "passport_expiry_on",
        "2001-01-01",
        "The passport expiry date must be on or after the day the case opened (2 Mar 2026). Enter the expiry date of "
        "the passport the candidate holds now.",
    ),
    (
        "position",
        "intended_start_on",
        "1950-01-01",
        "The intended start date must be on or after the day the case opened (2 Mar 2026).",
    ),
    (
        "candidate",
        "full_name",
        "陳大文",
        "Enter the full name in English as it is written in the passport, in Latin letters.",
    ),
    ("candidate", "chinese_name", "陳大文😀", "Enter the name in Chinese without emoji, numbers or symbols."),
    (
        "candidate",
        "passport_number",
        "😀K1234567",
        "Enter the passport number as it is written in the passport, in letters and numbers only.",
    ),
    ("candidate", "university", "香港大學 🎓", "Enter the name of the university without emoji or symbols."),
    (
        "candidate",
        "full_name",
        "\u202eevil",
        "The full name in English has hidden characters that change how it is shown. Type it again instead of "
        "pasting it.",
    ),
]


def _count(db) -> int:
    return db.session.scalar(select(func.count(Case.id)))


@pytest.mark.parametrize(("group", "name", "value", "message"), IMPLAUSIBLE, ids=lambda v: ascii(v)[:30])
def test_create_refuses_implausible_particulars(api, db, frozen, group, name, value, message):
    body = {**case_body(), "opened_on": "2026-03-02"}
    body[group] = {**body[group], name: value}

    response = api("hr_a", "post", "/api/v1/cases", json=body)

    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {f"{group}.{name}": message}
    assert message in error["message"]
    assert _count(db) == 0


@pytest.mark.parametrize(("group", "name", "value", "message"), IMPLAUSIBLE, ids=lambda v: ascii(v)[:30])
def test_patch_refuses_implausible_particulars(api, db, case_a, group, name, value, message):
    response = api("hr_a", "patch", f"/api/v1/cases/{case_a.id}", json={group: {name: value}})

    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {f"{group}.{name}": message}
    db.session.expire_all()
    stored = db.session.get(Case, case_a.id)
    assert (stored.full_name, stored.university, stored.date_of_birth) == (
        case_a.full_name,
        "University of Cambridge",
        None,
    )


def test_create_reports_every_problem_at_once_with_the_opening_day(api, db, frozen):
    body = case_body(email="chan@", years_experience="兩年", date_of_birth="2030-01-01")
    body["position"]["monthly_salary_hkd"] = "6萬"
    body["opened_on"] = "2027-06-01"

    response = api("hr_a", "post", "/api/v1/cases", json=body)

    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {
        "candidate.email",
        "candidate.years_experience",
        "candidate.date_of_birth",
        "position.monthly_salary_hkd",
        "opened_on",
    }
    assert response.json["error"]["fields"]["opened_on"] == "The opening date cannot be in the future."
    assert _count(db) == 0


def test_a_patch_is_measured_from_the_day_the_case_opened_not_today(api, db, case_a):
    # Today is 2026-03-20; the case opened on 2026-03-02: a start before today is the real date of a case entered late.
    response = api(
        "hr_a", "patch", f"/api/v1/cases/{case_a.id}", json={"position": {"intended_start_on": "2026-03-09"}}
    )
    assert response.status_code == 200, response.json
    assert response.json["position"]["intended_start_on"] == "2026-03-09"


def test_free_text_comes_back_without_hidden_characters(api, db, case_a):
    response = api("hr_a", "patch", f"/api/v1/cases/{case_a.id}", json={"position": {"duties": "Train \u202eslrow."}})
    assert response.status_code == 200, response.json
    assert response.json["position"]["duties"] == "Train slrow."
