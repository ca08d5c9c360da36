"""The API keeps a case whose clock passed its due date before information was asked for among the breaches: in the
`sla` filter, in the case's clock states and in the SLA summary."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api import make_case


@pytest.fixture
def late_then_paused(db, people, frozen):
    """Review due Thursday 19 March; on Friday 20 March (TODAY) the officer asks the company for information."""
    case = make_case(
        people["company_a"],
        full_name="Paul Late",
        steps=[("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 20), "company")],
    )
    db.session.commit()
    return case


def test_the_breached_filter_still_finds_a_case_paused_after_its_due_date(api, late_then_paused):
    breached = api("officer", "get", "/api/v1/cases?sla=breached").json
    assert [item["id"] for item in breached["items"]] == [late_then_paused.id]
    # Its four-week target, not yet due, is paused: the case is listed under `paused` for that clock.
    assert [item["id"] for item in api("officer", "get", "/api/v1/cases?sla=paused").json["items"]] == [
        late_then_paused.id
    ]


def test_the_case_says_breached_and_paused_beside_it(api, late_then_paused):
    sla = api("officer", "get", f"/api/v1/cases/{late_then_paused.id}").json["sla"]
    review = sla["review"]
    assert (review["due_on"], review["state"], review["is_paused"]) == ("2026-03-19", "breached", True)
    assert review["pauses"][0]["extends_due"] is False
    assert (sla["overall"]["state"], sla["overall"]["is_paused"]) == ("paused", True)  # due 13 April: not late


def test_the_summary_counts_it_as_breached(api, late_then_paused):
    summary = api("officer", "get", "/api/v1/sla/summary").json
    assert summary["clocks"]["review"]["breached"] == 1
    assert summary["clocks"]["review"]["paused"] == 0
    alpha = next(company for company in summary["companies"] if company["id"] == late_then_paused.company_id)
    assert alpha["clocks"]["review"]["breached"] == 1
