"""Staff pages and the expert's portal on a phone (390×844), in English and Traditional Chinese: no page scrolls
sideways, the header's sign-out button stays on one line, clock badges are either whole on screen or inside a
table that scrolls, long unbroken names wrap, the error summary leaves a field's label in view, and the portal's
"Send a new copy" disclosures each say which document they are for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from talentcase.accounts.models import User
from tests.browser.helpers import (
    PASSWORD,
    LiveServer,
    Staff,
    invite_expert,
    pdf_bytes,
    png_bytes,
    quota_clock_at_risk,
    seed_case,
    sign_in,
)

PHONE_390 = {"width": 390, "height": 844}
LANGUAGES = {"en": "en-US", "zh_Hant_HK": "zh-HK"}
# 140 characters without a space or a hyphen: a name or a job title a browser cannot break at a word.
LONG_NAME = ("Wolfeschlegelsteinhausenbergerdorff" * 4)[:140]
LONG_TITLE = ("Principalmachinelearningresearchengineer" * 4)[:140]

# A phone browser (is_mobile) widens its layout viewport to fit a page that overflows, so window.innerWidth grows
# with the defect: the page is measured against the phone's width.
_LAYOUT = """(phoneWidth) => {
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > phoneWidth + 1 && !el.closest('.table-wrap'))
    .filter(el => !el.closest('.visually-hidden, .skip-link'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide};
}"""

_SIGN_OUT = """() => {
  const button = [...document.querySelectorAll('.site-header button')].pop();
  const rect = button.getBoundingClientRect();
  const lineHeight = parseFloat(getComputedStyle(button).lineHeight);
  return {height: rect.height, width: rect.width, lineHeight, overflows: button.scrollWidth > button.clientWidth + 1};
}"""

# Each badge: whole on screen, or inside an element that scrolls sideways (and so can bring it into view).
_BADGES = """(phoneWidth) => [...document.querySelectorAll('.badge')].map(badge => {
  const rect = badge.getBoundingClientRect();
  const whole = rect.left >= 0 && rect.right <= phoneWidth;
  let scroller = null;
  for (let el = badge.parentElement; el && el !== document.body; el = el.parentElement) {
    const overflowX = getComputedStyle(el).overflowX;
    if (overflowX === 'auto' || overflowX === 'scroll') { scroller = el; break; }
  }
  const inScroller = scroller !== null && scroller.getBoundingClientRect().right <= phoneWidth;
  return {text: badge.innerText, whole, inScroller};
})"""


def assert_fits_a_phone(page: Page, what: str) -> None:
    page.wait_for_load_state("load")
    layout = page.evaluate(_LAYOUT, PHONE_390["width"])
    assert layout["scrollWidth"] <= layout["innerWidth"] == PHONE_390["width"], (
        f"{what} scrolls sideways on a phone: {layout['scrollWidth']}px wide, {layout['innerWidth']}px viewport; "
        f"too wide: {layout['wide']}"
    )


def assert_sign_out_on_one_line(page: Page, what: str) -> None:
    button = page.evaluate(_SIGN_OUT)
    assert button["height"] < 1.5 * button["lineHeight"], f"{what}: the sign-out button wraps: {button}"
    assert not button["overflows"], f"{what}: the sign-out button's text is cut off: {button}"


def phone_page(new_page, language: str) -> Page:
    return new_page(viewport=PHONE_390, locale=LANGUAGES[language], is_mobile=True, has_touch=True)


@pytest.fixture(params=list(LANGUAGES))
def language(request, live_server: LiveServer, staff: Staff) -> str:
    """Each test runs in English and in Traditional Chinese (the staff's preferred language)."""
    with live_server.data() as session:
        for user_id in (staff.hr_id, staff.officer_id):
            session.get(User, user_id).preferred_language = request.param
    return request.param


def test_hr_pages_fit_a_phone(new_page, live_server: LiveServer, staff: Staff, language: str) -> None:
    quota_clock_at_risk(live_server, staff, full_name="Mateo Fernández", email="mateo@candidate.test")
    quota_clock_at_risk(live_server, staff, full_name=LONG_NAME, position_title=LONG_TITLE, email="long@candidate.test")
    draft = seed_case(live_server, staff, full_name=LONG_NAME, position_title=LONG_TITLE, email="d@candidate.test")

    page = phone_page(new_page, language)
    sign_in_any_language(page, staff.hr_email)

    page.goto("/cases/")
    expect(page.locator("table .badge").first).to_be_visible()
    assert_fits_a_phone(page, "the case list")
    assert_sign_out_on_one_line(page, "the case list")
    badges = page.evaluate(_BADGES, PHONE_390["width"])
    assert badges, "the case list shows no clock badge"
    hidden = [badge for badge in badges if not (badge["whole"] or badge["inScroller"])]
    assert not hidden, f"badges cut off with no way to scroll to them: {hidden}"
    # A state is a word or two, never one character per line.
    for tag in page.locator("table .tag").all():
        box = tag.bounding_box()
        line = float(tag.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
        assert box["height"] < 1.8 * line, f"the state {tag.inner_text()!r} wraps ({box})"

    page.goto(f"/cases/{draft.id}")
    expect(page.locator("h1")).to_contain_text(LONG_NAME[:20])
    assert_fits_a_phone(page, "a case with a 140-character name")
    assert_sign_out_on_one_line(page, "the case page")

    page.goto(f"/cases/{draft.id}/check")
    assert_fits_a_phone(page, "the check page of a case with a 140-character name")

    page.goto(f"/cases/{draft.id}/documents")
    expect(page.locator(".task-list-item").first).to_be_visible()
    assert_fits_a_phone(page, "the documents page")
    assert_sign_out_on_one_line(page, "the documents page")


def test_officer_home_fits_a_phone(new_page, live_server: LiveServer, staff: Staff, language: str) -> None:
    for number in range(4):
        quota_clock_at_risk(
            live_server, staff, full_name=f"Waiting Person {chr(ord('A') + number)}", email=f"w{number}@candidate.test"
        )
    quota_clock_at_risk(live_server, staff, full_name=LONG_NAME, position_title=LONG_TITLE, email="long@candidate.test")

    page = phone_page(new_page, language)
    sign_in_any_language(page, staff.officer_email)
    page.goto("/officers/")
    expect(page.locator("#waiting-h")).to_be_visible()
    assert_fits_a_phone(page, "the officer console")
    assert_sign_out_on_one_line(page, "the officer console")

    page.goto("/officers/cases")
    assert_fits_a_phone(page, "the officer's case list")


def test_error_summary_link_leaves_the_label_and_message_in_view(new_page, staff: Staff) -> None:
    page = new_page(viewport=PHONE_390)
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    page.locator("#email").fill("not-an-address")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    summary.locator('a[href="#email"]').click()
    page.wait_for_function("() => window.scrollY > 0")
    for selector in ('label[for="email"]', "#email-error", "#email"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE_390["height"], (
            f"{selector} is not in view after following the error summary's link: {box}"
        )


def test_portal_send_a_new_copy_controls_say_which_document(new_page, live_server: LiveServer, staff: Staff) -> None:
    case = seed_case(live_server, staff, full_name="Amara Okafor", email="amara@candidate.test")
    link = invite_expert(live_server, staff, case)
    page = phone_page(new_page, "en")
    page.goto(link)
    files = {"photo": ("me.png", "image/png", png_bytes()), "cv": ("cv.pdf", "application/pdf", pdf_bytes())}
    for slug, (name, mime, data) in files.items():
        item = page.locator(f"#item-{slug}")
        item.get_by_label("Choose a file").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        item.locator("button[type=submit]").click()
        expect(page.locator(f"#item-{slug} .portal-status")).to_contain_text("Received, being checked")

    summaries = page.locator(".portal-task summary")
    expect(summaries).to_have_count(2)
    # The accessible name of a summary is its text, visually hidden parts included.
    names = [summary.evaluate("el => el.textContent.replace(/\\s+/g, ' ').trim()") for summary in summaries.all()]
    assert len(set(names)) == len(names), f"the 'Send a new copy' controls share a name: {names}"
    expect(page.locator("#item-photo summary")).to_have_accessible_name(re.compile(r"^Send a new copy\W+Photo$"))
    expect(page.locator("#item-cv summary")).to_have_accessible_name(re.compile(r"^Send a new copy\W+CV$"))
    assert_fits_a_phone(page, "the expert's portal")


def sign_in_any_language(page: Page, email: str) -> None:
    """Sign in by the fields' ids (the labels are in the browser's language), then wait for the sign-out button."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator(".site-header .inline-form button[type=submit]")).to_be_visible()
