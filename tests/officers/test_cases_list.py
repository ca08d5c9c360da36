"""The all-cases list: every filter, search, sort and page, and a CSV export that holds exactly the filtered list."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from talentcase.audit.models import AuditEntry
from tests import factories
from tests.cases.helpers import store_unchecked
from tests.officers.conftest import act, case_at

REF = re.compile(r"TC-\d{4}-\d{6}")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CASES_PER_PAGE": 3}


@pytest.fixture
def world(db, people):
    """Five cases across two companies, parks, technology areas, states and officers."""
    second_officer = factories.UserFactory(role="officer", email="second@park.test", name="Second Officer")
    a, b = people["company_a"], people["company_b"]  # HKSTP and Cyberport
    cases = {
        "draft_ai": case_at(db, people, a, "draft", full_name="Ada Draft", passport_number="K1111111"),
        "review_ai": case_at(db, people, a, "review", full_name="Ben Review", start=date(2026, 3, 2)),
        "quota_robot": case_at(
            db, people, a, "quota", full_name="Cy Quota", tech_area="robotics", start=date(2026, 3, 10)
        ),
        "visa_bio": case_at(
            db, people, b, "visa_prep", full_name="Di Visa", tech_area="biotechnology", start=date(2026, 3, 12)
        ),
        "paused_bio": case_at(
            db, people, b, "review", full_name="Eve Paused", tech_area="biotechnology", start=date(2026, 3, 16)
        ),
    }
    # A name stored before the names' rules refused "=": the export must still keep a spreadsheet from running it.
    store_unchecked(cases["paused_bio"], full_name="=Eve Paused")
    # The second officer is the last officer to act on the paused case (the first accepted nothing there).
    act(
        cases["paused_bio"],
        "request_info",
        date(2026, 3, 18),
        people,
        party="company",
        note="Send the BR.",
        actor=second_officer,
    )
    db.session.commit()
    return {"cases": cases, "second_officer": second_officer}


def _refs_in_list(client, query: str) -> set[str]:
    """Every reference the list shows for a query, following the pages."""
    found: set[str] = set()
    page = 1
    while True:
        html = client.get(f"/officers/cases?{query}&page={page}").get_data(as_text=True)
        table = html.split("<tbody>")[1].split("</tbody>")[0]
        found |= set(REF.findall(table))
        if 'rel="next"' not in html:
            return found
        page += 1


def _export(client, query: str) -> list[dict]:
    response = client.get(f"/officers/cases.csv?{query}")
    assert response.status_code == 200
    assert (response.mimetype, response.mimetype_params) == ("text/csv", {"charset": "utf-8"})
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


FILTERS = {
    "": {"review_ai", "quota_robot", "visa_bio", "paused_bio"},  # drafts are the companies' own until submitted
    "drafts=1": {"draft_ai", "review_ai", "quota_robot", "visa_bio", "paused_bio"},
    "status=draft": {"draft_ai"},
    "owner=none&drafts=1": {"draft_ai"},
    "status=review": {"review_ai", "paused_bio"},
    "sla=paused": {"paused_bio"},
    "sla=breached": {"review_ai"},  # three working days after 3 March have passed
    "company={b}": {"visa_bio", "paused_bio"},
    "park=Cyberport": {"visa_bio", "paused_bio"},
    "park=HKSTP&tech_area=robotics": {"quota_robot"},
    "tech_area=biotechnology&status=visa_prep": {"visa_bio"},
    "officer={officer}": {"quota_robot", "visa_bio"},  # accepted by the usual officer
    "officer={second}": {"paused_bio"},
    "q=k1111": set(),
    "q=k1111&drafts=1": {"draft_ai"},
    "q=ben": {"review_ai"},
    "q={ref}": {"quota_robot"},
    "company={b}&q=ben": set(),
    "status=nonsense": {"review_ai", "quota_robot", "visa_bio", "paused_bio"},  # unknown: ignored
}


@pytest.mark.parametrize("template", list(FILTERS))
def test_list_and_export_hold_exactly_what_the_filters_let_through(client, auth, people, world, template):
    cases = world["cases"]
    query = template.format(
        b=people["company_b"].id,
        officer=people["officer"].id,
        second=world["second_officer"].id,
        ref=cases["quota_robot"].reference.lower(),
    )
    expected = {cases[key].reference for key in FILTERS[template]}
    excluded = {case.reference for case in cases.values()} - expected
    auth.as_user(people["officer"])
    shown = _refs_in_list(client, query)
    exported = {row["Reference"] for row in _export(client, query)}
    assert shown == expected
    assert exported == expected
    assert not (shown | exported) & excluded


def test_export_follows_the_list_order_escapes_formulas_and_is_audited(client, auth, db, people, world):
    auth.as_user(people["officer"])
    rows = _export(client, "sort=name")
    assert [row["Full name in English"] for row in rows] == sorted(row["Full name in English"] for row in rows)
    assert "'=Eve Paused" in {row["Full name in English"] for row in rows}  # a spreadsheet will not run it as a formula
    assert db.session.query(AuditEntry).filter_by(action="cases_exported").count() == 1


def test_sorting_and_pagination(client, auth, people, world):
    auth.as_user(people["officer"])
    first = client.get("/officers/cases?sort=reference&drafts=1").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    refs = REF.findall(first.split("<tbody>")[1])
    assert refs == sorted(refs) and len(refs) == 3
    second = client.get("/officers/cases?sort=reference&drafts=1&page=2").get_data(as_text=True)
    assert REF.findall(second.split("<tbody>")[1]) == sorted(c.reference for c in world["cases"].values())[3:]
    due = client.get("/officers/cases?sort=due&status=review").get_data(as_text=True)
    ordered = REF.findall(due.split("<tbody>")[1])
    assert ordered[0] == world["cases"]["review_ai"].reference  # breached first; the paused case has no due date
    assert "Export these 2 cases as CSV" in due
    assert "status=review" in due.split("Export these")[0].rsplit("href=", 1)[1]


OFFICER_PAGES = ("/officers/", "/officers/cases", "/officers/cases.csv", "/officers/calendar")


@pytest.mark.parametrize("role", ["hr_a", "hr_b", "admin"])
def test_nobody_but_officers_reaches_the_console(client, auth, people, world, role):
    auth.as_user(people[role])
    for path in OFFICER_PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post("/officers/calendar").status_code == 403
    assert client.post("/officers/calendar/revoke").status_code == 403
    assert db_untouched(world)


def db_untouched(world) -> bool:
    return all(case.id for case in world["cases"].values())


def test_the_officer_who_last_acted_is_named_as_in_the_filter(client, auth, db, people, world):
    """The column and the filter's list name an officer alike: the name when there is one, else the address."""
    auth.as_user(people["officer"])
    page = client.get("/officers/cases?q=Eve").get_data(as_text=True)
    assert re.search(r"<td[^>]*>Second Officer</td>", page) and "second@park.test</td>" not in page
    people["officer"].name = ""
    db.session.commit()
    page = client.get("/officers/cases?q=Cy").get_data(as_text=True)
    assert re.search(r"<td[^>]*>officer@park.test</td>", page)  # no name: the address, as in the filter


def test_sorting_by_status_follows_the_case_life_not_the_codes(client, auth, db, people):
    company = people["company_a"]
    for status in ("visa", "draft", "approved", "review", "quota_prep"):
        case_at(db, people, company, status, full_name=f"Sort {status.replace('_', ' ').title()}")
    withdrawn = case_at(db, people, company, "review", full_name="Sort Withdrawn")
    act(withdrawn, "withdraw", date(2026, 3, 4), people)
    db.session.commit()
    auth.as_user(people["officer"])
    shown = []
    for page in (1, 2):  # three cases a page in the tests
        html = (
            client.get(f"/officers/cases?sort=status&drafts=1&page={page}").get_data(as_text=True).split("<tbody>")[1]
        )
        shown += re.findall(r'<span class="tag">([^<]+)</span>', html)
    assert shown == [
        "Draft",
        "Park review",
        "Preparing quota application",
        "With ImmD for visa",
        "Visa issued",
        "Withdrawn",
    ]
