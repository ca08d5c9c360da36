"""The question a paused case waits on, end to end: the officer opens a submitted case and asks the company; HR signs
in, finds the question at the top of the case page (who asked, when, what), answers it with "resume the clocks", and
the case runs again."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from talentcase.common import clock
from tests.browser.helpers import Accessibility, LiveServer, Staff, seed_case, sign_in

QUESTION = "Please upload the signed contract page showing the 13th-month pay."


def test_officer_asks_hr_answers_at_the_top_of_the_case_page_and_the_clocks_resume(
    new_page, live_server: LiveServer, staff: Staff, a11y: Accessibility
) -> None:
    case = seed_case(live_server, staff, full_name="Rachel Lim Jia Hui", steps=(("submit", clock.today()),))

    officer: Page = new_page()
    sign_in(officer, staff.officer_email)
    officer.goto(f"/cases/{case.id}")
    expect(officer.get_by_role("heading", level=1)).to_contain_text(case.reference)
    ask = officer.locator("form.action-form").filter(has=officer.get_by_role("heading", name="Request information"))
    ask.get_by_label("Ask whom").select_option(label="The company")
    ask.get_by_label("What is needed").fill(QUESTION)
    ask.get_by_role("button", name="Request information").click()
    asked = officer.get_by_role("region", name="The open question")
    expect(asked).to_contain_text(QUESTION)
    expect(asked).to_contain_text("of the company")
    expect(asked.get_by_label("This answers the request: resume the clocks")).not_to_be_checked()  # not theirs
    a11y.check(officer, "Case page, the officer's open question")

    hr: Page = new_page()
    sign_in(hr, staff.hr_email)
    hr.goto(f"/cases/{case.id}")
    question = hr.get_by_role("region", name="The open question")
    expect(question).to_contain_text(QUESTION)
    expect(question).to_contain_text("(the park)")
    # At the top: before the deadlines, the documents and the actions.
    above = hr.evaluate(
        "() => document.querySelector('#question').getBoundingClientRect().top"
        " < document.querySelector('#clocks-title').getBoundingClientRect().top"
    )
    assert above
    a11y.check(hr, "Case page, the question for HR")
    question.get_by_label("Message").fill("The signed page is now on the documents page.")
    resume = question.get_by_label("This answers the request: resume the clocks")
    expect(resume).to_be_checked()
    question.get_by_role("button", name="Send the answer").click()

    expect(hr.get_by_role("status").filter(has_text="Your answer is sent; the clocks run again.")).to_be_visible()
    expect(hr.get_by_role("region", name="The open question")).to_have_count(0)
    expect(hr.get_by_text("The clocks are paused")).to_have_count(0)
    expect(hr.locator("#clock-review .badge")).not_to_contain_text("Paused")
    timeline = hr.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text("Information provided")

    hr.get_by_role("link", name="Messages").click()
    conversation = hr.get_by_role("region", name="Conversation")
    expect(conversation.locator("li.message")).to_have_count(2)
    expect(conversation.locator("li.message").first).to_contain_text(QUESTION)
    expect(conversation.locator("li.message").last).to_contain_text("The signed page is now on the documents page.")
    a11y.check(hr, "Messages page")
    a11y.assert_clean()
