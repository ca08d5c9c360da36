"""HR's "Needs your action" panel at the top of the case list, and the "Waiting on us" filter: each reason appears
for a case in that situation and goes once HR has acted; never another company's case; the filter lists exactly the
panel's cases; the empty panel says so in words."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine

from talentcase.cases import todo
from talentcase.common.clock import HONG_KONG
from talentcase.documents import services as documents
from talentcase.portal import services as portal
from tests.cases.helpers import act, make_case, walk_to
from tests.documents.test_document_views import make_pdf

NOON = datetime(2026, 3, 20, 12, 0, tzinfo=HONG_KONG)
TODAY = NOON.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def _section(page: str) -> str:
    found = re.search(r'<section[^>]*id="needs-action".*?</section>', page, re.S)
    assert found, "the case list has no Needs your action panel"
    return found.group(0)


def panel(client) -> dict[str, list[str]]:
    """The panel's cases as {reference: [reason codes]}, in the panel's order."""
    response = client.get("/cases/")
    assert response.status_code == 200
    items: dict[str, list[str]] = {}
    for reference, body in re.findall(
        r'<li class="todo-case" data-case="([^"]+)">(.*?)</li>\s*<!--/case-->',
        _section(response.get_data(as_text=True)),
        re.S,
    ):
        items[reference] = re.findall(r'data-reason="([a-z_]+)"', body)
    return items


def panel_text(client) -> str:
    return " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", _section(client.get("/cases/").get_data(as_text=True)))).split()
    )


def listed(client, query: str) -> list[str]:
    """The references in the case list's table for this query string."""
    page = client.get(f"/cases/?{query}").get_data(as_text=True)
    table = re.search(r"<table.*?</table>", page, re.S).group(0)
    return re.findall(r">(TC-\d{4}-\d{6})<", table)


def assert_lands(client, href: str) -> None:
    """The panel links to `href`, and following it as HR opens a page that has the form or item it points at."""
    assert f'href="{href}"' in _section(client.get("/cases/").get_data(as_text=True))
    path, _hash, anchor = href.partition("#")
    response = client.get(path)
    assert response.status_code == 200, href
    if anchor:
        assert f'id="{anchor}"' in response.get_data(as_text=True), href


def test_a_draft_waits_on_hr_until_it_is_submitted(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {case.reference: ["draft"]}
    assert "Draft not submitted yet" in panel_text(client)
    assert_lands(client, f"/cases/{case.id}/check")

    act(case, "submit", TODAY, people)
    db.session.commit()
    assert panel(client) == {}


def test_information_asked_of_the_company_waits_on_hr_until_provided(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 10))
    act(case, "request_info", date(2026, 3, 12), people, party="company", note="Send the signed contract.")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {case.reference: ["info_requested"]}
    assert "The park asked you for information" in panel_text(client)
    assert_lands(client, f"/cases/{case.id}#action-provide_info")

    act(case, "provide_info", TODAY, people, role="hr")
    db.session.commit()
    assert panel(client) == {}


def test_information_asked_of_the_expert_is_not_hrs(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 10))
    act(case, "request_info", date(2026, 3, 12), people, party="expert", note="Send your degree certificate.")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {}


def test_a_quota_to_lodge_then_the_visa_in_parallel_then_nothing(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "quota_prep", people, start=date(2026, 3, 10))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {case.reference: ["quota_to_lodge"]}
    assert "Lodge the quota application with the ITC" in panel_text(client)
    assert_lands(client, f"/cases/{case.id}#action-lodge_quota")

    act(case, "lodge_quota", date(2026, 3, 13), people)
    db.session.commit()
    # Under the 2025-12-24 policy the visa may be lodged while the ITC decides.
    assert panel(client) == {case.reference: ["visa_to_lodge"]}
    assert_lands(client, f"/cases/{case.id}#action-lodge_visa")

    act(case, "lodge_visa", TODAY, people)
    db.session.commit()
    assert panel(client) == {}


def test_a_quota_lodged_before_the_parallel_policy_waits_on_the_itc_not_on_hr(client, auth, people, db):
    with time_machine.travel(datetime(2025, 6, 20, 12, 0, tzinfo=HONG_KONG), tick=False):
        case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2025, 6, 2))
        walk_to(case, "quota", people, start=date(2025, 6, 10))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {}


def test_a_visa_to_lodge_waits_on_hr_until_lodged(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "visa_prep", people, start=date(2026, 3, 10))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {case.reference: ["visa_to_lodge"]}
    assert "Lodge the visa application with the Immigration Department" in panel_text(client)
    assert_lands(client, f"/cases/{case.id}#action-lodge_visa")

    act(case, "lodge_visa", TODAY, people)
    db.session.commit()
    assert panel(client) == {}


def test_a_rejected_document_waits_on_hr_until_replaced(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 10))
    cv = documents.upload(case, "cv", make_pdf(), "cv.pdf", uploader=people["hr_a"])
    documents.review(cv, "reject", reviewer=people["officer"], reason="The CV is unsigned.")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {case.reference: ["document_rejected"]}
    assert "A document was rejected: CV" in panel_text(client)
    assert_lands(client, f"/cases/{case.id}/documents#item-cv-0")

    documents.upload(case, "cv", make_pdf(2), "cv-signed.pdf", uploader=people["hr_a"])
    db.session.commit()
    assert panel(client) == {}


def test_an_expert_link_unopened_after_three_days_waits_on_hr_until_opened(client, auth, people, db, app):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 10))
    with app.test_request_context():
        link, _token = portal.invite(case, by=people["hr_a"])
    db.session.commit()
    auth.as_user(people["hr_a"])
    with time_machine.travel(NOON + timedelta(days=2, hours=23), tick=False):
        assert panel(client) == {}
    with time_machine.travel(NOON + timedelta(days=3, hours=1), tick=False):
        assert panel(client) == {case.reference: ["link_not_opened"]}
        assert "The expert has not opened the private link sent on 20 Mar 2026" in panel_text(client)
        assert_lands(client, f"/cases/{case.id}#expert-link")
        portal.mark_opened(link)
        db.session.commit()
        assert panel(client) == {}


def test_most_urgent_first_and_each_reason_of_a_case_listed(client, auth, people, db):
    later = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2), full_name="Later Li")
    walk_to(later, "visa_prep", people, start=date(2026, 3, 16))
    sooner = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2), full_name="Soon Sze")
    walk_to(sooner, "visa_prep", people, start=date(2026, 3, 2))
    photo = documents.upload(sooner, "photo", make_pdf(), "photo.pdf", uploader=people["hr_a"])
    documents.review(photo, "reject", reviewer=people["officer"], reason="Too dark.")
    draft = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2), full_name="Draft Doe")
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {
        sooner.reference: ["document_rejected", "visa_to_lodge"],
        later.reference: ["visa_to_lodge"],
        draft.reference: ["draft"],
    }
    assert list(panel(client)) == [sooner.reference, later.reference, draft.reference]


def test_never_another_companys_case(client, auth, people, db):
    mine = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    theirs = make_case(people["company_b"], creator=people["hr_b"], opened_on=date(2026, 3, 2))
    walk_to(theirs, "visa_prep", people, start=date(2026, 3, 10))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {mine.reference: ["draft"]}
    assert listed(client, "waiting=us") == [mine.reference]
    auth.as_user(people["hr_b"])
    assert panel(client) == {theirs.reference: ["visa_to_lodge"]}


def test_the_waiting_on_us_filter_lists_exactly_the_panels_cases(client, auth, people, db, app):
    company, hr = people["company_a"], people["hr_a"]
    cases = {
        name: make_case(company, creator=hr, opened_on=date(2026, 3, 2), full_name=name)
        for name in ("Draft Aa", "Review Bb", "Asked Cc", "Expert Dd", "Quota Ee", "Visa Ff", "Lodged Gg", "Issued Hh")
    }
    walk_to(cases["Review Bb"], "review", people, start=date(2026, 3, 10))
    walk_to(cases["Asked Cc"], "review", people, start=date(2026, 3, 10))
    act(cases["Asked Cc"], "request_info", date(2026, 3, 12), people, party="company", note="Contract?")
    walk_to(cases["Expert Dd"], "review", people, start=date(2026, 3, 10))
    act(cases["Expert Dd"], "request_info", date(2026, 3, 12), people, party="expert", role="hr", note="Degree?")
    walk_to(cases["Quota Ee"], "quota_prep", people, start=date(2026, 3, 10))
    walk_to(cases["Visa Ff"], "visa_prep", people, start=date(2026, 3, 10))
    walk_to(cases["Lodged Gg"], "visa", people, start=date(2026, 3, 10))
    walk_to(cases["Issued Hh"], "approved", people, start=date(2026, 3, 10))
    db.session.commit()
    auth.as_user(hr)
    waiting = {cases[name].reference for name in ("Draft Aa", "Asked Cc", "Quota Ee", "Visa Ff")}
    assert set(panel(client)) == waiting
    assert set(listed(client, "waiting=us")) == waiting
    others = {cases[name].reference for name in ("Review Bb", "Expert Dd", "Lodged Gg")}
    assert set(listed(client, "waiting=others")) == others
    assert len(listed(client, "")) == 8


def test_the_filter_is_kept_by_the_pager(client, auth, people, db, app):
    app.config["CASES_PER_PAGE"] = 2
    for number in range(3):
        make_case(
            people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2), full_name=f"Draft {'ABC'[number]}x"
        )
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = client.get("/cases/?waiting=us").get_data(as_text=True)
    assert re.search(r'<option value="us" selected', page)
    next_link = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', page).group(1))
    assert "waiting=us" in next_link and "page=2" in next_link


def test_the_panel_shows_the_most_urgent_and_links_to_all_of_them(client, auth, people, db):
    for number in range(todo.PANEL_SIZE + 1):
        make_case(
            people["company_a"],
            creator=people["hr_a"],
            opened_on=date(2026, 3, 2),
            full_name=f"Draft {chr(ord('A') + number)}x",
        )
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert len(panel(client)) == todo.PANEL_SIZE
    assert f"See all {todo.PANEL_SIZE + 1} cases waiting on you" in panel_text(client)
    assert_lands(client, "/cases/?waiting=us")


def test_nothing_to_do_says_so_in_words(client, auth, people, db):
    case = make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 10))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert panel(client) == {}
    assert "Nothing needs your action" in panel_text(client)
    assert listed(client, "waiting=us") == []


def test_an_unknown_waiting_value_is_ignored(client, auth, people, db):
    make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert client.get("/cases/?waiting=nonsense").status_code == 200
    assert len(listed(client, "waiting=nonsense")) == 1


def test_officers_get_no_hr_panel(client, auth, people, db):
    make_case(people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    auth.as_user(people["officer"])
    assert 'id="needs-action"' not in client.get("/cases/").get_data(as_text=True)
