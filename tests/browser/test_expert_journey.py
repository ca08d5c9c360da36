"""The expert, on a phone: opens the private link from the invitation mail, sees what is still needed, uploads a
photo and a CV and sees them received, then reads the page in Traditional Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from talentcase.common import clock
from tests.browser.helpers import (
    PHONE,
    Accessibility,
    LiveServer,
    Staff,
    invite_expert,
    pdf_bytes,
    png_bytes,
    seed_case,
)


def missing_count(page: Page) -> int:
    text = page.locator("#documents").get_by_text(re.compile(r"still needs? to be sent")).inner_text()
    return int(re.search(r"\d+", text).group(0))


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"


def test_expert_follows_the_case_on_a_phone(
    new_page, live_server: LiveServer, staff: Staff, a11y: Accessibility
) -> None:
    today = clock.today()
    case = seed_case(
        live_server,
        staff,
        opened_on=today - timedelta(days=3),
        steps=(("submit", today - timedelta(days=2)),),
        full_name="Amara Okafor",
        email="amara@candidate.test",
    )
    link = invite_expert(live_server, staff, case)

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Hong Kong work visa")
    expect(page.get_by_text("Hello Amara Okafor.")).to_be_visible()
    facts = page.locator(".portal-facts")
    expect(facts).to_contain_text(staff.company_name)
    expect(facts).to_contain_text(case.reference)
    now = page.locator(".portal-step[aria-current=step]")
    expect(now).to_contain_text("Now")
    expect(now).to_contain_text("The park checks your application")
    assert_fits_the_screen(page)
    a11y.check(page, "Portal on a phone")

    # What is missing: every document the expert provides, each marked "Missing" in words.
    documents = page.locator("#documents")
    expect(documents.get_by_role("heading", name="What we still need from you")).to_be_visible()
    before = missing_count(page)
    assert before >= 4
    statuses = documents.locator(".portal-status")
    expect(statuses).to_have_text(["Missing"] * statuses.count())
    photo = page.locator("#item-photo")
    cv = page.locator("#item-cv")

    # Upload a photo taken with the phone (a real PNG) and a CV (a real PDF).
    photo.get_by_label("Choose a file").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    photo.get_by_role("button", name="Upload Photo").click()
    expect(page.get_by_role("status").filter(has_text="We have received your file")).to_be_visible()
    expect(photo.locator(".portal-status")).to_contain_text("Received, being checked")
    expect(photo.locator(".portal-status")).to_contain_text("me.png")
    assert missing_count(page) == before - 1
    assert_fits_the_screen(page)
    a11y.check(page, "Portal after an upload")

    cv.get_by_label("Choose a file").set_input_files(
        files=[{"name": "amara-cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    cv.get_by_role("button", name="Upload CV").click()
    expect(cv.locator(".portal-status")).to_contain_text("Received, being checked")
    assert missing_count(page) == before - 2
    # A received document can be replaced, behind a "Send a new copy" disclosure.
    expect(photo.get_by_text("Send a new copy")).to_be_visible()
    expect(photo.get_by_label("Choose a file")).to_be_hidden()

    # Traditional Chinese: the language switch changes the page's language and stays on the private page.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
    expect(page).to_have_url(re.compile(r"/portal/"))
    switch = page.locator(".lang-switch")
    expect(switch.locator("[aria-current=true]")).to_have_text("繁體中文")
    expect(switch.get_by_role("link")).to_have_text("English")
    expect(page.locator("#item-photo .portal-status")).to_contain_text("me.png")
    assert_fits_the_screen(page)
    a11y.check(page, "Portal in Traditional Chinese")
    a11y.assert_clean()
