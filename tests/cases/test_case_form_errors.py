"""The new, edit and check-your-answers pages refuse implausible particulars the GOV.UK way: status 422, every
message at once, each at its field (aria-invalid, named by aria-describedby) and linked from the error summary, what
was typed kept, and nothing written."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
import time_machine
from markupsafe import escape

from talentcase.cases.models import Case
from tests.cases.test_action_forms import control, described_by, error_at, group_of, summary, summary_links
from tests.cases.test_views import VALID, make_case

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def assert_refused_at(page: str, field_id: str, message: str) -> None:
    """The message is at the field and linked from the summary."""
    assert unescape(error_at(page, field_id)) == f"Error: {message}"
    assert "form-group-error" in group_of(page, field_id)
    assert unescape(summary_links(page)[field_id]) == message


# (field, what was typed, the message)
IMPLAUSIBLE = [
    (
        "date_of_birth",
        "2026-11-01",
        "The candidate must be at least 18 on the day the case opened (2 Mar 2026). Check the date of birth.",
    ),
    (
        "date_of_birth",
        "1930-05-31",
        "The candidate would be over 80 on the day the case opened (2 Mar 2026). Check the year of the date of birth.",
    ),
    (
        "passport_expiry_on",
        "2001-01-01",
        "The passport expiry date must be on or after the day the case opened (2 Mar 2026). Enter the expiry date of "
        "the passport the candidate holds now.",
    ),
    (
        "intended_start_on",
        "1950-01-01",
        "The intended start date must be on or after the day the case opened (2 Mar 2026).",
    ),
    ("full_name", "陳大文", "Enter the full name in English as it is written in the passport, in Latin letters."),
    (
        "full_name",
        "Alice 😀 Chan",
        "Enter the full name in English as it is written in the passport, in Latin letters.",
    ),
    ("chinese_name", "陳愛麗😀", "Enter the name in Chinese without emoji, numbers or symbols."),
    (
        "passport_number",
        "😀K1234567",
        "Enter the passport number as it is written in the passport, in letters and numbers only.",
    ),
    ("university", "香港大學 🎓", "Enter the name of the university without emoji or symbols."),
    (
        "full_name",
        "\u202eecilA",
        "The full name in English has hidden characters that change how it is shown. Type it again instead of "
        "pasting it.",
    ),
    (
        "passport_number",
        "K123\u202e4567",
        "The passport number has hidden characters that change how it is shown. Type it again instead of pasting it.",
    ),
]


@pytest.mark.parametrize(("field", "typed", "message"), IMPLAUSIBLE, ids=lambda v: ascii(v)[:30])
def test_a_new_case_with_an_implausible_particular_is_refused_at_the_field(
    client, auth, people, db, field, typed, message
):
    auth.as_user(people["hr_a"])

    response = client.post("/cases/new", data={**VALID, "opened_on": "2026-03-02", field: typed})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert_refused_at(page, field, message)
    assert list(summary_links(page)) == [field]
    assert f'value="{escape(typed)}"' in control(page, field)
    assert 'value="Imperial College London"' in control(page, "university") or field == "university"
    assert db.session.query(Case).count() == 0


@pytest.mark.parametrize(("field", "typed", "message"), IMPLAUSIBLE, ids=lambda v: ascii(v)[:30])
def test_an_edit_with_an_implausible_particular_is_refused_at_the_field(
    client, auth, people, db, field, typed, message
):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])

    response = client.post(f"/cases/{case.id}/edit", data={**VALID, "position_title": "Changed", field: typed})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert_refused_at(page, field, message)
    assert f'value="{escape(typed)}"' in control(page, field)
    assert 'value="Changed"' in control(page, "position_title")
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.position_title, stored.full_name, stored.passport_number) == (
        "Machine Learning Engineer",
        "Alice Chan",
        "",
    )


def test_every_mistake_on_the_new_case_form_shows_at_once(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {
        **VALID,
        "email": "chan@",
        "monthly_salary_hkd": "6萬",
        "years_experience": "兩年",
        "date_of_birth": "2030-01-01",
        "opened_on": "2027-06-01",
    }

    response = client.post("/cases/new", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    expected = {
        "email": "Enter a valid email address, like name@example.com.",
        "date_of_birth": "The candidate must be at least 18 on the day the case opened (20 Mar 2026). Check the "
        "date of birth.",
        "years_experience": "Years of relevant experience must be a number, like 2.5.",
        "monthly_salary_hkd": "Monthly salary must be a whole number of Hong Kong dollars, like 45000.",
        "opened_on": "The opening date cannot be in the future.",
    }
    assert summary_links(page) == expected  # in the order of the form
    for field_id, message in expected.items():
        assert_refused_at(page, field_id, message)
    for field_id in ("email", "monthly_salary_hkd", "years_experience", "date_of_birth", "opened_on"):
        assert f'value="{data[field_id]}"' in control(page, field_id)
    assert db.session.query(Case).count() == 0


def test_an_overlong_name_is_refused_with_the_other_mistakes(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {**VALID, "full_name": "x" * 201, "passport_number": "K-1", "opened_on": "2018-06-24"}

    response = client.post("/cases/new", data=data)

    assert response.status_code == 422
    links = summary_links(response.get_data(as_text=True))
    assert list(links) == ["full_name", "passport_number", "opened_on"]
    assert links["full_name"] == "Use at most 200 characters."
    assert links["opened_on"].startswith("The scheme started on")
    assert db.session.query(Case).count() == 0


def test_hidden_characters_are_taken_out_of_free_text(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {
        **VALID,
        "opened_on": "2026-03-02",
        "duties": "Train \u202eslrow models.",
        "position_title": "ML\u200b Engineer",
    }

    response = client.post("/cases/new", data=data)

    assert response.status_code == 302
    case = db.session.query(Case).one()
    assert (case.duties, case.position_title) == ("Train slrow models.", "ML Engineer")


def test_a_plausible_case_entered_late_with_its_real_dates_is_taken(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {
        **VALID,
        "full_name": "Léa O'Brien-Dvořák Jr.",
        "date_of_birth": "1990-05-31",
        "passport_number": "K1234567",
        "passport_expiry_on": "2030-01-01",
        "intended_start_on": "2026-03-09",  # before today, after the case opened
        "opened_on": "2026-03-02",
    }

    response = client.post("/cases/new", data=data)

    assert response.status_code == 302
    case = db.session.query(Case).one()
    assert (case.full_name, case.intended_start_on) == ("Léa O'Brien-Dvořák Jr.", date(2026, 3, 9))


# --- check your answers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-03-25", "The date cannot be in the future (today is 20 Mar 2026)."),
        ("2026-03-01", "The date cannot be before the day the case opened (2 Mar 2026)."),
        ("2026-02-30", "Not a valid date value."),
    ],
)
def test_a_refused_submission_date_is_at_the_field_and_linked_from_the_summary(
    client, auth, people, db, typed, message
):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])

    response = client.post(f"/cases/{case.id}/check", data={"action": "submit", "occurred_on": typed})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert_refused_at(page, "occurred_on-submit", message)
    assert list(summary_links(page)) == ["occurred_on-submit"]
    assert described_by(page, "occurred_on-submit") == ["occurred_on-submit-hint", "occurred_on-submit-error"]
    assert f'value="{typed}"' in control(page, "occurred_on-submit")
    assert "<title>Error: " in page
    db.session.refresh(case)
    assert (case.status, case.events) == ("draft", [])


def test_an_eligibility_refusal_on_submit_is_linked_to_the_form(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"], monthly_salary_hkd="12000")
    auth.as_user(people["hr_a"])

    response = client.post(f"/cases/{case.id}/check", data={"action": "submit", "occurred_on": "2026-03-16"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert list(summary_links(page)) == ["action-submit"]
    assert '<form id="action-submit"' in page
    assert '<p class="error-message" id="action-submit-error">' in page
    assert 'value="2026-03-16"' in control(page, "occurred_on-submit")


def test_check_your_answers_without_a_refusal_has_no_summary(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}/check").get_data(as_text=True)
    assert "error-summary" not in page and "aria-invalid" not in page
    # Entered on 20 March with its real opening day, 2 March: its submission is dated that day unless told.
    assert 'value="2026-03-02"' in control(page, "occurred_on-submit")
    assert described_by(page, "occurred_on-submit") == ["occurred_on-submit-hint"]


def test_the_summary_comes_before_the_heading(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.post(f"/cases/{case.id}/check", data={"occurred_on": "2026-03-25"}).get_data(as_text=True)
    summary(page)
