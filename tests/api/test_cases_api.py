"""The cases JSON API: who may do what, a whole case life with real dates, refusals, filters, pages, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from talentcase.cases.models import Case, CaseEvent
from tests.api import ROLES, case_body, make_case


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


# --- who may do what -----------------------------------------------------------------------------------------------

# (method, path, body): expected status for anonymous, hr_a, hr_b, officer, admin. {a} is a draft of company A.
PERMISSIONS = [
    ("get", "/api/v1/cases", None, (401, 200, 200, 200, 200)),
    ("post", "/api/v1/cases", case_body(), (401, 201, 201, 403, 403)),
    ("get", "/api/v1/cases/{a}", None, (401, 200, 404, 200, 200)),
    ("get", "/api/v1/cases/999999", None, (401, 404, 404, 404, 404)),
    ("patch", "/api/v1/cases/{a}", {"candidate": {"university": "ETH Zurich"}}, (401, 200, 404, 200, 403)),
    ("patch", "/api/v1/cases/999999", {}, (401, 404, 404, 404, 404)),
    ("post", "/api/v1/cases/{a}/events", {"action": "submit"}, (401, 201, 404, 403, 403)),
    ("post", "/api/v1/cases/{a}/events", {"action": "withdraw", "note": "On hold."}, (401, 201, 404, 403, 403)),
    ("post", "/api/v1/cases/999999/events", {"action": "submit"}, (401, 404, 404, 404, 404)),
    ("get", "/api/v1/sla/summary", None, (401, 403, 403, 200, 200)),
]


@pytest.mark.parametrize(("method", "path", "body", "expected"), PERMISSIONS, ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_permission_table(api, case_a, method, path, body, expected, role_index):
    role = ROLES[role_index]
    response = api(role, method, path.format(a=case_a.id), json=body)
    assert response.status_code == expected[role_index], (role, response.json)
    if response.status_code >= 400:
        assert set(response.json["error"]) >= {"code", "message"}


def test_another_tenants_case_is_missing_not_forbidden(api, case_a):
    for method, path in (("get", ""), ("patch", ""), ("post", "/events")):
        response = api("hr_b", method, f"/api/v1/cases/{case_a.id}{path}", json={"action": "withdraw"})
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
    assert _ids(api("hr_b", "get", "/api/v1/cases")) == set()
    assert _ids(api("hr_b", "get", f"/api/v1/cases?company={case_a.company_id}")) == set()


def test_bad_or_missing_token_is_401(client, case_a):
    for headers in ({}, {"Authorization": "Bearer tc_not-a-real-token"}, {"Authorization": "Basic abc"}):
        response = client.get(f"/api/v1/cases/{case_a.id}", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_session_write_needs_csrf_token(client, auth, people, case_a):
    auth.as_user(people["hr_a"])
    assert client.get(f"/api/v1/cases/{case_a.id}").status_code == 200
    response = client.patch(f"/api/v1/cases/{case_a.id}", json={"candidate": {"university": "X"}})
    assert response.status_code == 400
    assert "X-CSRFToken" in response.json["error"]["message"]


# --- a whole life ---------------------------------------------------------------------------------------------------


def test_case_life_from_draft_to_arrival(api, db, people, frozen):
    body = {**case_body(chinese_name="拉古納坦", passport_number="Z1234567"), "opened_on": "2026-03-02"}
    created = api("hr_a", "post", "/api/v1/cases", json=body)
    assert created.status_code == 201, created.json
    case = created.json
    assert created.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert case["reference"] == f"TC-2026-{case['id']:06d}"
    assert case["company"] == {"id": people["company_a"].id, "name": "Alpha Robotics Limited"}
    assert (case["status"], case["opened_on"], case["submitted_on"], case["sla"], case["events"]) == (
        "draft",
        "2026-03-02",
        None,
        {},
        [],
    )
    assert case["candidate"]["years_experience"] == 2.5
    assert case["candidate"]["chinese_name"] == "拉古納坦"
    assert case["candidate"]["field"] == ""  # schema.FIELDS API name for degree_field
    assert case["position"] == {
        "title": "Robotics Research Engineer",
        "tech_area": "robotics",
        "duties": "",
        "monthly_salary_hkd": 55000,
        "is_full_time": True,
        "is_principally_rd": True,
        "intended_start_on": None,
        "local_hire_confirmed": None,  # not answered (and not asked under the 2025 rules)
    }
    assert case["allowed_actions"] == ["submit", "withdraw"]
    assert all(row["passed"] or not row["blocking"] for row in case["eligibility"])
    url = created.headers["Location"]

    patched = api("hr_a", "patch", url, json={"position": {"intended_start_on": "2026-04-13"}})
    assert patched.status_code == 200
    assert patched.json["position"]["intended_start_on"] == "2026-04-13"
    assert patched.json["candidate"]["full_name"] == "Priya Raghunathan"  # a PATCH changes only what it names

    steps = [
        ("hr_a", {"action": "submit", "occurred_on": "2026-03-02"}, "review"),
        (
            "officer",
            {"action": "request_info", "occurred_on": "2026-03-03", "party": "company", "note": "Contract"},
            "review",
        ),
        ("hr_a", {"action": "provide_info", "occurred_on": "2026-03-04"}, "review"),
        ("officer", {"action": "accept", "occurred_on": "2026-03-05"}, "quota_prep"),
        ("hr_a", {"action": "lodge_quota", "occurred_on": "2026-03-06"}, "quota"),
        (
            "officer",
            {
                "action": "grant_quota",
                "occurred_on": "2026-03-13",
                "quota_places": 3,
                "quota_valid_until": "2028-03-12",
                "quota_reference": "ITC/Q/123",
            },
            "visa_prep",
        ),
        ("hr_a", {"action": "lodge_visa", "occurred_on": "2026-03-16"}, "visa"),
        ("officer", {"action": "issue_visa", "occurred_on": "2026-03-19"}, "approved"),
        ("hr_a", {"action": "record_arrival"}, "arrived"),  # occurred_on defaults to today
    ]
    for role, event_body, status in steps:
        response = api(role, "post", f"{url}/events", json=event_body)
        assert response.status_code == 201, (event_body, response.json)
        assert response.json["status"] == status

    final = api("officer", "get", url).json
    assert final["policy_code"] is not None and final["submitted_on"] == "2026-03-02"
    assert final["allowed_actions"] == []
    assert [e["action"] for e in final["events"]] == [
        "submit",
        "request_info",
        "provide_info",
        "accept",
        "lodge_quota",
        "grant_quota",
        "lodge_visa",
        "issue_visa",
        "record_arrival",
    ]
    first, asked, arrived = final["events"][0], final["events"][1], final["events"][-1]
    assert (first["from_status"], first["to_status"], first["actor"]) == ("draft", "review", "hr@alpha.test")
    assert first["recorded_at"] == "2026-03-20T12:00:00+08:00"
    assert (asked["party"], asked["note"], asked["actor"]) == ("company", "Contract", "officer@park.test")
    assert arrived["occurred_on"] == "2026-03-20"
    assert final["events"][5]["detail"] == {
        "quota_places": 3,
        "quota_valid_until": "2028-03-12",
        "quota_reference": "ITC/Q/123",
    }

    sla = final["sla"]
    assert set(sla) == {"review", "quota", "visa", "overall"}
    review = sla["review"]
    assert (review["day_kind"], review["target_days"], review["started_on"], review["stopped_on"]) == (
        "working",
        3,
        "2026-03-02",
        "2026-03-05",
    )
    assert review["paused_days"] == 1
    assert review["pauses"] == [
        {"from": "2026-03-03", "to": "2026-03-04", "days": 1, "party": "company", "extends_due": True}
    ]
    assert review["state"] == "met"
    assert (sla["quota"]["started_on"], sla["quota"]["stopped_on"], sla["quota"]["state"]) == (
        "2026-03-06",
        "2026-03-13",
        "met",
    )
    assert (sla["visa"]["started_on"], sla["visa"]["stopped_on"], sla["visa"]["day_kind"]) == (
        "2026-03-16",
        "2026-03-19",
        "calendar",
    )
    overall = sla["overall"]
    assert (overall["target_days"], overall["started_on"], overall["stopped_on"], overall["state"]) == (
        28,
        "2026-03-02",
        "2026-03-19",
        "met",
    )
    assert overall["explanation"][0].startswith("The overall four-week clock started on")
    assert any("met" in line for line in overall["explanation"])
    assert set(overall["waiting"]) <= {"officer", "company", "expert", "authority"}

    listed = api("hr_a", "get", "/api/v1/cases").json["items"]
    assert [item["id"] for item in listed] == [final["id"]]
    assert "events" not in listed[0]
    assert listed[0]["sla"] == sla
    assert db.session.scalar(select(func.count(CaseEvent.id))) == 9


# --- refusals ------------------------------------------------------------------------------------------------------


def test_create_rejects_invalid_data_and_writes_nothing(api, db):
    body = case_body(email="not-an-email", years_experience="lots")
    del body["candidate"]["university"]
    body["position"]["colour"] = "blue"
    response = api("hr_a", "post", "/api/v1/cases", json=body)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"position.colour": "Unknown field."}  # unknown names are reported first

    del body["position"]["colour"]
    error = api("hr_a", "post", "/api/v1/cases", json=body).json["error"]
    assert set(error["fields"]) == {"candidate.email", "candidate.university", "candidate.years_experience"}
    assert "valid email" in error["fields"]["candidate.email"]
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**case_body(), "opened_on": "2026-03-21"}, "opened_on"),  # the future
        ({**case_body(), "opened_on": "2018-06-24"}, "opened_on"),  # before TechTAS started
        ({**case_body(), "opened_on": "20/03/2026"}, "opened_on"),
        ({**case_body(), "opened_on": "2026-W10-1"}, "opened_on"),
        ({**case_body(), "opened_on": 20260320}, "opened_on"),
        ({**case_body(), "owner": "me"}, "owner"),
        ({"candidate": "Priya", "position": {}}, "candidate"),
        ([case_body()], "body"),
    ],
)
def test_create_field_errors(api, db, frozen, body, field):
    response = api("hr_a", "post", "/api/v1/cases", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "candidate=Priya", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"},
        {"data": '{"candidate": ' * 5000 + "1" + "}" * 5000, "content_type": "application/json"},
        {},
    ],
    ids=["form", "broken-json", "nested-too-deep-list", "nested-too-deep-object", "empty"],
)
def test_non_json_bodies_are_400(api, case_a, kwargs):
    for method, path in (("post", "/api/v1/cases"), ("patch", f"/api/v1/cases/{case_a.id}")):
        response = api("hr_a", method, path, **kwargs)
        assert response.status_code == 400, response.json
        assert response.json["error"]["code"] == "bad_request"
    response = api("hr_a", "post", f"/api/v1/cases/{case_a.id}/events", **kwargs)
    assert response.status_code == 400


def test_patch_only_while_draft_or_paused(api, db, people, frozen):
    case = make_case(people["company_a"], steps=[("submit", date(2026, 3, 16))])
    db.session.commit()
    url = f"/api/v1/cases/{case.id}"
    response = api("hr_a", "patch", url, json={"candidate": {"university": "MIT"}})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"

    asked = api("officer", "post", f"{url}/events", json={"action": "request_info", "party": "company", "note": "CV?"})
    assert asked.status_code == 201 and asked.json["paused_party"] == "company"
    assert "provide_info" in asked.json["allowed_actions"]
    assert api("hr_a", "patch", url, json={"candidate": {"university": "MIT"}}).json["candidate"]["university"] == "MIT"
    assert api("admin", "patch", url, json={"candidate": {"university": "X"}}).status_code == 403

    invalid = api("officer", "patch", url, json={"position": {"monthly_salary_hkd": -5}})
    assert invalid.status_code == 422
    assert set(invalid.json["error"]["fields"]) == {"position.monthly_salary_hkd"}
    assert api("officer", "get", url).json["position"]["monthly_salary_hkd"] == 60000


def test_event_refusals(api, db, people, frozen, case_a):
    url = f"/api/v1/cases/{case_a.id}/events"

    conflict = api("officer", "post", url, json={"action": "accept"})
    assert conflict.status_code == 409  # officers accept, but only what was submitted
    assert conflict.json["error"]["case_status"] == "draft"
    review = make_case(people["company_a"], steps=[("submit", date(2026, 3, 16))])
    db.session.commit()
    review_url = f"/api/v1/cases/{review.id}/events"

    refused = api("hr_a", "post", review_url, json={"action": "lodge_quota"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "conflict"
    assert refused.json["error"]["case_status"] == "review"

    forbidden = api("hr_a", "post", review_url, json={"action": "accept"})
    assert forbidden.status_code == 403 and forbidden.json["error"]["code"] == "forbidden"

    cases = [
        ({"action": "accept", "occurred_on": "2026-03-21"}, "occurred_on"),  # future
        ({"action": "accept", "occurred_on": "2026-03-15"}, "occurred_on"),  # before the submission
        ({"action": "accept", "occurred_on": "2026-3-5"}, "occurred_on"),
        ({"action": "accept", "occurred_on": "20260317"}, "occurred_on"),
        ({"action": "accept", "occurred_on": "2026-02-30"}, "occurred_on"),
        ({"action": "accept", "occurred_on": 5}, "occurred_on"),
        ({"action": "request_info", "party": "company"}, "note"),
        ({"action": "request_info", "note": "CV please"}, "party"),
        ({"action": "reject"}, "note"),
        ({"action": "reject", "note": " "}, "note"),
        ({"action": "fly_away"}, "action"),
        ({}, "action"),
        ({"action": "accept", "quota_places": 3}, "quota_places"),
        ({"action": "accept", "party": "company"}, "party"),
        ({"action": "accept", "note": ["a"]}, "note"),
        ({"action": "accept", "colour": "blue"}, "colour"),
    ]
    for body, field in cases:
        response = api("officer", "post", review_url, json=body)
        assert response.status_code == 422, (body, response.json)
        assert response.json["error"]["code"] == "invalid"
        assert field in response.json["error"]["fields"], (body, response.json)
    assert api("officer", "get", f"/api/v1/cases/{review.id}").json["status"] == "review"
    assert db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == review.id)) == 1

    # Withdrawing is final too: HR say why, or nothing happens.
    for body in ({"action": "withdraw"}, {"action": "withdraw", "note": "   "}):
        response = api("hr_a", "post", review_url, json=body)
        assert response.status_code == 422, response.json
        assert response.json["error"]["fields"] == {"note": "Write why the case is withdrawn."}
    assert api("hr_a", "get", f"/api/v1/cases/{review.id}").json["status"] == "review"


def test_grant_quota_validates_its_details(api, db, people, frozen):
    steps = [("submit", date(2026, 3, 2)), ("accept", date(2026, 3, 3)), ("lodge_quota", date(2026, 3, 4))]
    case = make_case(people["company_a"], steps=steps)
    db.session.commit()
    url = f"/api/v1/cases/{case.id}/events"
    for extra, field in (
        ({"quota_places": -1}, "quota_places"),
        ({"quota_places": "many"}, "quota_places"),
        ({"quota_valid_until": "2026-03-01"}, "quota_valid_until"),
        ({"quota_valid_until": "soon"}, "quota_valid_until"),
        ({"quota_valid_until": 20280101}, "quota_valid_until"),
        ({"quota_places": 2.5}, "quota_places"),
        ({"quota_places": True}, "quota_places"),
        ({"quota_places": float("inf")}, "quota_places"),
        ({"quota_reference": ["ITC"]}, "quota_reference"),
    ):
        response = api("hr_a", "post", url, json={"action": "grant_quota", **extra})
        assert response.status_code == 422, (extra, response.json)
        assert field in response.json["error"]["fields"]
    assert api("hr_a", "post", url, json={"action": "grant_quota"}).json["status"] == "visa_prep"


def test_grant_quota_reports_every_problem_at_once(api, db, people, frozen):
    steps = [("submit", date(2026, 3, 2)), ("accept", date(2026, 3, 3)), ("lodge_quota", date(2026, 3, 4))]
    case = make_case(people["company_a"], steps=steps)
    db.session.commit()
    url = f"/api/v1/cases/{case.id}/events"
    for body, fields in (
        ({"quota_places": 0, "quota_valid_until": "2026-03-01"}, {"quota_places", "quota_valid_until"}),
        ({"quota_places": "many", "quota_valid_until": "soon"}, {"quota_places", "quota_valid_until"}),
        ({"quota_places": 101, "quota_reference": "ITC/" + "9" * 60}, {"quota_places", "quota_reference"}),
    ):
        response = api("hr_a", "post", url, json={"action": "grant_quota", **body})
        assert response.status_code == 422, (body, response.json)
        error = response.json["error"]
        assert error["code"] == "invalid"
        assert set(error["fields"]) == fields, (body, error)
        for message in error["fields"].values():
            assert message in error["message"]
    assert api("hr_a", "get", f"/api/v1/cases/{case.id}").json["status"] == "quota"


def test_submit_refused_for_eligibility_lists_failures(api, db, people, frozen):
    case = make_case(people["company_a"], degree_level="bachelor", years_experience=0, monthly_salary_hkd=9000)
    db.session.commit()
    response = api("hr_a", "post", f"/api/v1/cases/{case.id}/events", json={"action": "submit"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "ineligible"
    assert {failure["check"] for failure in error["failures"]} >= {"experience", "salary"}
    assert all(failure["reason"] for failure in error["failures"])
    after = api("hr_a", "get", f"/api/v1/cases/{case.id}").json
    assert (after["status"], after["policy_code"], after["submitted_on"], after["events"]) == ("draft", None, None, [])
    failed = {row["code"] for row in after["eligibility"] if not row["passed"]}
    assert failed >= {"experience", "salary"}


# --- the list ------------------------------------------------------------------------------------------------------


@pytest.fixture
def spread(db, people, frozen) -> dict[str, Case]:
    """Cases in every SLA situation on TODAY (Friday 20 March 2026)."""
    a, b = people["company_a"], people["company_b"]
    cases = {
        "draft": make_case(a, full_name="Dora Draft"),
        # review due Tue 24 March: on track; overall on track.
        "on_track": make_case(
            a,
            full_name="Alice Wong",
            chinese_name="黃愛麗",
            passport_number="K1234567",
            steps=[("submit", date(2026, 3, 19))],
        ),
        # review was due Thu 19 March and still runs: breached; overall still on track.
        "breached": make_case(a, full_name="Bruno Late", steps=[("submit", date(2026, 3, 16))]),
        # review due today: at risk.
        "at_risk": make_case(b, full_name="Chen Risk", steps=[("submit", date(2026, 3, 17))]),
        # waiting for the company: every running clock paused.
        "paused": make_case(
            b,
            full_name="Paula Wait",
            steps=[("submit", date(2026, 3, 18)), ("request_info", date(2026, 3, 19), "company")],
        ),
        "withdrawn": make_case(
            a, full_name="Walter Gone", steps=[("submit", date(2026, 3, 2)), ("withdraw", date(2026, 3, 3))]
        ),
    }
    db.session.commit()
    return cases


def _named(spread: dict[str, Case], *names: str) -> set[int]:
    return {spread[name].id for name in names}


@pytest.mark.parametrize(
    ("query", "role", "expected"),
    [
        ("", "officer", ("draft", "on_track", "breached", "at_risk", "paused", "withdrawn")),
        ("", "hr_a", ("draft", "on_track", "breached", "withdrawn")),
        ("", "hr_b", ("at_risk", "paused")),
        ("status=review", "officer", ("on_track", "breached", "at_risk", "paused")),
        ("status=review", "hr_b", ("at_risk", "paused")),
        ("status=withdrawn", "officer", ("withdrawn",)),
        ("status=approved", "officer", ()),
        ("sla=on_track", "officer", ("on_track", "breached", "at_risk")),  # any running clock on track (overall)
        ("sla=breached", "officer", ("breached",)),
        ("sla=at_risk", "officer", ("at_risk",)),
        ("sla=paused", "officer", ("paused",)),
        ("sla=paused", "hr_a", ()),
        ("sla=on_track&status=review&company={a}", "officer", ("on_track", "breached")),
        ("company={b}", "officer", ("at_risk", "paused")),
        ("company={b}", "hr_a", ()),
        ("company=99999999999999999999", "officer", ()),  # beyond any id: no match, not an overflow
        ("q=alice", "officer", ("on_track",)),
        ("q=WONG", "hr_a", ("on_track",)),
        ("q=黃愛", "officer", ("on_track",)),
        ("q=k12345", "officer", ("on_track",)),
        ("q=alice", "hr_b", ()),
        ("q=%25", "officer", ()),  # a LIKE wildcard is a literal character
        ("q=_", "officer", ()),
        # What HR's "Needs your action" lists (a draft; information asked of the company), and the rest.
        ("waiting=us", "hr_a", ("draft",)),
        ("waiting=us", "hr_b", ("paused",)),
        ("waiting=us", "officer", ("draft", "paused")),
        ("waiting=others", "hr_a", ("on_track", "breached")),
        ("waiting=others", "hr_b", ("at_risk",)),
        ("waiting=us&company={a}", "officer", ("draft",)),
    ],
)
def test_list_filters(api, people, spread, query, role, expected):
    query = query.format(a=people["company_a"].id, b=people["company_b"].id)
    response = api(role, "get", f"/api/v1/cases?{query}")
    assert _ids(response) == _named(spread, *expected)
    assert response.json["total"] == len(expected)


def test_list_finds_a_reference(api, spread):
    reference = spread["paused"].reference
    assert _ids(api("officer", "get", f"/api/v1/cases?q={reference.lower()}")) == {spread["paused"].id}


def test_list_item_shows_the_clock_states_the_filter_used(api, spread):
    items = {item["id"]: item for item in api("officer", "get", "/api/v1/cases").json["items"]}
    assert items[spread["breached"].id]["sla"]["review"]["state"] == "breached"
    assert items[spread["breached"].id]["sla"]["overall"]["state"] == "on_track"
    assert items[spread["at_risk"].id]["sla"]["review"]["state"] == "at_risk"
    assert {clock["state"] for clock in items[spread["paused"].id]["sla"].values()} == {"paused"}
    assert items[spread["draft"].id]["sla"] == {}


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("page=0", {"page"}),
        ("page=x", {"page"}),
        ("per_page=0", {"per_page"}),
        ("per_page=101", {"per_page"}),
        ("page=-1&per_page=many", {"page", "per_page"}),
        ("status=lost", {"status"}),
        ("sla=met", {"sla"}),
        ("company=alpha", {"company"}),
        (f"q={'x' * 201}", {"q"}),
        ("waiting=them", {"waiting"}),
    ],
)
def test_list_rejects_bad_parameters(api, query, fields):
    response = api("officer", "get", f"/api/v1/cases?{query}")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert set(response.json["error"]["fields"]) == fields


def test_list_pages(api, db, people, frozen):
    made = [make_case(people["company_a"]).id for _ in range(7)]
    db.session.commit()
    newest_first = sorted(made, reverse=True)
    default = api("hr_a", "get", "/api/v1/cases").json
    assert (default["page"], default["per_page"], default["total"]) == (1, 25, 7)
    pages = [api("hr_a", "get", f"/api/v1/cases?per_page=3&page={page}").json for page in (1, 2, 3, 4)]
    assert [[item["id"] for item in page["items"]] for page in pages] == [
        newest_first[0:3],
        newest_first[3:6],
        newest_first[6:],
        [],
    ]
    assert {page["total"] for page in pages} == {7}
    assert pages[1]["page"] == 2 and pages[1]["per_page"] == 3


def test_list_runs_a_constant_number_of_queries(app, api, db, people, frozen):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def queries_for_list() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = api("officer", "get", "/api/v1/cases?per_page=100")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(response.json["items"]), len(statements)

    def add_cases(n: int) -> None:
        for index in range(n):
            company = people["company_a"] if index % 2 else people["company_b"]
            steps = [("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 17), "company")]
            make_case(company, steps=steps[: index % 3])
        db.session.commit()

    queries_for_list()  # the token's first use writes its last_used_at; later uses at the frozen time do not
    add_cases(5)
    few = queries_for_list()
    add_cases(25)
    many = queries_for_list()
    assert (few[0], many[0]) == (5, 30)
    assert few[1] == many[1], "the list must not run a query per case"


# --- the SLA summary -----------------------------------------------------------------------------------------------


def test_sla_summary_counts_per_clock_and_company(api, people, spread):
    response = api("officer", "get", "/api/v1/sla/summary")
    assert response.status_code == 200
    summary = response.json
    assert summary["as_of"] == "2026-03-20"
    review = summary["clocks"]["review"]
    assert (review["on_track"], review["at_risk"], review["breached"], review["paused"]) == (1, 1, 1, 1)
    assert sum(summary["clocks"]["overall"].values()) == 5  # the withdrawn case's clock counts too, stopped
    assert summary["clocks"]["visa"] == {"on_track": 0, "at_risk": 0, "breached": 0, "paused": 0, "met": 0}

    companies = {company["name"]: company for company in summary["companies"]}
    assert list(companies) == ["Alpha Robotics Limited", "Beta Biotech Limited"]
    beta = companies["Beta Biotech Limited"]
    assert (beta["id"], beta["open_cases"]) == (people["company_b"].id, 2)
    assert beta["clocks"]["review"] == {"on_track": 0, "at_risk": 1, "breached": 0, "paused": 1, "met": 0}
    assert beta["clocks"]["overall"]["paused"] == 1
    assert companies["Alpha Robotics Limited"]["open_cases"] == 3  # draft, on track, breached
    for clock_name, counts in summary["clocks"].items():
        for state, total in counts.items():
            assert total == sum(company["clocks"][clock_name][state] for company in summary["companies"])


def test_an_owner_id_past_any_integer_column_matches_nothing(api, case_a):
    response = api("officer", "get", "/api/v1/cases?owner=999999999999")
    assert response.status_code == 200 and response.get_json()["total"] == 0
