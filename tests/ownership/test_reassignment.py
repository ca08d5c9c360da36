"""Reassigning cases one at a time and in bulk (audited, officers only), and the owner on the case page, the CSV
and the JSON API with its `owner` filter."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from talentcase.audit.models import AuditEntry
from talentcase.cases import ownership
from tests import factories
from tests.api import bearer, issue_tokens
from tests.officers.conftest import case_at


@pytest.fixture
def world(db, people):
    cases = {
        "a1": case_at(db, people, people["company_a"], "review", full_name="Ann One", start=date(2026, 3, 10)),
        "a2": case_at(db, people, people["company_a"], "quota", full_name="Bob Two", start=date(2026, 3, 2)),
        "b1": case_at(db, people, people["company_b"], "review", full_name="Cat Three", start=date(2026, 3, 12)),
        "draft": case_at(db, people, people["company_a"], "draft", full_name="Dan Draft"),
    }
    colleague = factories.UserFactory(role="officer", name="Colleague Officer", email="colleague@park.test")
    db.session.commit()
    return {"cases": cases, "colleague": colleague}


def _audited(db, case_id: int) -> list[dict]:
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "case_reassigned", AuditEntry.target_id == case_id)
    )
    return [entry.detail for entry in entries]


def test_an_officer_reassigns_one_case_from_its_page_and_it_is_audited(db, client, auth, people, world):
    case, colleague = world["cases"]["a1"], world["colleague"]
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="owner"' in page and "Officer" in page.split('id="owner"')[1].split("</section>")[0]
    response = client.post(f"/officers/cases/{case.id}/owner", data={"owner": colleague.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.owner_id == colleague.id
    assert _audited(db, case.id) == [{"from_owner": people["officer"].id, "to_owner": colleague.id}]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    owner_panel = page.split('id="owner"')[1].split("</section>")[0]
    assert "Colleague Officer" in owner_panel and "Reassigned" in owner_panel


def test_a_refused_reassignment_says_why_and_changes_nothing(db, client, auth, people, world):
    case = world["cases"]["a1"]
    auth.as_user(people["officer"])
    for bad in ("", str(people["hr_a"].id), "999999", "x"):
        response = client.post(f"/officers/cases/{case.id}/owner", data={"owner": bad}, follow_redirects=True)
        assert response.status_code == 200
        assert "Choose an active park officer." in response.get_data(as_text=True)
    draft = world["cases"]["draft"]
    response = client.post(
        f"/officers/cases/{draft.id}/owner", data={"owner": world["colleague"].id}, follow_redirects=True
    )
    assert "A draft has no owner" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.owner_id == people["officer"].id and draft.owner_id is None
    assert _audited(db, case.id) == []


@pytest.mark.parametrize("role", ["hr_a", "hr_b", "admin"])
def test_reassignment_is_for_officers_only(db, client, auth, people, world, role):
    auth.as_user(people[role])
    case = world["cases"]["a1"]
    assert client.post(f"/officers/cases/{case.id}/owner", data={"owner": world["colleague"].id}).status_code == 403
    assert client.post("/officers/cases/reassign", data={"case_ids": [case.id], "owner": 1}).status_code == 403
    db.session.expire_all()
    assert case.owner_id == people["officer"].id


def test_an_unknown_case_is_not_found(client, auth, people, world):
    auth.as_user(people["officer"])
    assert client.post("/officers/cases/999999/owner", data={"owner": world["colleague"].id}).status_code == 404


def test_bulk_reassignment_from_the_list_moves_every_ticked_case_and_audits_each(db, client, auth, people, world):
    cases, colleague = world["cases"], world["colleague"]
    auth.as_user(people["officer"])
    listing = client.get("/officers/cases").get_data(as_text=True)
    assert 'id="reassign-form"' in listing and f'name="case_ids" value="{cases["a1"].id}"' in listing
    ticked = [cases["a1"].id, cases["b1"].id]
    response = client.post(
        "/officers/cases/reassign",
        data={"case_ids": ticked, "owner": colleague.id, "next": "/officers/cases?owner=me"},
    )
    assert response.status_code == 302 and response.location.endswith("/officers/cases?owner=me")
    db.session.expire_all()
    assert [cases[key].owner_id for key in ("a1", "b1", "a2")] == [colleague.id, colleague.id, people["officer"].id]
    assert all(len(_audited(db, case_id)) == 1 for case_id in ticked)


def test_a_refused_bulk_reassignment_moves_none_of_them(db, client, auth, people, world):
    cases = world["cases"]
    auth.as_user(people["officer"])
    response = client.post(
        "/officers/cases/reassign",
        data={"case_ids": [cases["a1"].id, cases["draft"].id], "owner": world["colleague"].id},
        follow_redirects=True,
    )
    assert "A draft has no owner" in response.get_data(as_text=True)
    db.session.expire_all()
    assert cases["a1"].owner_id == people["officer"].id
    response = client.post("/officers/cases/reassign", data={"owner": world["colleague"].id}, follow_redirects=True)
    assert "Tick the cases to reassign first." in response.get_data(as_text=True)


def test_hr_sees_the_park_officer_on_the_case_page(client, auth, people, world):
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{world['cases']['a1'].id}").get_data(as_text=True)
    assert "Park officer" in page and 'action="/officers/cases/' not in page


def test_the_csv_has_the_owner(client, auth, people, world):
    auth.as_user(people["officer"])
    text = client.get("/officers/cases.csv?drafts=1").get_data(as_text=True).removeprefix("\ufeff")
    rows = {row["Reference"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[world["cases"]["a1"].reference]["Owner"] == people["officer"].display_name
    assert rows[world["cases"]["draft"].reference]["Owner"] == ""


def test_the_api_gives_the_owner_and_filters_by_it(db, client, people, world):
    tokens = issue_tokens(people)
    db.session.commit()
    officer, colleague, cases = people["officer"], world["colleague"], world["cases"]
    ownership.reassign(cases["b1"], colleague)
    db.session.commit()

    def get(path: str, role: str = "officer"):
        response = client.get(path, headers=bearer(tokens[role]))
        assert response.status_code == 200, response.json
        return response.json

    one = get(f"/api/v1/cases/{cases['a1'].id}")
    assert one["owner"] == {"id": officer.id, "name": officer.display_name}
    assert get(f"/api/v1/cases/{cases['draft'].id}")["owner"] is None
    assert {item["id"] for item in get("/api/v1/cases?owner=me")["items"]} == {cases["a1"].id, cases["a2"].id}
    assert {item["id"] for item in get(f"/api/v1/cases?owner={colleague.id}")["items"]} == {cases["b1"].id}
    assert get("/api/v1/cases?owner=me", "hr_a")["total"] == 0
    bad = client.get("/api/v1/cases?owner=someone", headers=bearer(tokens["officer"]))
    assert bad.status_code == 422 and "owner" in str(bad.json)
    spec = client.get("/api/v1/openapi.json").json
    assert "owner" in str(spec["components"]["schemas"])
