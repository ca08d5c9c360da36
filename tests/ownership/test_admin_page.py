"""The admin page for case owners: each park's rule, the areas' officers, who takes cases, supervisors, cover."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from talentcase.cases.ownership_models import AreaOfficer, AssignmentRule, CaseTaker, CoverPeriod
from tests import factories


@pytest.fixture
def second(db):
    officer = factories.UserFactory(role="officer", name="Second Officer", email="second@park.test")
    db.session.commit()
    return officer


def test_the_page_is_in_the_admin_navigation_and_for_admins_only(client, auth, people):
    auth.as_user(people["admin"])
    nav = client.get("/admin/users").get_data(as_text=True).split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/admin/owners"' in nav
    assert client.get("/admin/owners").status_code == 200
    for role in ("hr_a", "officer"):
        auth.as_user(people[role])
        assert client.get("/admin/owners").status_code == 403
        assert client.post("/admin/owners/rule", data={"park": "HKSTP", "rule": "by_area"}).status_code == 403


def test_an_admin_sets_the_rule_the_areas_the_takers_and_the_supervisor(db, client, auth, people, second):
    auth.as_user(people["admin"])
    assert client.post("/admin/owners/rule", data={"park": "HKSTP", "rule": "by_area"}).status_code == 302
    assert client.post("/admin/owners/areas", data={"park": "HKSTP", "robotics": second.id}).status_code == 302
    response = client.post(
        f"/admin/owners/officers/{second.id}", data={"parks": ["HKSTP", "Cyberport"], "is_supervisor": "1"}
    )
    assert response.status_code == 302
    assert db.session.get(AssignmentRule, "HKSTP").rule == "by_area"
    area = db.session.scalars(select(AreaOfficer)).one()
    assert (area.park, area.tech_area, area.user_id) == ("HKSTP", "robotics", second.id)
    parks = set(db.session.scalars(select(CaseTaker.park).where(CaseTaker.user_id == second.id)))
    assert parks == {"HKSTP", "Cyberport"}
    db.session.refresh(second)
    assert second.is_supervisor is True
    page = client.get("/admin/owners").get_data(as_text=True)
    assert "Second Officer" in page and "checked" in page


def test_an_admin_records_and_ends_a_cover_period(db, client, auth, people, second):
    auth.as_user(people["admin"])
    data = {
        "officer": people["officer"].id,
        "covered_by": second.id,
        "starts_on": "2026-03-20",
        "ends_on": "2026-03-27",
    }
    assert client.post("/admin/owners/cover", data=data).status_code == 302
    period = db.session.scalars(select(CoverPeriod)).one()
    assert (period.starts_on, period.ends_on, period.covered_by_id) == (date(2026, 3, 20), date(2026, 3, 27), second.id)
    assert "27 Mar 2026" in client.get("/admin/owners").get_data(as_text=True)
    assert client.post(f"/admin/owners/cover/{period.id}/end").status_code == 302
    assert db.session.scalars(select(CoverPeriod)).all() == []


def test_a_cover_that_does_not_hold_together_comes_back_with_the_reason_and_what_was_typed(
    db, client, auth, people, second
):
    auth.as_user(people["admin"])
    data = {
        "officer": people["officer"].id,
        "covered_by": second.id,
        "starts_on": "2026-03-27",
        "ends_on": "2026-03-20",
    }
    response = client.post("/admin/owners/cover", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The last day away cannot be before the first." in html and 'value="2026-03-27"' in html
    response = client.post("/admin/owners/cover", data={**data, "starts_on": "soon"})
    assert response.status_code == 422 and "Enter the first day away" in response.get_data(as_text=True)
    assert db.session.scalars(select(CoverPeriod)).all() == []
