"""The documents page in Chromium: two files dropped on the drop area, each assigned to its item and uploaded in one
go; a file too large refused in the browser before anything is sent; and the page's height with a full case."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests.browser.helpers import Accessibility, LiveServer, Staff, pdf_bytes, png_bytes, seed_case, sign_in

DESKTOP = {"width": 1280, "height": 800}


def _file(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_two_dropped_files_are_assigned_and_uploaded_in_one_go(
    page: Page, live_server: LiveServer, staff: Staff, a11y: Accessibility
):
    case = seed_case(live_server, staff, opened_on=date.today(), email="drop@candidate.test")
    sign_in(page, staff.hr_email)
    page.goto(f"/cases/{case.id}/documents")
    expect(page.locator(".drop-slots")).to_be_hidden()  # the script replaced the plain slots
    page.set_input_files(
        "#drop-input",
        [_file("Rachel passport.pdf", "application/pdf", pdf_bytes()), _file("scan 7.png", "image/png", png_bytes())],
    )
    choices = page.locator(".drop-list select")
    expect(choices).to_have_count(2)
    expect(choices.nth(0)).to_have_value("passport-0")  # guessed from the name
    expect(choices.nth(1)).to_have_value("")  # nothing to guess from: the person chooses
    a11y.check(page, "Documents: two files chosen")
    choices.nth(1).select_option("photo-0")
    page.get_by_role("button", name="Upload the files").click()
    expect(page.locator("#status-passport-0")).to_contain_text("Waiting for review")
    expect(page.locator("#status-photo-0")).to_contain_text("Waiting for review")
    expect(page.get_by_role("status").filter(has_text="2 files are uploaded")).to_be_visible()


def test_a_file_too_large_is_refused_in_the_browser_before_anything_is_sent(
    page: Page, live_server: LiveServer, staff: Staff
):
    case = seed_case(live_server, staff, opened_on=date.today(), email="big@candidate.test")
    sign_in(page, staff.hr_email)
    page.goto(f"/cases/{case.id}/documents")
    limit = int(page.locator(".drop-area").get_attribute("data-max-bytes"))
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.set_input_files("#drop-input", [_file("cv.pdf", "application/pdf", b"%PDF-" + b"0" * limit)])
    expect(page.locator(".drop-refused")).to_contain_text("cv.pdf is too large")
    expect(page.locator(".drop-list select")).to_have_count(0)
    page.get_by_role("button", name="Upload the files").click()
    expect(page.locator(".drop-area > .error-message")).to_contain_text("Choose at least one file")
    page.wait_for_timeout(300)
    assert posts == []  # nothing was sent


def test_the_page_of_a_full_case_stays_short(page: Page, live_server: LiveServer, staff: Staff):
    from talentcase.cases.models import Case
    from talentcase.documents import services
    from talentcase.documents.models import Dependant

    case = seed_case(live_server, staff, opened_on=date.today(), email="full@candidate.test")
    with live_server.data() as session:
        stored = session.get(Case, case.id)
        session.add(Dependant(case=stored, relationship_kind="spouse", full_name="Tan Wei Jie Daniel"))
        session.flush()
        kinds = ["br_certificate", "employment_contract", "job_particulars", "passport", "photo"]
        kinds += ["degree_certificate", "proof_of_experience", "cv", "criminal_conviction_declaration"]
        for kind in kinds:
            services.upload(stored, kind, pdf_bytes(), f"{kind}.pdf", uploader_label="hr")
        spouse = stored.dependants[0].id
        for kind in ("dependant_travel_document", "dependant_photo"):
            services.upload(stored, kind, png_bytes(), f"{kind}.png", dependant_id=spouse, uploader_label="hr")
    page.set_viewport_size(DESKTOP)
    sign_in(page, staff.hr_email)
    page.goto(f"/cases/{case.id}/documents")
    expect(page.locator("#status-cv-0")).to_contain_text("Waiting for review")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"documents page height at 1280x800 with 11 uploads and a spouse: {height} px")
    assert height < 3000, height  # the walk measured 4,754 px
