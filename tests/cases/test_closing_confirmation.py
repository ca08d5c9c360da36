"""Withdrawing (HR) and rejecting (officer) close a case for good, so each asks first (GOV.UK "Are you sure?"): a page
that names the case and says what will happen, a required reason, and a "Yes" that posts the confirmation. A POST
without the confirmation, from the old case-page form or anywhere else, changes nothing."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import time_machine

from talentcase.cases.models import Case
from talentcase.portal import services as portal
from tests.cases.helpers import act, make_case, walk_to

TODAY = date(2026, 3, 31)
REASON = "The candidate accepted another offer."


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _text(page: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def holding_a_place(db, people) -> Case:
    """A case of company A granted its quota on 10 March 2026: in visa_prep with a reserved place, expert invited."""
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), chinese_name="拉古納坦")
    walk_to(case, "quota", people, start=date(2026, 3, 2))
    act(case, "grant_quota", date(2026, 3, 10), people, detail={"quota_places": 2})
    portal.invite(case, by=people["hr_a"])
    db.session.commit()
    assert (case.status, case.quota_place) == ("visa_prep", "reserved")
    return case


@pytest.fixture
def draft(db, people) -> Case:
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    return case


def _unchanged(db, case: Case, status: str) -> None:
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == status


def test_withdraw_asks_first_naming_the_case_and_what_will_happen(client, auth, people, holding_a_place):
    case = holding_a_place
    auth.as_user(people["hr_a"])

    response = client.get(f"/cases/{case.id}/withdraw")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = _text(page)
    assert f"Withdraw {case.reference}?" in text
    named = (case.reference, "Priya Raghunathan", "拉古納坦", "Machine Learning Engineer", "Alpha Robotics Limited")
    for part in named:
        assert part in text
    assert "The quota place reserved for this case is released" in text
    assert "The clock stops: Four-week target." in text
    assert "The park's officers are told." in text
    assert "The expert is told by email." in text
    assert "You cannot undo this" in text
    assert re.search(r'<input[^>]*name="confirm"[^>]*value="yes"', page)
    assert f'action="/cases/{case.id}/withdraw"' in page
    assert f'<a href="/cases/{case.id}">Cancel</a>' in page
    assert "Yes, withdraw this case" in text


def test_reject_asks_first_and_says_the_company_is_told(client, auth, people, db):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 16), people)
    db.session.commit()
    auth.as_user(people["officer"])

    text = _text(client.get(f"/cases/{case.id}/reject").get_data(as_text=True))

    assert f"Reject {case.reference}?" in text
    assert "HR at Alpha Robotics Limited are told, with your reason." in text
    assert "The clocks stop: Park review and Four-week target." in text
    assert "released" not in text  # the case holds no quota place
    assert "The expert has not been invited, so is not told." in text
    assert "Yes, reject this case" in text


def test_a_draft_has_no_clock_to_stop_and_no_place_to_release(client, auth, people, draft):
    auth.as_user(people["hr_a"])
    text = _text(client.get(f"/cases/{draft.id}/withdraw").get_data(as_text=True))
    assert "No clock has started, so none stops." in text
    assert "released" not in text


@pytest.mark.parametrize("address", ["/cases/{id}/withdraw", "/cases/{id}/actions"])
def test_a_post_without_the_confirmation_changes_nothing(client, auth, people, db, holding_a_place, address):
    case = holding_a_place
    auth.as_user(people["hr_a"])

    response = client.post(
        address.format(id=case.id), data={"action": "withdraw", "note": REASON, "occurred_on": "2026-03-31"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}/withdraw"
    _unchanged(db, case, "visa_prep")
    assert db.session.get(Case, case.id).quota_place == "reserved"


def test_the_old_reject_form_leads_to_the_question(client, auth, people, db):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 16), people)
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case.id}/actions", data={"action": "reject", "note": "Not eligible."})
    assert response.headers["Location"] == f"/cases/{case.id}/reject"
    _unchanged(db, case, "review")


def test_a_confirmation_without_a_reason_is_refused_at_the_reason(client, auth, people, db, holding_a_place):
    case = holding_a_place
    auth.as_user(people["hr_a"])

    response = client.post(f"/cases/{case.id}/withdraw", data={"confirm": "yes", "note": "  "})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert '<a href="#note-withdraw">Write why the case is withdrawn.</a>' in summary
    assert re.search(r'<p class="error-message" id="note-withdraw-error">.*Write why the case is withdrawn.', page)
    assert re.search(r'<textarea[^>]*id="note-withdraw"[^>]*aria-invalid="true"', page)
    assert "The quota place reserved for this case is released" in _text(page)  # still the question
    _unchanged(db, case, "visa_prep")


def test_a_confirmation_with_a_reason_withdraws_and_releases_the_place(client, auth, people, db, holding_a_place):
    case = holding_a_place
    auth.as_user(people["hr_a"])

    response = client.post(
        f"/cases/{case.id}/withdraw", data={"confirm": "yes", "note": REASON, "occurred_on": "2026-03-31"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.status, case.quota, case.quota_place) == ("withdrawn", None, None)
    assert (case.events[-1].action, case.events[-1].note) == ("withdraw", REASON)


def test_an_officer_rejects_with_a_reason(client, auth, people, db):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 16), people)
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case.id}/reject", data={"confirm": "yes", "note": "Not eligible."})
    assert response.status_code == 302
    _unchanged(db, case, "rejected")


@pytest.mark.parametrize(("user", "action"), [("hr_a", "reject"), ("officer", "withdraw")])
def test_the_question_is_only_for_who_may_take_the_action(client, auth, people, db, holding_a_place, user, action):
    auth.as_user(people[user])
    response = client.get(f"/cases/{holding_a_place.id}/{action}")
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{holding_a_place.id}"
    response = client.post(f"/cases/{holding_a_place.id}/{action}", data={"confirm": "yes", "note": REASON})
    assert response.status_code == 403
    _unchanged(db, holding_a_place, "visa_prep")


def test_another_tenants_case_is_missing(client, auth, people, holding_a_place):
    auth.as_user(people["hr_b"])
    assert client.get(f"/cases/{holding_a_place.id}/withdraw").status_code == 404
    assert client.post(f"/cases/{holding_a_place.id}/withdraw", data={"confirm": "yes"}).status_code == 404


def test_the_case_page_links_to_the_question_at_the_foot_of_the_actions(client, auth, people, draft):
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{draft.id}").get_data(as_text=True)
    actions = re.search(r'<section aria-labelledby="actions-title">.*?</section>', page, re.S).group(0)
    assert 'id="action-withdraw"' not in page  # no form that withdraws at once
    link = re.search(rf'<a class="[^"]*" href="/cases/{draft.id}/withdraw">([^<]*)</a>', actions)
    assert link and link.group(1) == "Withdraw this case…"
    assert actions.index("Check and submit") < link.start()
    assert "button-warning" not in actions
