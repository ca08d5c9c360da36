"""The admin records a typhoon closure on the very day a running ITC quota clock falls due; the officer, on the case
page, sees the due date run on to the next day (and back again when the admin removes the closure, which the admin
confirms on a page that says what the removal does)."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from talentcase.sla import engine
from talentcase.sla.calendar import HKCalendar
from tests.browser.helpers import (
    QUOTA_DAYS,
    Accessibility,
    LiveServer,
    Staff,
    quota_due_by_today,
    seed_case,
    shown,
    sign_in,
)


def test_admin_records_a_typhoon_and_the_due_date_moves(
    new_page, live_server: LiveServer, staff: Staff, a11y: Accessibility, no_closures_left: None
) -> None:
    lodged_on, due_on = quota_due_by_today(live_server)
    case = seed_case(
        live_server,
        staff,
        opened_on=lodged_on - timedelta(days=3),
        steps=(
            ("submit", lodged_on - timedelta(days=2)),
            ("accept", lodged_on - timedelta(days=1)),
            ("lodge_quota", lodged_on),
        ),
        full_name="Sven Lindqvist",
        email="sven@candidate.test",
    )
    moved_to, rolled = engine.calendar_due(lodged_on, QUOTA_DAYS, 0, HKCalendar({due_on: "Typhoon signal 8"}))
    assert moved_to > due_on and rolled[0][0] == due_on

    # The officer watches the case.
    officer: Page = new_page()
    sign_in(officer, staff.officer_email)
    officer.goto(f"/cases/{case.id}")
    quota = officer.locator("#clock-quota")
    expect(quota).to_contain_text(f"Due {shown(due_on)}")
    a11y.check(officer, "Case page, quota due")

    # The admin records the typhoon on that day.
    admin: Page = new_page()
    sign_in(admin, staff.admin_email, a11y=a11y)
    a11y.check(admin, "Admin home")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Calendar")
    expect(admin.get_by_role("table", name="Closure days")).to_contain_text("No closure days recorded.")
    a11y.check(admin, "Admin calendar")
    admin.get_by_label("Date").fill(due_on.isoformat())
    admin.get_by_label("What happened").select_option(label="Typhoon signal 8 or above")
    admin.get_by_label("Note").fill("Typhoon Ragasa")
    admin.get_by_role("button", name="Record closure day").click()
    message = admin.get_by_role("status").filter(has_text=f"Closure day {shown(due_on)} recorded")
    expect(message).to_contain_text("open case(s) recomputed")
    closures = admin.get_by_role("table", name="Closure days")
    expect(closures).to_contain_text(shown(due_on))
    expect(closures).to_contain_text("Typhoon signal 8 or above")
    expect(closures).to_contain_text("Typhoon Ragasa")
    a11y.check(admin, "Admin calendar, closure recorded")

    # The officer reloads: the period cannot end on a typhoon day, so it runs on to the next day that counts.
    officer.reload()
    expect(quota).to_contain_text(f"Due {shown(moved_to)}")
    quota.get_by_text("How this due date was worked out").click()
    expect(quota.locator(".explanation")).to_contain_text("(Typhoon signal 8 or above — Typhoon Ragasa)")
    expect(quota.locator(".explanation")).to_contain_text("so it runs on to the next day")
    a11y.check(officer, "Case page, due date moved")

    # The admin removes the closure again (it was recorded by mistake). Removing asks first, and Cancel changes
    # nothing.
    closures.get_by_role("link", name=f"Remove {shown(due_on)}").click()
    question = f"Remove the closure day {shown(due_on)}?"
    expect(admin.get_by_role("heading", level=1)).to_have_text(question)
    expect(admin).to_have_title(f"{question} – TalentCase")
    expect(admin.locator("main")).to_contain_text("Typhoon Ragasa")
    expect(admin.locator("main")).to_contain_text("Deadlines will treat this day as an ordinary day again.")
    expect(admin.locator("main")).to_contain_text(re.compile(r"The clocks of \d+ open cases? that were running"))
    a11y.check(admin, "Admin calendar, remove a closure day?")
    admin.get_by_role("link", name="Cancel").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Calendar")
    expect(closures).to_contain_text("Typhoon Ragasa")
    officer.reload()
    expect(quota).to_contain_text(f"Due {shown(moved_to)}")

    # This time the admin says yes: the closure goes and the due date goes back.
    closures.get_by_role("link", name=f"Remove {shown(due_on)}").click()
    admin.get_by_role("button", name="Yes, remove this closure day").click()
    expect(admin.get_by_role("status").filter(has_text=f"Closure day {shown(due_on)} removed")).to_contain_text(
        "open case(s) recomputed"
    )
    expect(admin.get_by_role("table", name="Closure days")).to_contain_text("No closure days recorded.")
    officer.reload()
    expect(quota).to_contain_text(f"Due {shown(due_on)}")
    a11y.assert_clean()
