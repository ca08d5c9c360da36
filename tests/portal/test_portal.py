"""The expert's portal: where the case stands, what is still needed, uploads, "I have sent it", contact details,
language, and that one link reaches one case only."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from rq.job import Job
from sqlalchemy import select

from talentcase.cases import services as cases
from talentcase.cases.models import Quota
from talentcase.documents import services as documents
from talentcase.documents.models import Document
from talentcase.jobs.models import JobRecord
from talentcase.jobs.queue import redis_connection
from talentcase.portal import services as portal
from tests.portal import NOW, issue_link, make_case, make_pdf, make_png, walk


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people):
    return make_case(people, email="priya@candidate.test", full_name="Priya Raghunathan")


@pytest.fixture
def token(app, case):
    return issue_link(app, case)


def _page(client, token: str) -> str:
    response = client.get(f"/portal/{token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _upload(client, token: str, slug: str, data: bytes, filename: str, **extra):
    form = {f"{slug}-file": (io.BytesIO(data), filename)}
    form.update({f"{slug}-{key}": value for key, value in extra.items()})
    return client.post(f"/portal/{token}/documents/{slug}", data=form, content_type="multipart/form-data")


def _documents(db, case) -> list[Document]:
    return db.session.scalars(select(Document).where(Document.case_id == case.id)).all()


# --- the page ------------------------------------------------------------------------------------------------------


def test_every_portal_response_is_private(client, token):
    for path in (f"/portal/{token}", "/portal/nonsense"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
    response = client.post(f"/portal/{token}/contact", data={"contact-email": "bad"})
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_has_no_staff_navigation_and_a_language_switch(client, token):
    page = _page(client, token)
    assert "Sign out" not in page and "Our cases" not in page and "My account" not in page
    assert f'href="/lang/zh_Hant_HK?next=/portal/{token}"' in page
    assert "繁體中文" in page
    # No inline script: only the double-submit guard every layout loads, from the static files.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/double-submit.js" defer>']
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page


def test_a_draft_case_shows_the_steps_to_come_and_only_the_experts_documents(client, token):
    page = _page(client, token)
    assert "Hello Priya Raghunathan" in page
    assert "Where your case stands" in page
    assert "Your employer is preparing your application." in page
    assert page.count("To come") >= 4
    # The company has no quota, so the ITC step is on the way.
    assert "A quota place from the Innovation and Technology Commission (ITC)" in page
    assert "What we still need from you" in page
    for label in ("Passport or travel document", "Photo", "Degree certificates", "CV", "Criminal conviction"):
        assert label in page
    for company_item in ("Business registration certificate", "Employment contract", "Quota Approval Letter"):
        assert company_item not in page
    assert "Missing" in page


def test_the_timeline_marks_done_steps_with_their_dates_and_the_current_one(client, people, case, token):
    dates = walk(case, people, "visa_prep")
    page = _page(client, token)
    assert "Your employer is preparing the visa application." in page
    assert 'aria-current="step"' in page
    assert page.count("Done ·") == 3  # submitted, park review, quota
    assert "3 Mar 2026" in page and dates["submit"] == date(2026, 3, 3)
    assert "ITC gave your employer a quota place for your job." in page
    current = re.search(r'aria-current="step">(.*?)</li>', page, re.S).group(1)
    assert "Now" in current and "Your visa application goes to the Immigration Department" in current


def test_a_stage_under_way_says_when_it_is_expected(client, people, case, token):
    walk(case, people, "visa", start=date(2026, 3, 14))
    page = _page(client, token)
    assert "The Immigration Department is considering your visa application." in page
    assert "Due by" in page and "under the authorities’ pledge" in page and "Expected around" in page


def test_a_case_that_skipped_the_quota_step_does_not_show_it(client, people, db, token, case):
    db.session.add(
        Quota(company_id=case.company_id, places=3, granted_on=date(2026, 1, 5), valid_until=date(2028, 1, 4))
    )
    db.session.commit()
    walk(case, people, "visa_prep")
    page = _page(client, token)
    assert "A quota place from the Innovation and Technology Commission" not in page


def test_each_visit_marks_the_link_opened(client, app, db, case, token):
    link = portal.resolve(token).link
    assert link.first_opened_at is None
    _page(client, token)
    with time_machine.travel(NOW.replace(hour=15), tick=False):
        _page(client, token)
    db.session.refresh(link)
    assert link.first_opened_at < link.last_opened_at


def test_reloading_within_minutes_writes_nothing(client, app, db, case, token):
    """The latest opening is kept to within five minutes, so that an expert reloading the page does not write."""
    from sqlalchemy import event

    writes: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE EXPERT_LINKS"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with time_machine.travel(NOW, tick=False):
            _page(client, token)  # the first opening
        with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
            _page(client, token)
        assert len(writes) == 1
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            _page(client, token)
        assert len(writes) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    link = portal.resolve(token).link
    db.session.refresh(link)
    assert (link.first_opened_at, link.last_opened_at) == (NOW, NOW + timedelta(minutes=5))


# --- uploads -------------------------------------------------------------------------------------------------------


def test_the_expert_uploads_their_passport(client, db, case, token):
    response = _upload(client, token, "passport", make_pdf(), "my passport.pdf", expires_on="2034-05-01")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/portal/{token}#documents")
    [document] = _documents(db, case)
    assert document.kind == "passport"
    assert document.uploaded_by_label == "expert"
    assert document.uploaded_by_id is None
    assert document.expires_on == date(2034, 5, 1)
    db.session.refresh(case)
    assert case.passport_expiry_on == date(2034, 5, 1)
    page = _page(client, token)
    assert "We have received your file" in page
    assert "Received, being checked" in page


def test_a_photo_upload_needs_no_expiry_date(client, db, case, token):
    assert _upload(client, token, "photo", make_png(), "me.png").status_code == 302
    assert [d.kind for d in _documents(db, case)] == ["photo"]


def test_a_passport_without_its_expiry_date_is_refused_with_an_error_summary(client, db, case, token):
    response = _upload(client, token, "passport", make_pdf(), "passport.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#passport-expires_on"' in page
    assert "Enter the passport expiry date" in page
    assert _documents(db, case) == []


def test_company_documents_cannot_be_uploaded_through_the_portal(client, db, case, token):
    response = _upload(client, token, "br_certificate", make_pdf(), "br.pdf")
    assert response.status_code == 403
    assert "provided by the company, not by you" in response.get_data(as_text=True)
    assert _documents(db, case) == []


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"<html><body>hello</body></html>", "passport.pdf", "web page"),
        (b"", "empty.pdf", "The file is empty"),
        (b"%PDF-1.4 truncated", "cut.pdf", "PDF"),
    ],
    ids=["html-as-pdf", "empty", "broken-pdf"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_stored(client, db, case, token, data, filename, message):
    response = _upload(client, token, "cv", data, filename)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#cv-file"' in page
    assert message in page
    assert _documents(db, case) == []


def test_no_file_chosen(client, db, case, token):
    response = client.post(f"/portal/{token}/documents/cv", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_an_oversize_file_is_refused_with_413_and_a_clear_message(app, client, db, case, token):
    app.config["MAX_UPLOAD_BYTES"] = 100
    response = _upload(client, token, "cv", make_pdf(), "cv.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "files can be at most" in page and "There is a problem" in page
    assert _documents(db, case) == []


def test_a_request_beyond_the_size_limit_gets_the_portal_page_not_an_error(app, client, db, case, token):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = _upload(client, token, "cv", b"%PDF-" + b"0" * 5000, "cv.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is too large" in page and f'href="/portal/{token}#documents"' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert _documents(db, case) == []


def test_a_rejected_document_says_why_and_asks_again(client, people, db, case, token):
    document = documents.upload(case, "cv", make_pdf(), "cv.pdf", uploader_label="expert", provider_only="expert")
    documents.review(document, "reject", reviewer=people["officer"], reason="The CV is two years old.")
    db.session.commit()
    page = _page(client, token)
    assert "Not accepted" in page
    assert "The CV is two years old." in page
    assert "please upload it again" in page


def test_a_closed_case_takes_no_more_uploads(client, people, db, case, token):
    cases.take_action(case, "withdraw", role="hr", actor=people["hr_a"], note="On hold.")
    db.session.commit()
    page = _page(client, token)
    assert "withdrawn" in page
    assert "/documents/passport" not in page
    # Nothing is asked for any more: no "still needed", no "being checked".
    assert "This case is closed: nothing more is needed from you." in page
    assert "What we still need from you" not in page and "still needs to be sent" not in page
    assert "Not sent" in page and "Missing" not in page
    assert _upload(client, token, "cv", make_pdf(), "cv.pdf").status_code == 409
    assert _documents(db, case) == []


# --- "I have sent what was asked" ----------------------------------------------------------------------------------


def _ask(case, people, party: str, note: str):
    role = "hr" if party == "expert" else "officer"
    actor = people["hr_a"] if role == "hr" else people["officer"]
    cases.take_action(case, "request_info", role=role, actor=actor, party=party, note=note)


def test_the_expert_answers_a_request_addressed_to_them(client, people, db, case, token):
    walk(case, people, "review")
    _ask(case, people, "expert", "Please upload your master's degree certificate.")
    db.session.commit()
    page = _page(client, token)
    assert "We need something from you" in page
    assert "Please upload your master&#39;s degree certificate." in page
    assert "I have sent what was asked" in page

    response = client.post(f"/portal/{token}/provided")
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.paused_party is None
    assert case.status == "review"
    last = case.events[-1]
    assert (last.action, last.actor_role, last.actor_label) == ("provide_info", "expert", "expert")
    page = _page(client, token)
    assert "We need something from you" not in page
    assert "you have sent what was asked" in page


def test_the_mails_of_the_experts_answer_go_to_rq_in_the_same_request(app, client, people, db, case, token, redis_url):
    """The HR users hear at once (immediate mode): their mail jobs are handed to RQ by the request itself, not left
    in the outbox for the periodic dispatcher."""
    app.config["REDIS_URL"] = redis_url
    walk(case, people, "review")
    _ask(case, people, "expert", "Please upload your master's degree certificate.")
    db.session.commit()
    before = set(db.session.scalars(select(JobRecord.id)))
    assert client.post(f"/portal/{token}/provided").status_code == 302
    mail_jobs = db.session.scalars(select(JobRecord).where(JobRecord.id.not_in(before), JobRecord.queue == "mail"))
    statuses = {row.id: row.status for row in mail_jobs}
    assert statuses and set(statuses.values()) == {"queued"}
    assert all(Job.exists(job_id, connection=redis_connection(app)) for job_id in statuses)


def test_the_button_does_nothing_when_the_company_was_asked(client, people, db, case, token):
    walk(case, people, "review")
    _ask(case, people, "company", "Send the BR certificate.")
    db.session.commit()
    page = _page(client, token)
    assert "We need something from you" not in page
    assert "Send the BR certificate." not in page  # a note to the company is not the expert's business
    assert "Your employer has been asked for more information" in page
    client.post(f"/portal/{token}/provided")
    db.session.refresh(case)
    assert case.paused_party == "company"
    assert [e.action for e in case.events][-1] == "request_info"


def test_the_button_does_nothing_when_nothing_was_asked(client, people, db, case, token):
    walk(case, people, "review")
    response = client.post(f"/portal/{token}/provided", follow_redirects=True)
    assert "Nothing is being asked of you right now." in response.get_data(as_text=True)
    db.session.refresh(case)
    assert [e.action for e in case.events] == ["submit"]


# --- contact details and language ----------------------------------------------------------------------------------


def test_contact_details_are_validated(client, db, case, token):
    response = client.post(
        f"/portal/{token}/contact",
        data={"contact-email": "not-an-email", "contact-phone": "call me", "contact-language": "en"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#contact-email"' in page
    db.session.refresh(case)
    assert case.email == "priya@candidate.test"


def test_a_bad_phone_number_is_refused(client, db, case, token):
    response = client.post(
        f"/portal/{token}/contact",
        data={"contact-email": "priya@new.test", "contact-phone": "call me maybe", "contact-language": "en"},
    )
    assert response.status_code == 422
    assert 'href="#contact-phone"' in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.email == "priya@candidate.test" and case.phone == ""


def test_contact_details_and_language_are_saved(client, db, case, token):
    response = client.post(
        f"/portal/{token}/contact",
        data={"contact-email": "Priya@New.Test", "contact-phone": "+852 5123 4567", "contact-language": "zh_Hant_HK"},
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.email, case.phone, case.expert_language) == ("Priya@new.test", "+852 5123 4567", "zh_Hant_HK")
    assert 'lang="zh-Hant-HK"' in _page(client, token)


def test_the_language_switch_shows_the_page_in_traditional_chinese(client, token):
    response = client.get(f"/lang/zh_Hant_HK?next=/portal/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/portal/{token}")
    page = _page(client, token)
    assert '<html lang="zh-Hant-HK">' in page
    assert f'href="/lang/en?next=/portal/{token}"' in page
    client.get("/lang/en")
    assert '<html lang="en">' in _page(client, token)


def test_the_experts_saved_language_is_used_until_they_choose_on_the_page(client, db, case, token):
    case.expert_language = "zh_Hant_HK"
    db.session.commit()
    assert '<html lang="zh-Hant-HK">' in _page(client, token)
    client.get("/lang/en")
    assert '<html lang="en">' in _page(client, token)


# --- one link, one case --------------------------------------------------------------------------------------------


@pytest.fixture
def other(app, people, db):
    """Case B of company B, with a dependant and a link of its own."""
    case_b = make_case(people, "company_b", email="bob@elsewhere.test", full_name="Bob Other")
    documents.add_dependant(case_b, "spouse", "Bea Other", date(1990, 1, 1))
    db.session.commit()
    return case_b


def test_a_link_for_case_a_cannot_touch_case_b(client, people, db, case, token, other):
    dependant_b = other.dependants[0]
    response = _upload(client, token, f"dependant_photo-{dependant_b.id}", make_png(), "bea.png")
    assert response.status_code == 422
    assert "This case has no dependant with the id" in response.get_data(as_text=True)  # nothing about case B
    assert _documents(db, other) == [] and _documents(db, case) == []

    walk(other, people, "review")
    _ask(other, people, "expert", "B only")
    db.session.commit()
    client.post(f"/portal/{token}/provided")
    client.post(
        f"/portal/{token}/contact",
        data={"contact-email": "a@a.test", "contact-phone": "", "contact-language": "en", "case_id": other.id},
    )
    db.session.refresh(other)
    assert other.paused_party == "expert"
    assert other.email == "bob@elsewhere.test"
    page = _page(client, token)
    assert "Bob Other" not in page and "B only" not in page


def test_the_portal_shows_the_dependants_items_of_its_own_case(client, db, case, token):
    dependant = documents.add_dependant(case, "child", "Kai Raghunathan", date(2019, 6, 1))
    db.session.commit()
    page = _page(client, token)
    assert "Photo: Kai Raghunathan" in page
    response = _upload(client, token, f"dependant_photo-{dependant.id}", make_png(), "kai.png")
    assert response.status_code == 302
    [document] = _documents(db, case)
    assert (document.kind, document.dependant_id, document.uploaded_by_label) == (
        "dependant_photo",
        dependant.id,
        "expert",
    )


ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")
STAFF_PAGES = (
    "/cases/",
    "/cases/{case_id}",
    "/cases/{case_id}/expert-link",
    "/cases/new",
    "/admin/companies",
    "/account",
)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_an_expert_with_a_link_gets_no_staff_page(client, case, token, path):
    _page(client, token)  # the expert's browser has visited the portal (and has a session cookie)
    response = client.get(path.format(case_id=case.id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    response = client.post(f"/cases/{case.id}/expert-link/invite")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_portal_works_by_token_alone_whoever_is_signed_in(client, auth, people, db, case, token, role):
    if role != "anonymous":
        auth.as_user(people[role])
    assert client.get(f"/portal/{token}").status_code == 200
    assert client.get("/portal/" + "x" * 43).status_code == 404
    assert "Get a fresh link" in client.get("/portal/").get_data(as_text=True)  # the start page, no case on it
    assert _upload(client, "x" * 43, "cv", make_pdf(), "cv.pdf").status_code == 404
    assert client.post("/portal/" + "x" * 43 + "/provided").status_code == 404
    assert _documents(db, case) == []
    assert _upload(client, token, "cv", make_pdf(), "cv.pdf").status_code == 302
    [document] = _documents(db, case)
    assert document.uploaded_by_label == "expert" and document.uploaded_by_id is None


@pytest.fixture
def csrf_on(app_config):
    app_config["WTF_CSRF_ENABLED"] = True


def test_with_csrf_on_the_portal_forms_carry_their_tokens(csrf_on, client, db, case, token):
    page = _page(client, token)
    csrf = re.search(r'name="cv-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = _upload(client, token, "cv", make_pdf(), "cv.pdf")
    assert refused.status_code == 400
    assert _documents(db, case) == []
    accepted = _upload(client, token, "cv", make_pdf(), "cv.pdf", csrf_token=csrf)
    assert accepted.status_code == 302
    assert len(_documents(db, case)) == 1


# --- a phone-sized screen ------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.parametrize("language", ["en", "zh_Hant_HK"])
def test_the_portal_fits_a_375px_phone_screen_without_sideways_scrolling(client, people, db, case, token, language):
    from playwright import sync_api

    assert CHROMIUM.exists(), "Chromium is installed by `make test` (.ci/system-deps.sh)"
    case.email = "a.rather.long.address.for.a.phone.screen@subdomain.example-company.test"
    walk(case, people, "review")
    _ask(case, people, "expert", "Please send https://example.test/a/long/address/without/any/spaces/at/all/in/it")
    documents.upload(case, "photo", make_png(), "IMG_" + "0" * 80 + ".png", uploader_label="expert")
    db.session.commit()
    client.get(f"/lang/{language}")
    pages = {
        "/portal": _upload(client, token, "passport", make_pdf(), "p.pdf").get_data(),  # with an error summary
        "/problem": client.get("/portal/not-a-token").get_data(),
    }
    with client.get("/static/css/app.css") as css:
        pages["/static/css/app.css"] = css.get_data()

    def serve(route):
        path = route.request.url.removeprefix("http://portal.test")
        kind = "text/css" if path.endswith(".css") else "text/html; charset=utf-8"
        route.fulfill(status=200, body=pages.get(path, b""), content_type=kind)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 375, "height": 800})
            page.route("**/*", serve)
            for path in ("/portal", "/problem"):
                page.goto(f"http://portal.test{path}")
                assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
                too_wide = page.evaluate(
                    "[...document.querySelectorAll('main *')]"
                    ".filter(e => e.getBoundingClientRect().right > 375).map(e => e.outerHTML.slice(0, 80))"
                )
                assert too_wide == [], path
            # Single column: inputs and buttons take the full width of their form.
            page.goto("http://portal.test/portal")
            widths = page.evaluate(
                "['#contact-email', '#contact-phone', '#contact-language', 'form[action$=\"/contact\"] button']"
                ".map(s => document.querySelector(s)).filter(Boolean)"
                ".map(e => [e.getBoundingClientRect().width, e.closest('form').getBoundingClientRect().width])"
            )
            assert widths and all(abs(own - form) < 1 for own, form in widths), widths
        finally:
            browser.close()


def test_a_form_sent_without_its_session_comes_back_to_the_experts_page_with_a_message(tmp_path):
    """With CSRF on, a post from another browser (no session) returns the expert to their page, never to the staff
    sign-in; a revoked link says so."""
    from talentcase.extensions import db as _db
    from tests import factories
    from tests.conftest import make_app

    app = make_app(
        WTF_CSRF_ENABLED=True, STORAGE_DIR=str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/c.db"
    )
    with app.app_context():
        _db.create_all()
        hr = factories.UserFactory(email="hr@alpha.test")
        people = {"hr_a": hr, "company_a": hr.company}
        token = issue_link(app, make_case(people), by=hr)
        client = app.test_client()
        response = client.post(f"/portal/{token}/provided", data={})
        assert response.status_code == 400  # refused, on the expert's own page
        page = response.get_data(as_text=True)
        assert "Nothing was sent: the page had been open too long or came from another browser." in page
        assert 'href="/login"' not in page
        portal.revoke_links(portal.resolve(token).link.case)
        _db.session.commit()
        assert client.post(f"/portal/{token}/provided", data={}).status_code == 410
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()
