"""HR: the new-case form asks the company's declarations as Yes / No questions with nothing chosen; a draft is
saved without them, and "check your answers" lists each one still unanswered, linking to its question."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import Accessibility, Staff, sign_in
from tests.browser.test_hr_journey import fill_case_form

QUESTIONS = {
    "is_stem_degree": "Is the degree in a STEM subject?",
    "is_top100_university": "Is the university in the top 100 of a recognised STEM ranking?",
    "is_full_time": "Is the post full-time?",
    "is_principally_rd": "Is the post principally in research and development?",
    "local_hire_confirmed": "Does the company confirm the local-hire commitment?",
}


def test_no_declaration_is_answered_for_the_company(page: Page, staff: Staff, a11y: Accessibility) -> None:
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")
    for name in QUESTIONS:  # (the form used to tick four of them: checkboxes, checked)
        expect(page.locator(f"input[name={name}]:checked")).to_have_count(0)
    for question in QUESTIONS.values():
        group = page.get_by_role("group", name=question)
        for answer in ("Yes", "No"):
            expect(group.get_by_role("radio", name=answer, exact=True)).not_to_be_checked()
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    a11y.check(page, "Open a new case, blank")

    # A draft may leave them unanswered.
    fill_case_form(page, email="li.wei@example.com", answers=False)
    page.get_by_role("group", name=QUESTIONS["is_full_time"]).get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").filter(has_text="is open as a draft")).to_be_visible()
    eligibility = page.locator("#eligibility")
    expect(eligibility).to_contain_text("Not answered yet: STEM degree from a top-100 university")
    expect(eligibility).not_to_contain_text("Passed: STEM degree")
    # (one of its two questions is still unanswered, so the full-time check is not judged yet either)
    expect(eligibility).to_contain_text("Not answered yet: Full-time post principally in R&D")

    # Submitting lists each one still unanswered (the local-hire commitment is not asked since 2022).
    page.get_by_role("link", name="Check and submit").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Say whether the degree is in a STEM subject.",
            "Say whether the university is in the top 100 of a recognised STEM ranking.",
            "Say whether the post is principally in research and development.",
        ]
    )
    page.get_by_role("button", name="Submit to the park").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(summary.get_by_role("link")).to_have_count(3)
    a11y.check(page, "Check your answers, declarations unanswered")

    # Each link leads to its question on the edit page.
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/edit#is_stem_degree$"))
    expect(page.get_by_role("group", name=QUESTIONS["is_stem_degree"])).to_be_visible()
    a11y.assert_clean()
