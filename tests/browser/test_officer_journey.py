"""The park officer: finds a case in the console's at-risk queue, asks the company for information, and sees the
clocks paused (in words, not only in colour) and the case leave the at-risk queue.

The case at risk is one whose ITC quota clock (14 calendar days) has run 11 days (see helpers.quota_clock_at_risk).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import Accessibility, LiveServer, Staff, quota_clock_at_risk, sign_in


def test_officer_requests_information_and_the_clocks_pause(
    page: Page, live_server: LiveServer, staff: Staff, a11y: Accessibility
) -> None:
    case = quota_clock_at_risk(live_server, staff)

    sign_in(page, staff.officer_email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Officer console")
    queue = page.get_by_role("table", name="Clocks at risk, least time left first")
    row = queue.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mateo Fernández")
    expect(row).to_contain_text(staff.company_name)
    expect(row).to_contain_text("ITC quota")
    expect(row).to_contain_text(re.compile(r"\d+ days? left"))
    a11y.check(page, "Officer console")

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    quota = page.locator("#clock-quota")
    expect(quota.locator(".badge")).to_have_text("ITC quota: At risk")
    expect(quota).to_contain_text("11 of 14 calendar days used")
    a11y.check(page, "Case page, quota at risk")

    # Ask the company for what is missing.
    ask = page.locator("form.action-form").filter(has=page.get_by_role("heading", name="Request information"))
    ask.get_by_label("Ask whom").select_option(label="The company")
    ask.get_by_label("What is needed").fill("Please send the signed employment contract.")
    ask.get_by_role("button", name="Request information").click()

    expect(page.get_by_role("status").filter(has_text="Recorded: Information requested.")).to_be_visible()
    expect(page.get_by_text("The clocks are paused: waiting for information from the company.")).to_be_visible()
    expect(page.locator("#clock-quota .badge")).to_have_text("ITC quota: Paused")
    expect(page.locator("#clock-overall .badge")).to_have_text("Four-week target: Paused")
    expect(page.locator(".lead .tag-paused")).to_have_text("Paused: waiting on the company")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text("Information requested (from the company)")
    expect(timeline).to_contain_text("Please send the signed employment contract.")
    a11y.check(page, "Case page, paused")

    # Back on the console: the case has left the at-risk queue and is counted as waiting on the company.
    page.get_by_role("link", name="Console").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Officer console")
    expect(queue.get_by_role("row").filter(has_text=case.reference)).to_have_count(0)
    waiting = page.get_by_role("region", name="Waiting on")
    expect(waiting.get_by_role("row").filter(has_text="the company")).to_contain_text(case.reference)
    a11y.check(page, "Officer console, case paused")
    a11y.assert_clean()
