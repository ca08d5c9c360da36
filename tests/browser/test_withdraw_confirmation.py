"""HR withdraw a case the GOV.UK way: a secondary link at the foot of the actions, a page that names the case and
says what happens, the reason asked for through the error summary, then "Yes" withdraws it."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests.browser.helpers import Accessibility, LiveServer, Staff, seed_case, sign_in


def test_hr_withdraw_a_case_only_after_saying_yes_and_why(
    page: Page, live_server: LiveServer, staff: Staff, a11y: Accessibility
):
    today = date.today()
    case = seed_case(live_server, staff, opened_on=today, email="withdraw@candidate.test")
    sign_in(page, staff.hr_email)
    page.goto(f"/cases/{case.id}")
    actions = page.locator("section[aria-labelledby=actions-title]")
    expect(actions.get_by_role("button", name="Withdraw the case")).to_have_count(0)  # no one-click withdrawal

    actions.get_by_role("link", name="Withdraw this case…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Withdraw {case.reference}?")
    expect(page.locator("main")).to_contain_text("You cannot undo this.")
    expect(page.locator("main")).to_contain_text(staff.company_name)
    a11y.check(page, "Withdraw: the question")

    page.get_by_role("button", name="Yes, withdraw this case").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Write why the case is withdrawn.").click()
    expect(page.get_by_label("Why is the case withdrawn?")).to_be_focused()
    a11y.check(page, "Withdraw: no reason given")

    page.get_by_label("Why is the case withdrawn?").fill("The candidate accepted another offer.")
    page.get_by_role("button", name="Yes, withdraw this case").click()
    expect(page.get_by_role("status").filter(has_text="Recorded: Withdrawn.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("The candidate accepted another offer.")
