"""The console keeps a clock that passed its due date before information was asked for among the breaches: the
counts, the breach list, the all-cases filter, the CSV export and the case page, each saying it is paused beside."""

from __future__ import annotations

from datetime import date

import pytest

from talentcase.officers import queries
from tests.officers.conftest import TODAY, act, case_at


@pytest.fixture
def late_then_paused(db, people):
    """Review due Thursday 19 March; on Friday 20 March (TODAY) the officer asks the company for information."""
    case = case_at(db, people, people["company_a"], "review", start=date(2026, 3, 15), full_name="Paul Late")
    act(case, "request_info", TODAY, people, party="company", note="The signed contract, please.")
    db.session.commit()
    return case


def test_the_console_counts_it_and_lists_it_among_the_breaches(db, late_then_paused):
    counts = queries.clock_state_counts(TODAY)
    assert (counts["review"]["breached"], counts["review"]["paused"]) == (1, 0)
    assert counts["overall"]["paused"] == 1  # the four-week target is due in April: paused, not late
    [row] = queries.breaches(TODAY)
    assert (row.case_id, row.clock, row.due_on, row.days_left) == (late_then_paused.id, "review", date(2026, 3, 19), -1)
    assert row.paused_party == "company"


def test_the_console_home_shows_it_breached_and_paused(client, auth, people, late_then_paused):
    auth.as_user(people["officer"])
    page = client.get("/officers/").get_data(as_text=True)
    breaches = page[page.index('id="breach-h"') :]
    assert late_then_paused.reference in breaches
    assert "paused for information from the company" in breaches


def test_the_breached_filter_and_the_export_keep_it(client, auth, people, late_then_paused):
    auth.as_user(people["officer"])
    listed = client.get("/officers/cases?sla=breached").get_data(as_text=True)
    assert late_then_paused.reference in listed
    assert "Breached · paused for information from the company" in listed
    text = client.get("/officers/cases.csv?sla=breached").get_data(as_text=True)
    [header, row] = [line.split(",") for line in text.removeprefix("\ufeff").strip().splitlines()]
    cells = dict(zip(header, row, strict=True))
    assert (cells["Reference"], cells["Park review: state"]) == (late_then_paused.reference, "Breached")
    assert cells["Four-week target: state"] == "Paused"


def test_the_case_page_says_breached_and_paused_beside_it(client, auth, people, late_then_paused):
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{late_then_paused.id}").get_data(as_text=True)
    review = page[page.index('id="clock-review"') : page.index('id="clock-overall"')]
    assert "Breached · paused for information from the company" in review


def test_the_hr_list_says_breached_and_paused_beside_it(client, auth, people, late_then_paused):
    auth.as_user(people["hr_a"])
    page = client.get("/cases/").get_data(as_text=True)
    assert "Park review: Breached · paused for information from the company" in " ".join(page.split())
