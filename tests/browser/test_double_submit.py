"""A double click sends a form once: every layout loads js/double-submit.js, which ignores a second submit of the
same POST form within a second (the GOV.UK Design System's "prevent double click"), and never locks the form.

The live server answers POSTs after half a second here (`slow_posts`), as a busy one would: a person's double click
then lands its second click while the first request is still on its way, which without the script sends the form
twice (two drafts). Playwright's `dblclick()` with no delay fires both clicks in one go, and Chromium folds two
submits in one task into one request by itself, so the double clicks below hold the button down for 50 ms each
time, as a finger does. Two separate `locator.click()` calls cannot stand for two rapid clicks (the second waits for
the first's navigation to finish), so those are made with the mouse at the button, 100 ms apart.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, Route, expect
from sqlalchemy import func, select

from talentcase.cases.models import Case
from talentcase.documents.models import Document
from tests.browser.helpers import LiveServer, Staff, invite_expert, png_bytes, seed_case, sign_in
from tests.browser.test_hr_journey import fill_case_form

SERVER_DELAY_S = 0.5
WINDOW_MS = 1000  # the script's: a second submit of the same form within it is ignored


@pytest.fixture
def slow_posts(live_server: LiveServer) -> Iterator[list[str]]:
    """The live server answers every POST half a second late; yields the paths of the POSTs it received."""
    app = live_server.app
    inner = app.wsgi_app
    received: list[str] = []

    def slow(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            received.append(environ["PATH_INFO"])
            time.sleep(SERVER_DELAY_S)
        return inner(environ, start_response)

    app.wsgi_app = slow
    try:
        yield received
    finally:
        app.wsgi_app = inner


def double_click(page: Page, button: Locator) -> None:
    """A person's double click: the button held down 50 ms each time, the second click ~100 ms after the first."""
    button.dblclick(delay=50)


def two_clicks(page: Page, button: Locator) -> None:
    """Two separate clicks with the mouse on the button, 100 ms apart."""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)


def company_cases(live_server: LiveServer, staff: Staff) -> int:
    with live_server.data() as session:
        return session.scalar(select(func.count()).select_from(Case).where(Case.company_id == staff.company_id))


@pytest.mark.parametrize("clicks", [double_click, two_clicks], ids=["double click", "two rapid clicks"])
def test_clicking_save_as_draft_twice_opens_one_draft(
    page: Page, live_server: LiveServer, staff: Staff, slow_posts: list[str], clicks: Callable[[Page, Locator], None]
) -> None:
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    fill_case_form(page, email="li.wei@example.com")
    slow_posts.clear()  # (the sign-in)

    clicks(page, page.get_by_role("button", name="Save as draft"))

    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("status").filter(has_text="is open as a draft")).to_have_count(1)
    assert company_cases(live_server, staff) == 1
    assert slow_posts == ["/cases/new"]


def test_a_double_click_on_an_expert_upload_sends_the_file_once(
    page: Page, live_server: LiveServer, staff: Staff, slow_posts: list[str]
) -> None:
    """The expert portal has a layout of its own (portal/base.html): it loads the script too."""
    case = seed_case(live_server, staff, full_name="Amara Okafor", email="amara@candidate.test")
    link = invite_expert(live_server, staff, case)
    page.goto(link)
    photo = page.locator("#item-photo")
    photo.get_by_label("Choose a file").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )

    double_click(page, photo.get_by_role("button", name="Upload Photo"))

    expect(page.get_by_role("status").filter(has_text="We have received your file")).to_have_count(1)
    expect(page.locator("#item-photo .portal-status")).to_contain_text("me.png")
    assert slow_posts == [f"{urlsplit(link).path}/documents/photo"]
    with live_server.data() as session:
        uploads = select(func.count()).select_from(Document).where(Document.case_id == case.id)
        assert session.scalar(uploads.where(Document.kind == "photo")) == 1


def test_after_a_validation_error_the_form_can_be_sent_again(
    page: Page, live_server: LiveServer, staff: Staff, slow_posts: list[str]
) -> None:
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    fill_case_form(page, email="li.wei-at-example")  # no domain: the server refuses it
    slow_posts.clear()

    double_click(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert slow_posts == ["/cases/new"]
    assert company_cases(live_server, staff) == 0

    # Put it right and send it straight away: the page that came back is not held by the first submit.
    page.get_by_label("Email address").fill("li.wei@example.com")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").filter(has_text="is open as a draft")).to_have_count(1)
    assert slow_posts == ["/cases/new", "/cases/new"]
    assert company_cases(live_server, staff) == 1


def test_when_the_page_stays_the_form_can_be_sent_again_after_a_second(
    page: Page, live_server: LiveServer, staff: Staff
) -> None:
    """A POST answered with a download leaves the page (and the script's memory) as it was: the guard only
    debounces, so a deliberate second submit after the window goes out. The answer is made up in the browser, so
    nothing reaches the server."""
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    fill_case_form(page, email="li.wei@example.com")
    sent: list[float] = []

    def answer_with_a_download(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(time.monotonic())
        route.fulfill(
            status=200,
            headers={"Content-Disposition": 'attachment; filename="answer.txt"', "Content-Type": "text/plain"},
            body="a file",
        )

    page.route(re.compile(r"/cases/new$"), answer_with_a_download)
    button = page.get_by_role("button", name="Save as draft")

    with page.expect_download():
        double_click(page, button)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")  # still on the form
    page.wait_for_timeout(200)
    assert len(sent) == 1

    page.wait_for_timeout(WINDOW_MS)
    with page.expect_download():
        button.click()
    assert len(sent) == 2
    # That submit started a window of its own: a click straight after it is ignored again.
    button.click()
    page.wait_for_timeout(300)
    assert len(sent) == 2
    assert company_cases(live_server, staff) == 0


def test_without_javascript_the_form_still_opens_a_case(new_page, live_server: LiveServer, staff: Staff) -> None:
    page: Page = new_page(java_script_enabled=False)
    sign_in(page, staff.hr_email)
    page.goto("/cases/new")
    fill_case_form(page, email="li.wei@example.com")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").filter(has_text="is open as a draft")).to_be_visible()
    assert company_cases(live_server, staff) == 1
