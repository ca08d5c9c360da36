"""The three journeys (HR, park officer, expert) in Traditional Chinese: every page is screenshotted and must show no
English UI text, only the data the test put in (see tests/browser/english_left.py).

HR and the officer choose Chinese as their preference (the browser asks for zh-HK, so the sign-in page is Chinese
too); the expert switches with the private link's own language switch.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from talentcase.accounts.models import Company, User
from talentcase.cases.models import Case
from talentcase.common import clock
from tests.browser.english_left import NoEnglishLeft, chinese
from tests.browser.helpers import (
    PASSWORD,
    PHONE,
    LiveServer,
    Staff,
    invite_expert,
    pdf_bytes,
    png_bytes,
    quota_clock_at_risk,
    seed_case,
)
from tests.cases.helpers import case_values

ZH = chinese()
zh = ZH.gettext
CHINESE_BROWSER = {"locale": "zh-HK"}  # Accept-Language: zh-HK, so the pages before sign-in are Chinese too

# What the HR journey types in: data values, shown as typed.
NEW_CASE = {
    "full_name": "Li Wei",
    "passport_number": "K12345678",
    "degree_field": "Computer Science",
    "university": "University of Cambridge",
    "position_title": "Robotics Perception Engineer",
}


@pytest.fixture
def chinese_staff(live_server: LiveServer, staff: Staff) -> Staff:
    """The test's staff, with Traditional Chinese as their preferred language."""
    with live_server.data() as session:
        for user_id in (staff.hr_id, staff.officer_id):
            session.get(User, user_id).preferred_language = "zh_Hant_HK"
    return staff


@pytest.fixture
def no_english(tmp_path: Path, staff: Staff) -> NoEnglishLeft:
    """The check, knowing the data values every journey shows: the company, the staff and the seeded particulars."""
    values = {staff.company_name, "Helen Ho", "Oscar Chan", *NEW_CASE.values()}
    values |= {value for value in case_values().values() if isinstance(value, str) and not value.isdigit()}
    return NoEnglishLeft(tmp_path, values)


def sign_in_in_chinese(page: Page, email: str, check: NoEnglishLeft) -> None:
    page.goto("/login")
    check.check(page, "Sign in")
    page.get_by_label(zh("Email address")).fill(email)
    page.get_by_label(zh("Password")).fill(PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    expect(page.get_by_role("button", name=zh("Sign out"))).to_be_visible()


def test_hr_journey_in_chinese(new_page, live_server: LiveServer, chinese_staff: Staff, no_english: NoEnglishLeft):
    page = new_page(**CHINESE_BROWSER)
    sign_in_in_chinese(page, chinese_staff.hr_email, no_english)
    no_english.check(page, "Our cases")

    page.get_by_role("link", name=zh("Open a new case")).first.click()
    no_english.check(page, "Open a new case")
    for name, value in NEW_CASE.items():
        page.locator(f"#{name}").fill(value)
    page.locator("#nationality").select_option("GB")
    page.locator("#email").fill("li.wei-at-example")  # a mistake, to see the error summary
    page.locator("#degree_level").select_option("master")
    page.locator("#years_experience").fill("3")
    page.locator("#tech_area").select_option("robotics")
    page.locator("#monthly_salary_hkd").fill("58000")
    for name in ("is_stem_degree", "is_top100_university", "is_full_time", "is_principally_rd"):
        page.locator(f"#{name}").check()  # the first choice of each declaration: "Yes"
    page.get_by_role("button", name=zh("Save as draft")).click()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    no_english.check(page, "Open a new case, with an error")

    page.locator("#email").fill("li.wei@example.com")
    page.get_by_role("button", name=zh("Save as draft")).click()
    expect(page.get_by_text(zh("No clock has started yet. The clocks start when the case is submitted to the park.")))
    reference = re.search(r"TC-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    no_english.check(page, "Case page, draft")

    page.get_by_role("link", name=zh("Check and submit")).click()
    no_english.check(page, "Check your answers")
    page.get_by_role("button", name=zh("Submit to the park")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Case submitted"))
    no_english.check(page, "Case submitted")

    page.get_by_role("link", name=zh("Go to the case")).click()
    expect(page.locator("#clock-review")).to_be_visible()
    page.locator("#expert-link").get_by_role("button").first.click()
    expect(page.locator("#expert-link dl")).to_contain_text("li.wei@example.com")
    no_english.check(page, "Case page, submitted, link sent")

    live_server.ensure_worker()
    page.locator("#pack").get_by_role("button").last.click()
    link = page.locator("#pack-download-link")
    expect(link).to_be_visible(timeout=60_000)
    no_english.check(page, "Pack progress, finished")

    page.get_by_role("link", name=re.compile(re.escape(reference))).first.click()
    expect(page.locator("h1")).to_contain_text(reference)
    no_english.check(page, "Case page, with a pack")

    case_path = re.search(r"/cases/\d+", page.url).group(0)
    page.goto(f"{case_path}/documents")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_english.check(page, "Documents checklist")
    no_english.assert_clean()


def test_officer_journey_in_chinese(new_page, live_server: LiveServer, chinese_staff: Staff, no_english: NoEnglishLeft):
    case = quota_clock_at_risk(live_server, chinese_staff)
    with live_server.data() as session:  # the console lists every company and case, the other tests' too
        no_english.data_values |= {*session.scalars(select(Company.name)), *session.scalars(select(Case.full_name))}
        no_english.data_values |= set(session.scalars(select(Case.position_title)))
        no_english.data_values |= {name for name in session.scalars(select(User.name)) if name}
    page = new_page(**CHINESE_BROWSER)
    sign_in_in_chinese(page, chinese_staff.officer_email, no_english)
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Officer console"))
    no_english.check(page, "Officer console")

    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("#clock-quota .badge")).to_contain_text(zh("At risk"))
    page.locator("#clock-quota details summary").click()  # the explanation, with its dates and day names
    no_english.check(page, "Case page, quota at risk")

    ask = page.locator("form.action-form").filter(has=page.get_by_role("heading", name=zh("Request information")))
    ask.locator("select[name=party]").select_option("company")
    ask.locator("textarea[name=note]").fill("請提交已簽署的僱傭合約。")
    ask.get_by_role("button", name=zh("Request information")).click()
    expect(page.locator("#clock-quota .badge")).to_contain_text(zh("Paused"))
    for details in page.locator(".clock details").all():
        details.locator("summary").click()
    no_english.check(page, "Case page, paused")

    # A refusal from the state machine, in Chinese: the case cannot be accepted while it waits for information.
    page.get_by_role("link", name=zh("Console")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Officer console"))
    no_english.check(page, "Officer console, case paused")

    page.goto(f"/cases/{case.id}/documents")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_english.check(page, "Documents, for review")
    page.goto("/officers/cases?sla=paused&sort=due")
    expect(page.get_by_role("link", name=case.reference).first).to_be_visible()
    no_english.check(page, "All cases, filtered")
    no_english.assert_clean()


def test_expert_journey_in_chinese(new_page, live_server: LiveServer, staff: Staff, no_english: NoEnglishLeft):
    today = clock.today()
    case = seed_case(
        live_server,
        staff,
        opened_on=today - timedelta(days=3),
        steps=(("submit", today - timedelta(days=2)),),
        full_name="Amara Okafor",
        email="amara@candidate.test",
    )
    no_english.data_values |= {case.full_name}
    link = invite_expert(live_server, staff, case)

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(link)
    page.get_by_role("navigation", name="Language").get_by_role("link", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
    no_english.check(page, "Portal")

    photo = page.locator("#item-photo")
    photo.locator("input[type=file]").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    photo.locator("button[type=submit]").click()
    expect(photo.locator(".portal-status")).to_contain_text("me.png")
    no_english.check(page, "Portal after an upload")

    cv = page.locator("#item-cv")
    cv.locator("input[type=file]").set_input_files(
        files=[{"name": "amara-cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    cv.locator("button[type=submit]").click()
    expect(cv.locator(".portal-status")).to_contain_text("amara-cv.pdf")
    no_english.check(page, "Portal after two uploads")
    no_english.assert_clean()
