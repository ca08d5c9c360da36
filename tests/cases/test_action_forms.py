"""The case page's small forms after a refusal (GOV.UK error pattern): one error summary at the top of the page that
links to each input in error, the message at the input (with an id the input's aria-describedby names), and what
was typed kept. Covers the action forms, the eligibility override and werkzeug's 413 for a far oversized letter."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine

from talentcase.cases import services
from talentcase.cases.models import Case
from talentcase.documents.display import upload_limit
from talentcase.extensions import db as _db
from tests.cases.test_views import make_case
from tests.conftest import AuthActions, make_app
from tests.documents.test_document_views import make_pdf

TODAY = date(2026, 3, 20)
LIMIT = 50_000
ENVELOPE = 16_384


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def in_review(db, people) -> Case:
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    return case


@pytest.fixture
def in_quota(db, people, in_review) -> Case:
    services.take_action(in_review, "accept", role="officer", actor=people["officer"], occurred_on=date(2026, 3, 17))
    services.take_action(in_review, "lodge_quota", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 18))
    db.session.commit()
    assert in_review.status == "quota"
    return in_review


# --- reading the page ----------------------------------------------------------------------------------------------


def control(page: str, element_id: str) -> str:
    """The opening tag of the input, select or textarea with this id (exactly one on the page)."""
    found = re.findall(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    assert len(found) == 1, f"{len(found)} controls with id {element_id}"
    return found[0]


def described_by(page: str, element_id: str) -> list[str]:
    match = re.search(r'aria-describedby="([^"]*)"', control(page, element_id))
    return match.group(1).split() if match else []


def error_at(page: str, element_id: str) -> str:
    """The text of the field's error message, checked to be named by the control's aria-describedby."""
    match = re.search(rf'<p class="error-message" id="{re.escape(element_id)}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message with id {element_id}-error"
    assert f"{element_id}-error" in described_by(page, element_id)
    assert 'aria-invalid="true"' in control(page, element_id)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def group_of(page: str, element_id: str) -> str:
    """The class of the form group whose label is for this control."""
    match = re.search(rf'<div class="([^"]*)">\s*<label class="label" for="{re.escape(element_id)}"', page)
    assert match, f"no form group labelling {element_id}"
    return match.group(1)


def summary(page: str) -> str:
    """The page's one error summary; it comes first in the main content, before the heading."""
    assert page.count('class="error-summary"') == 1
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert match is not None
    block = match.group(0)
    assert 'role="alert"' in block and 'tabindex="-1"' in block and "There is a problem" in block
    assert page.index('class="error-summary"') < page.index("<h1")
    return block


def summary_links(page: str) -> dict[str, str]:
    """The summary's links: target id -> text."""
    return {target: text.strip() for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary(page), re.S)}


def selected(page: str, select_id: str) -> list[str]:
    match = re.search(rf'<select\b[^>]*\bid="{re.escape(select_id)}"[^>]*>(.*?)</select>', page, re.S)
    assert match is not None
    return re.findall(r'<option value="([^"]*)" selected>', match.group(1))


# --- 1. the quota grant --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("places", "valid_until", "field", "message"),
    [
        ("0", "", "quota_places", "A quota has between 1 and 100 places."),
        ("abc", "", "quota_places", "The number of quota places must be a whole number."),
        ("101", "2027-06-30", "quota_places", "A quota has between 1 and 100 places."),
        ("7", "2020-01-01", "quota_valid_until", "The quota must be valid after the day it was granted."),
        ("7", "2027-02-30", "quota_valid_until", "Use a date in the form YYYY-MM-DD."),
    ],
)
def test_a_refused_quota_grant_says_why_at_the_field_and_keeps_what_was_typed(
    client, auth, people, db, in_quota, places, valid_until, field, message
):
    auth.as_user(people["officer"])
    data = {
        "action": "grant_quota",
        "occurred_on": "2026-03-19",
        "quota_places": places,
        "quota_valid_until": valid_until,
        "quota_reference": "ITC/TTA/2026/0042",
    }

    response = client.post(f"/cases/{in_quota.id}/actions", data=data, content_type="multipart/form-data")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field_id = f"{field}-grant_quota"
    assert error_at(page, field_id) == f"Error: {message}"
    assert "form-group-error" in group_of(page, field_id)
    assert summary_links(page) == {field_id: message}
    assert f'value="{places}"' in control(page, "quota_places-grant_quota")
    assert f'value="{valid_until}"' in control(page, "quota_valid_until-grant_quota")
    assert 'value="ITC/TTA/2026/0042"' in control(page, "quota_reference-grant_quota")
    assert 'value="2026-03-19"' in control(page, "occurred_on-grant_quota")
    # The hint stays described too, before the error.
    assert described_by(page, "quota_valid_until-grant_quota")[0] == "quota_valid_until-grant_quota-hint"
    db.session.refresh(in_quota)
    assert in_quota.status == "quota"


def test_every_problem_of_a_quota_grant_is_reported_at_once(client, auth, people, db, in_quota):
    auth.as_user(people["officer"])
    data = {
        "action": "grant_quota",
        "occurred_on": "2026-03-19",
        "quota_places": "0",
        "quota_valid_until": "2020-01-01",
        "quota_reference": "ITC/" + "9" * 60,
    }

    response = client.post(f"/cases/{in_quota.id}/actions", data=data, content_type="multipart/form-data")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    wanted = {
        "quota_places-grant_quota": "A quota has between 1 and 100 places.",
        "quota_valid_until-grant_quota": "The quota must be valid after the day it was granted.",
        "quota_reference-grant_quota": "The quota letter reference is too long (at most 60 characters).",
    }
    assert summary_links(page) == wanted
    for field_id, message in wanted.items():
        assert error_at(page, field_id) == f"Error: {message}"
    assert 'value="0"' in control(page, "quota_places-grant_quota")
    db.session.refresh(in_quota)
    assert in_quota.status == "quota"


def test_the_quota_form_starts_with_one_place_and_an_empty_validity(client, auth, people, in_quota):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_quota.id}").get_data(as_text=True)
    assert 'value="1"' in control(page, "quota_places-grant_quota")
    assert 'value=""' in control(page, "quota_valid_until-grant_quota")
    assert "error-summary" not in page and "aria-invalid" not in page


def test_a_good_quota_grant_still_records_what_was_typed(client, auth, people, db, in_quota):
    auth.as_user(people["officer"])
    data = {
        "action": "grant_quota",
        "occurred_on": "2026-03-19",
        "quota_places": "7",
        "quota_valid_until": "2028-03-18",
        "quota_reference": "ITC/7",
    }
    response = client.post(f"/cases/{in_quota.id}/actions", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(in_quota)
    assert in_quota.status == "visa_prep"
    assert (in_quota.quota.places, in_quota.quota.valid_until, in_quota.quota.reference) == (
        7,
        date(2028, 3, 18),
        "ITC/7",
    )


# --- 2. requesting information -------------------------------------------------------------------------------------


def test_a_refused_request_keeps_the_party_asked_and_says_what_is_missing(client, auth, people, in_review):
    auth.as_user(people["officer"])
    data = {"action": "request_info", "occurred_on": "2026-03-18", "party": "expert", "note": ""}

    response = client.post(f"/cases/{in_review.id}/actions", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert selected(page, "party-request_info") == ["expert"]
    message = "Write what is needed or why, so that the other side knows."
    assert error_at(page, "note-request_info") == f"Error: {message}"
    assert "form-group-error" in group_of(page, "note-request_info")
    assert summary_links(page) == {"note-request_info": message}
    assert 'value="2026-03-18"' in control(page, "occurred_on-request_info")


def test_an_unknown_party_is_refused_at_the_select_and_the_note_is_kept(client, auth, people, db, in_review):
    auth.as_user(people["officer"])
    data = {"action": "request_info", "occurred_on": "2026-03-18", "party": "the-boss", "note": "Send the BR."}

    response = client.post(f"/cases/{in_review.id}/actions", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    message = "Say whom the information is asked from: company or expert."
    assert error_at(page, "party-request_info") == f"Error: {message}"
    assert "form-group-error" in group_of(page, "party-request_info")
    assert summary_links(page) == {"party-request_info": message}
    assert re.search(r'id="note-request_info"[^>]*>Send the BR\.</textarea>', page)
    db.session.refresh(in_review)
    assert in_review.events[-1].action == "submit"


def test_with_nothing_posted_an_officer_asks_the_company_first(client, auth, people, in_review):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_review.id}").get_data(as_text=True)
    assert selected(page, "party-request_info") == []  # the first option, the company, as before
    assert '<option value="company">' in page


# --- 3. the error summary and the date and note fields ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-03-25", "The date cannot be in the future (today is 20 Mar 2026)."),
        ("2026-02-30", "Not a valid date value."),
    ],
)
def test_a_refused_date_is_linked_from_the_summary_and_described_at_the_input(client, auth, people, db, typed, message):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])

    response = client.post(
        f"/cases/{case.id}/withdraw", data={"confirm": "yes", "note": "On hold.", "occurred_on": typed}
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_at(page, "occurred_on-withdraw") == f"Error: {message}"
    assert described_by(page, "occurred_on-withdraw") == ["occurred_on-withdraw-hint", "occurred_on-withdraw-error"]
    assert "form-group-error" in group_of(page, "occurred_on-withdraw")
    assert summary_links(page) == {"occurred_on-withdraw": message}
    assert f'value="{typed}"' in control(page, "occurred_on-withdraw")
    assert "<title>Error: " in page


def test_a_refusal_for_the_whole_form_is_in_the_summary_and_in_the_form(client, auth, people, in_review):
    auth.as_user(people["hr_a"])
    # HR may ask the expert only: a company party (a tampered select) is refused by role, not by a field.
    data = {"action": "request_info", "occurred_on": "2026-03-18", "party": "company", "note": "Send it."}

    response = client.post(f"/cases/{in_review.id}/actions", data=data)

    assert response.status_code == 403  # a role's refusal, shown on the page
    page = response.get_data(as_text=True)
    links = summary_links(page)
    assert list(links) == ["action-request_info"]
    assert re.search(r'<form id="action-request_info"', page)
    assert re.search(r'<p class="error-message" id="action-request_info-error">', page)
    assert re.search(r'id="note-request_info"[^>]*>Send it\.</textarea>', page)


def test_a_refusal_of_an_action_not_on_the_page_is_in_the_summary_without_a_link(client, auth, people, in_review):
    auth.as_user(people["hr_a"])

    response = client.post(f"/cases/{in_review.id}/actions", data={"action": "accept"})

    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "cannot accept" in summary(page)
    assert summary_links(page) == {}


def test_the_case_page_without_a_refusal_has_no_summary(client, auth, people, in_review):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_review.id}").get_data(as_text=True)
    assert "error-summary" not in page
    assert "<title>Error" not in page
    assert described_by(page, "occurred_on-accept") == ["occurred_on-accept-hint"]


# --- 4. the eligibility override -----------------------------------------------------------------------------------


@pytest.fixture
def failing_degree(db, people) -> Case:
    case = make_case(db, people["company_a"], people["hr_a"], is_top100_university=False)
    assert any(row.result.code == "degree" and not row.ok for row in services.eligibility_report(case).rows)
    return case


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Too short", "Write a justification of at least 10 characters."),
        ("", "Write why this check may be overridden."),
    ],
)
def test_a_refused_override_says_why_at_the_justification_and_keeps_it(
    client, auth, people, db, failing_degree, typed, message
):
    auth.as_user(people["officer"])

    response = client.post(
        f"/cases/{failing_degree.id}/overrides", data={"check_code": "degree", "justification": typed}
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_at(page, "justification-degree") == f"Error: {message}"
    assert "form-group-error" in group_of(page, "justification-degree")
    assert summary_links(page) == {"justification-degree": message}
    assert re.search(rf'id="justification-degree"[^>]*>{typed}</textarea>', page)
    assert re.search(r"<details open>\s*<summary>Override this check</summary>", page)
    assert 'class="notice notice-error"' not in page  # no flash as well
    assert failing_degree.overrides == []


def test_a_second_override_of_the_same_check_is_refused_in_the_summary(client, auth, people, db, failing_degree):
    auth.as_user(people["officer"])
    data = {"check_code": "degree", "justification": "QS ranking 2026 places it 87th in engineering."}
    first = client.post(f"/cases/{failing_degree.id}/overrides", data=data)
    assert first.status_code == 302
    assert first.headers["Location"].endswith("#eligibility")

    again = client.post(f"/cases/{failing_degree.id}/overrides", data=data)

    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "is already overridden" in summary(page)
    assert summary_links(page) == {}  # the check has no override form any more


# --- 5. the eligibility section's name -----------------------------------------------------------------------------


def test_the_eligibility_section_is_named_by_its_heading(client, auth, people, in_review):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_review.id}").get_data(as_text=True)
    assert '<section aria-labelledby="eligibility-title" id="eligibility">' in page
    assert '<h2 id="eligibility-title">Eligibility</h2>' in page


# --- 6. a letter far over the limit --------------------------------------------------------------------------------


@pytest.fixture
def small_limits(app_config) -> dict:
    return {**app_config, "MAX_UPLOAD_BYTES": LIMIT, "MAX_CONTENT_LENGTH": LIMIT + ENVELOPE}


@pytest.fixture
def guarded_app(small_limits):
    """A second app on the same database with small request limits (and CSRF as asked); its connection pool is
    closed afterwards, so that no connection is left for the garbage collector (a ResourceWarning on PostgreSQL)."""
    made = []

    def make(*, csrf: bool):
        made.append(make_app(**{**small_limits, "WTF_CSRF_ENABLED": csrf}))
        return made[-1]

    yield make
    for guarded in made:
        with guarded.app_context():
            _db.engine.dispose()


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_a_letter_over_the_request_limit_gets_the_case_page_with_the_limit_at_the_letter(
    app, guarded_app, people, db, in_quota, csrf
):
    guarded = guarded_app(csrf=csrf)
    client = guarded.test_client()
    AuthActions(client).as_user(people["officer"])
    page = client.get(f"/cases/{in_quota.id}").get_data(as_text=True)
    target = re.search(r'<form id="action-grant_quota"[^>]*\baction="([^"]+)"', page).group(1)
    data = {
        "action": "grant_quota",
        "occurred_on": "2026-03-19",
        "quota_places": "7",
        "letter": (io.BytesIO(make_pdf(padding=4 * LIMIT)), "ITC letter.pdf"),
    }

    response = client.post(target, data=data, content_type="multipart/form-data")

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    message = error_at(page, "letter-grant_quota")
    assert "files can be at most 48.8 KB" in message
    assert list(summary_links(page)) == ["letter-grant_quota"]
    db.session.refresh(in_quota)
    assert in_quota.status == "quota"


def test_the_letter_inputs_say_the_limit_before_anything_is_sent(client, auth, people, in_quota):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_quota.id}").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="letter-grant_quota-hint">(.*?)</p>', page).group(1)
    assert hint == f"A PDF, JPEG or PNG file, at most {upload_limit()}. It is kept with the case documents."
    assert described_by(page, "letter-grant_quota") == ["letter-grant_quota-hint"]


def test_a_request_over_the_limit_for_someone_elses_case_shows_nothing_of_it(app, guarded_app, people, in_quota):
    guarded = guarded_app(csrf=True)
    client = guarded.test_client()
    AuthActions(client).as_user(people["hr_b"])
    data = {"action": "grant_quota", "letter": (io.BytesIO(make_pdf(padding=4 * LIMIT)), "ITC letter.pdf")}

    response = client.post(
        f"/cases/{in_quota.id}/actions?action=grant_quota", data=data, content_type="multipart/form-data"
    )

    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert in_quota.reference not in page and in_quota.full_name not in page
    assert "files can be at most 48.8 KB" in page
