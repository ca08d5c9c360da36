"""The expert's portal: expected dates of the steps to come, the HR contact, and what to do once the visa is issued."""

from __future__ import annotations

import pytest
import time_machine

from tests.portal import NOW, issue_link, make_case, walk


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _page(client, app, case) -> str:
    response = client.get(f"/portal/{issue_link(app, case)}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_steps_still_to_come_show_expected_dates(app, db, client, people):
    case = make_case(people)
    walk(case, people, "review")
    db.session.commit()
    page = _page(client, app, case)
    row = case.forecast_row
    assert row is not None
    assert page.count("Expected around") >= 2  # the visa's issue and the arrival at least
    assert f"{row.start_median_on.day} " in page


def test_the_portal_names_the_hr_contact_with_email_and_phone(app, db, client, people):
    people["hr_a"].name, people["hr_a"].phone = "Mandy Wong", "+852 2123 4567"
    case = make_case(people)
    case.created_by = people["hr_a"]
    db.session.commit()
    page = _page(client, app, case)
    assert "Mandy Wong" in page and "hr@alpha.test" in page and "+852 2123 4567" in page
    assert 'href="tel:+85221234567"' in page


def test_after_the_visa_the_portal_says_what_to_do_next(app, db, client, people):
    case = make_case(people)
    walk(case, people, "approved")
    db.session.commit()
    page = _page(client, app, case)
    assert "After your visa is issued" in page and "e-Visa" in page and "identity card" in page
    draft = make_case(people, passport_number="K7654321", email="other@candidate.test")
    db.session.commit()
    assert "After your visa is issued" not in _page(client, app, draft)
