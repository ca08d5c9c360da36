"""Each journey again with the keyboard alone: Tab and Shift+Tab to move, Enter and Space to act, typing into fields.
No clicks. At every Tab stop the focus must be visible (a real outline or focus ring from the stylesheet)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from talentcase.common import clock
from tests.browser.helpers import (
    PHONE,
    Accessibility,
    LiveServer,
    Staff,
    assert_focus_visible,
    choose,
    date_as_typed,
    focused,
    invite_expert,
    png_bytes,
    quota_clock_at_risk,
    seed_case,
    shown,
    sign_in_by_keyboard,
    tab_to,
    type_into,
)


def test_the_skip_link_is_first_visible_and_moves_focus_to_the_content(page: Page, staff: Staff) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert_focus_visible(page)
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"the focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), focused(page)
    assert focused(page)["id"] == "email", "the first stop in the content is the email field"

    # Shift+Tab goes back the way it came: from the password to the email field.
    type_into(page, "#email", staff.hr_email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#email")).to_be_focused()
    assert_focus_visible(page)


def answer_yes(page: Page, *names: str) -> None:
    """Tab into each declaration (nothing is chosen, so the focus lands on its first choice, "Yes") and choose it."""
    for name in names:
        tab_to(page, f"#{name}")
        page.keyboard.press("Space")
        expect(page.locator(f"#{name}")).to_be_checked()


def test_hr_journey_by_keyboard(page: Page, live_server: LiveServer, staff: Staff) -> None:
    sign_in_by_keyboard(page, staff.hr_email)
    tab_to(page, "main a[href$='/cases/new']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")

    type_into(page, "#full_name", "Noor Haddad")
    choose(page, "#nationality", "Jordan", "JO")
    type_into(page, "#email", "noor.haddad")  # the mistake
    choose(page, "#degree_level", "Doctorate", "doctorate")
    type_into(page, "#university", "University of Toronto")
    answer_yes(page, "is_stem_degree", "is_top100_university")
    type_into(page, "#years_experience", "1")
    type_into(page, "#position_title", "Quantum Algorithms Researcher")
    choose(page, "#tech_area", "Quantum", "quantum")
    type_into(page, "#monthly_salary_hkd", "61000")
    answer_yes(page, "is_full_time", "is_principally_rd")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # The error summary has the focus; Tab reaches its link, Enter puts the focus in the field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("noor.haddad@example.com")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="is open as a draft")).to_be_visible()

    tab_to(page, "main a[href$='/check']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case submitted")

    tab_to(page, "main a[href^='/cases/']:not([href$='/cases/'])")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Expert's private link")).to_be_visible()
    tab_to(page, "#expert-link button")
    page.keyboard.press("Space")
    expect(page.locator("#expert-link").get_by_text("Active", exact=True)).to_be_visible()

    # The draft pack: the radio group is one Tab stop; the download link takes the focus when the pack is ready.
    live_server.ensure_worker()
    tab_to(page, "#pack-kind-draft")
    expect(page.locator("#pack-kind-draft")).to_be_checked()
    tab_to(page, "#pack button[type=submit]")
    page.keyboard.press("Enter")
    link = page.locator("#pack-download-link")
    expect(link).to_be_focused(timeout=60_000)
    assert_focus_visible(page)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    assert download_info.value.suggested_filename.endswith(".pdf")


def test_expert_journey_by_keyboard(new_page, live_server: LiveServer, staff: Staff, a11y: Accessibility) -> None:
    today = clock.today()
    case = seed_case(
        live_server,
        staff,
        opened_on=today - timedelta(days=2),
        steps=(("submit", today - timedelta(days=1)),),
        full_name="Kenji Watanabe",
        email="kenji@candidate.test",
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    # Listening early switches on Playwright's file-chooser interception before any key is pressed (switching it on
    # only inside expect_file_chooser races with the key press).
    page.on("filechooser", lambda chooser: None)
    page.goto(invite_expert(live_server, staff, case))

    # Space on the file field opens the file chooser, as it would on a phone or a desktop.
    tab_to(page, "#item-photo input[type=file]")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files=[{"name": "kenji.png", "mimeType": "image/png", "buffer": png_bytes()}])
    tab_to(page, "#item-photo button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#item-photo .portal-status")).to_contain_text("Received, being checked")

    # The language switch is in the header, above the content: Shift+Tab goes back up to it.
    tab_to(page, "main button, main input, main select, main summary")
    tab_to(page, ".lang-switch a", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
    # The new page starts from the top: the skip link first, and it still leads into the content.
    tab_to(page, ".skip-link", limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    tab_to(page, "#item-photo summary")  # the received photo: "send a new copy" is behind a disclosure
    page.keyboard.press("Enter")
    expect(page.locator("#item-photo input[type=file]")).to_be_visible()
    a11y.check(page, "Portal after keyboard upload, Chinese")


def test_officer_journey_by_keyboard(page: Page, live_server: LiveServer, staff: Staff) -> None:
    case = quota_clock_at_risk(live_server, staff)
    sign_in_by_keyboard(page, staff.officer_email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Officer console")
    tab_to(page, f"section[aria-labelledby=risk-h] a[href$='/cases/{case.id}']")  # in the at-risk queue
    page.keyboard.press("Enter")
    expect(page.locator("#clock-quota .badge")).to_have_text("ITC quota: At risk")

    choose(page, "#party-request_info", "The c", "company")
    type_into(page, "#note-request_info", "Please send the signed employment contract.")
    tab_to(page, "form:has(input[name=action][value=request_info]) button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#clock-quota .badge")).to_have_text("ITC quota: Paused")
    expect(page.locator("#clock-overall .badge")).to_have_text("Four-week target: Paused")


def test_admin_journey_by_keyboard(
    page: Page,
    live_server: LiveServer,
    staff: Staff,
    no_closures_left: None,
) -> None:
    typhoon_on = clock.today()
    sign_in_by_keyboard(page, staff.admin_email)
    tab_to(page, "nav a[href$='/calendar']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")

    # A date field takes the day, month and year typed in the order the browser's locale shows them.
    tab_to(page, "#day")
    page.keyboard.type(date_as_typed(page, typhoon_on))
    expect(page.locator("#day")).to_have_value(typhoon_on.isoformat())
    choose(page, "#kind", "Typhoon", "typhoon8")
    type_into(page, "#note", "Typhoon Ragasa")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text=f"Closure day {shown(typhoon_on)} recorded")).to_be_visible()

    # Removing asks first: Enter on the table's link opens the question, Enter on "Yes" removes the day.
    tab_to(page, "table a[href$='/delete']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Remove the closure day {shown(typhoon_on)}?")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Closure days")).to_contain_text("No closure days recorded.")
