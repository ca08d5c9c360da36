"""HR: sign in, open a case with a mistake and put it right from the error summary, submit it through "check your
answers", invite the expert, and watch a draft pack being made until it downloads."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from talentcase.notifications.models import OutboundMail
from tests.browser.helpers import Accessibility, LiveServer, Staff, sign_in


def fill_case_form(page: Page, *, email: str, answers: bool = True) -> None:
    """The required particulars; with `answers`, "Yes" to each of the company's declarations (none is pre-chosen)."""
    page.get_by_label("Full name in English").fill("Li Wei")
    page.get_by_label("Nationality").select_option(label="United Kingdom")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Passport number").fill("K12345678")
    page.get_by_label("Highest degree").select_option("master")
    page.get_by_label("Field of study").fill("Computer Science")
    page.get_by_label("University", exact=True).fill("University of Cambridge")
    page.get_by_label("Years of relevant experience").fill("3")
    page.get_by_label("Job title").fill("Robotics Perception Engineer")
    page.get_by_label("Technology area").select_option("robotics")
    page.get_by_label("Monthly salary (HKD)").fill("HK$58,000")
    if answers:
        for question in (
            "Is the degree in a STEM subject?",
            "Is the university in the top 100 of a recognised STEM ranking?",
            "Is the post full-time?",
            "Is the post principally in research and development?",
        ):
            page.get_by_role("group", name=question).get_by_role("radio", name="Yes", exact=True).check()


def test_hr_opens_submits_invites_and_downloads_a_pack(
    page: Page, live_server: LiveServer, staff: Staff, a11y: Accessibility
) -> None:
    sign_in(page, staff.hr_email, a11y=a11y)
    expect(page.get_by_role("heading", level=1)).to_have_text("Our cases")
    expect(page.get_by_text("0 cases")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Open a new case").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")
    a11y.check(page)

    # A mistake: the expert's email address has no domain.
    fill_case_form(page, email="li.wei-at-example")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # the summary takes the focus so a screen reader reads it first
    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    a11y.check(page, "Open a new case, with an error")

    # The summary links to the field: following it puts the focus in the field, ready to type.
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#email$"))
    expect(email).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("li.wei@example.com")
    page.get_by_role("button", name="Save as draft").click()

    notice = page.get_by_role("status").filter(has_text="is open as a draft")
    expect(notice).to_be_visible()
    reference = re.search(r"TC-\d{4}-\d{6}", notice.inner_text()).group(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{reference} · Li Wei")
    expect(page.get_by_text("No clock has started yet.")).to_be_visible()
    a11y.check(page, "Case page, draft")
    case_path = urlsplit(page.url).path  # (the browser keeps the #email fragment through the redirect)

    # Check your answers, then submit.
    page.get_by_role("link", name="Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check your answers before submitting {reference}")
    answers = page.locator("dl.summary-list")
    expect(answers).to_contain_text("li.wei@example.com")
    expect(answers).to_contain_text("Robotics Perception Engineer")
    expect(page.get_by_text("Not met:")).to_have_count(0)
    a11y.check(page)
    page.get_by_role("button", name="Submit to the park").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case submitted")
    expect(page.get_by_role("status").filter(has_text="Your reference is")).to_contain_text(reference)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text(re.compile(r"A park officer reviews the case by .+ \(3 working days\)"))).to_be_visible()
    a11y.check(page)

    # The case page now runs its clocks; invite the expert.
    page.get_by_role("link", name="Go to the case").click()
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(page.locator("#clock-review")).to_contain_text("On track")
    panel = page.locator("#expert-link")
    expect(panel).to_contain_text("No link has been sent to the expert yet.")
    panel.get_by_role("button", name="Email a private link to li.wei@example.com").click()
    sent = page.get_by_role("status").filter(has_text="A private link was emailed")
    expect(sent).to_have_text("A private link was emailed to li.wei@example.com.")
    expect(panel.get_by_text("Active", exact=True)).to_be_visible()
    expect(panel.locator("dl")).to_contain_text("Sent toli.wei@example.com")
    expect(panel).to_contain_text("Not opened yet")
    expect(panel.get_by_role("button", name="Send a new link to li.wei@example.com")).to_be_visible()
    a11y.check(page, "Case page, submitted, link sent")
    with live_server.data() as session:
        mail = session.scalar(select(OutboundMail).where(OutboundMail.to_address == "li.wei@example.com"))
        assert mail is not None and "/portal/" in mail.body_text

    # A draft pack: the progress bar fills and the download link appears (and takes the focus).
    live_server.ensure_worker()
    pack = page.locator("#pack")
    expect(pack.get_by_label("Draft (watermarked, can be made at any time)")).to_be_checked()
    pack.get_by_role("button", name="Generate pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Draft pack · {reference}")
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_be_visible()
    link = page.locator("#pack-download-link")
    expect(link).to_be_visible(timeout=60_000)
    expect(bar).to_have_js_property("value", 100)
    expect(page.locator("#pack-message")).to_have_text("The pack is ready.")
    expect(link).to_be_focused()
    a11y.check(page, "Pack progress, finished")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    first_page = reader.pages[0].extract_text()
    assert reference in first_page
    assert "DRAFT" in first_page

    # Back on the case, the pack is in the history, ready.
    page.get_by_role("link", name=f"Back to {reference}").click()
    history = page.get_by_role("table", name="Pack history")
    expect(history).to_contain_text("Ready")
    expect(page.get_by_role("link", name="Download the latest pack")).to_be_visible()
    a11y.check(page, "Case page, with a pack")
    a11y.assert_clean()
