"""The park officer signs in and finds a newly submitted case at the top of the console, in "Your queue", with its
time left, and opens it: the case page names them as its owner."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from talentcase.common import clock
from tests.browser.helpers import Accessibility, LiveServer, Staff, seed_case, sign_in


@pytest.fixture
def takes_hkstp_cases(live_server: LiveServer, staff: Staff) -> Iterator[None]:
    """The test's officer is the one officer who takes HKSTP cases (other tests' officers share this database)."""
    from talentcase.accounts.models import User
    from talentcase.cases import ownership
    from talentcase.cases.ownership_models import CaseTaker

    with live_server.data() as session:
        ownership.set_takers(session.get(User, staff.officer_id), ["HKSTP"])
    yield
    with live_server.data() as session:
        session.execute(delete(CaseTaker).where(CaseTaker.user_id == staff.officer_id))


def test_officer_finds_a_new_case_in_your_queue_and_opens_it(
    page: Page, live_server: LiveServer, staff: Staff, a11y: Accessibility, takes_hkstp_cases: None
) -> None:
    today = clock.today()
    case = seed_case(
        live_server,
        staff,
        opened_on=today,
        steps=(("submit", today),),
        full_name="Noor Rahman",
        email="noor@candidate.test",
    )

    sign_in(page, staff.officer_email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Officer console")
    queue = page.get_by_role("region", name="Your queue")
    # The first section of the console: the officer's own work comes before the figures.
    first_section = page.locator("main section").first
    expect(first_section).to_have_attribute("aria-labelledby", "queue-h")
    row = queue.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Noor Rahman")
    expect(row).to_contain_text(staff.company_name)
    expect(row).to_contain_text(re.compile(r"\d+ days? left|due today"))
    expect(queue.get_by_text("Waiting on you:")).to_be_visible()
    a11y.check(page, "Officer console, your queue")

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.locator("#owner")).to_contain_text("Owner: Oscar Chan")
    a11y.check(page, "Case page with its owner")

    # The header's "All cases" is the console's list, where the case shows its owner.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All cases").click()
    expect(page).to_have_url(re.compile(r"/officers/cases$"))
    listed = page.get_by_role("row").filter(has_text=case.reference)
    expect(listed).to_contain_text("Oscar Chan")
    a11y.check(page, "All cases with owners")
