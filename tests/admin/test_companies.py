"""Admin: companies are edited, deactivated and reactivated; a deactivated company gets no new HR users."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from talentcase.accounts import services
from talentcase.accounts.models import Company, User
from talentcase.audit.models import AuditEntry

EDIT = {
    "name": "Alpha Robotics (HK) Limited",
    "park": "Cyberport",
    "br_number": "12345678",
    "br_expiry_on": "2031-03-31",
    "is_listed": "y",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 9, 20), tick=False):
        yield


def _actions(db) -> list[str]:
    return [entry.action for entry in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def _row(page: str, name: str) -> str:
    """The companies table row that names the company."""
    return next(row for row in page.split("<tr>") if name in row)


def test_companies_list_links_to_each_edit_page_and_states_each_state_in_words(client, auth, people, db):
    services.deactivate_company(people["company_b"])
    db.session.commit()
    auth.as_user(people["admin"])
    page = client.get("/admin/companies").get_data(as_text=True)
    alpha, beta = _row(page, "Alpha Robotics Limited"), _row(page, "Beta Biotech Limited")
    assert f'href="/admin/companies/{people["company_a"].id}"' in alpha
    assert f'href="/admin/companies/{people["company_b"].id}"' in beta
    assert ">Active<" in alpha and "Deactivated" not in alpha
    assert ">Deactivated<" in beta


def test_admin_edits_a_company_and_the_change_is_audited(client, auth, people, db):
    company = people["company_a"]
    auth.as_user(people["admin"])
    page = client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert 'value="Alpha Robotics Limited"' in page
    response = client.post(f"/admin/companies/{company.id}", data=EDIT)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/companies")
    db.session.refresh(company)
    assert (company.name, company.park, company.br_number, company.br_expiry_on, company.is_listed) == (
        "Alpha Robotics (HK) Limited",
        "Cyberport",
        "12345678",
        date(2031, 3, 31),
        True,
    )
    entry = db.session.query(AuditEntry).filter_by(action="company_updated").one()
    assert (entry.target_type, entry.target_id, entry.actor_id) == ("company", company.id, people["admin"].id)
    assert "Company Alpha Robotics (HK) Limited saved." in client.get("/admin/companies").get_data(as_text=True)


def test_edit_keeps_names_unique_regardless_of_case_but_lets_a_company_recase_its_own(client, auth, people, db):
    company = people["company_a"]
    auth.as_user(people["admin"])
    response = client.post(f"/admin/companies/{company.id}", data={**EDIT, "name": "beta biotech LIMITED"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A company called beta biotech LIMITED already exists." in page
    assert '<a href="#name">' in page
    db.session.refresh(company)
    assert company.name == "Alpha Robotics Limited"
    response = client.post(f"/admin/companies/{company.id}", data={**EDIT, "name": "ALPHA  robotics limited "})
    assert response.status_code == 302
    db.session.refresh(company)
    assert company.name == "ALPHA robotics limited"


def test_a_business_registration_already_expired_is_saved_with_a_warning(client, auth, people, db):
    auth.as_user(people["admin"])
    response = client.post(
        "/admin/companies", data={"name": "Gamma AI Limited", "park": "HKSTP", "br_expiry_on": "2026-09-19"}
    )
    assert response.status_code == 302
    page = client.get("/admin/companies").get_data(as_text=True)
    assert "The business registration of Gamma AI Limited expired on" in page
    assert "notice-warning" in page
    company = people["company_a"]
    response = client.post(f"/admin/companies/{company.id}", data={**EDIT, "br_expiry_on": "2020-01-01"})
    assert response.status_code == 302
    db.session.refresh(company)
    assert company.br_expiry_on == date(2020, 1, 1)
    assert "expired on" in client.get("/admin/companies").get_data(as_text=True)
    # Expiring today is not yet expired.
    client.post(f"/admin/companies/{company.id}", data={**EDIT, "br_expiry_on": "2026-09-20"})
    assert "expired on" not in client.get("/admin/companies").get_data(as_text=True)


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", "9999-12-31"])
def test_business_registration_dates_outside_1900_to_2100_are_a_field_error(client, auth, people, db, value):
    auth.as_user(people["admin"])
    for path, data in (
        ("/admin/companies", {"name": "Gamma AI Limited", "park": "HKSTP", "br_expiry_on": value}),
        (f"/admin/companies/{people['company_a'].id}", {**EDIT, "br_expiry_on": value}),
    ):
        response = client.post(path, data=data)
        assert response.status_code == 422, path
        page = response.get_data(as_text=True)
        assert "Use a date between 1900 and 2100." in page
        assert '<a href="#br_expiry_on">' in page
    assert db.session.query(Company).count() == 2
    with pytest.raises(services.AccountError) as refused:
        services.create_company("Delta", br_expiry_on=date.fromisoformat(value))
    assert refused.value.field == "br_expiry_on"


def test_edit_page_of_an_unknown_company_is_not_found(client, auth, people):
    auth.as_user(people["admin"])
    assert client.get("/admin/companies/99999").status_code == 404
    assert client.post("/admin/companies/99999", data=EDIT).status_code == 404
    assert client.post("/admin/companies/99999/deactivate").status_code == 404
    assert client.post("/admin/companies/99999/reactivate").status_code == 404


@pytest.mark.parametrize("role", ["hr_a", "hr_b", "officer"])
def test_only_admins_edit_or_deactivate_companies(client, auth, people, db, role):
    company = people["company_a"]
    auth.as_user(people[role])
    assert client.get(f"/admin/companies/{company.id}").status_code == 403
    assert client.post(f"/admin/companies/{company.id}", data=EDIT).status_code == 403
    assert client.post(f"/admin/companies/{company.id}/deactivate").status_code == 403
    db.session.refresh(company)
    assert company.is_active and company.name == "Alpha Robotics Limited"


def test_admin_deactivates_and_reactivates_a_company(client, auth, people, db):
    company = people["company_a"]
    auth.as_user(people["admin"])
    page = client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert "Deactivate this company and sign out its HR users" in page
    assert client.get(f"/admin/companies/{company.id}/deactivate").status_code == 200  # the question first
    response = client.post(f"/admin/companies/{company.id}/deactivate", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.refresh(company)
    assert not company.is_active
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Alpha Robotics Limited is deactivated" in page
    page = client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert "Reactivate this company" in page and "Deactivate this company" not in page
    # twice: no change
    assert client.post(f"/admin/companies/{company.id}/deactivate", data={"confirm": "yes"}).status_code == 302
    assert client.post(f"/admin/companies/{company.id}/reactivate").status_code == 302
    db.session.refresh(company)
    assert company.is_active
    assert "Alpha Robotics Limited is active again." in client.get("/admin/companies").get_data(as_text=True)
    assert _actions(db) == ["company_deactivated", "company_activated"]
    entry = db.session.query(AuditEntry).filter_by(action="company_deactivated").one()
    assert (entry.target_type, entry.target_id, entry.detail) == ("company", company.id, {"hr_users": 1})


def _company_options(page: str) -> list[str]:
    select = page.split('id="company_id"')[1].split("</select>")[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_deactivated_company_is_not_offered_for_a_new_hr_user(client, auth, people, db):
    services.deactivate_company(people["company_b"])
    db.session.commit()
    auth.as_user(people["admin"])
    options = _company_options(client.get("/admin/users").get_data(as_text=True))
    assert "Alpha Robotics Limited" in options and "Beta Biotech Limited" not in options
    response = client.post(
        "/admin/users",
        data={
            "email": "new@beta.test",
            "role": "hr",
            "company_id": people["company_b"].id,
            "password": "long-enough-pw",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Beta Biotech Limited is deactivated: it cannot be given new users." in page
    assert '<a href="#company_id">' in page
    assert db.session.query(User).filter_by(email="new@beta.test").count() == 0
    with pytest.raises(services.AccountError) as refused:
        services.create_user("other@beta.test", role="hr", company=people["company_b"], password="long-enough-pw")
    assert refused.value.field == "company"


def test_the_users_list_says_when_a_users_company_is_deactivated(client, auth, people, db):
    services.deactivate_company(people["company_b"])
    db.session.commit()
    auth.as_user(people["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    beta_row = next(row for row in page.split("<tr>") if "hr@beta.test" in row)
    alpha_row = next(row for row in page.split("<tr>") if "hr@alpha.test" in row)
    assert "Company deactivated" in beta_row and "Company deactivated" not in alpha_row


@pytest.mark.parametrize("name", ["\u202eevil Co", "Gamma\u200b AI Limited", "Gamma\x1b AI Limited"])
def test_a_company_name_with_hidden_characters_is_refused_beside_the_name(client, auth, people, db, name):
    # U+202E shows "evil Co" reversed; a zero-width space makes a second "Gamma AI Limited" that looks the same.
    auth.as_user(people["admin"])
    message = "The company name has hidden characters that change how it is shown. Type it again instead of pasting it."
    response = client.post("/admin/companies", data={**EDIT, "name": name})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<a href="#name">{message}</a>' in page
    assert db.session.query(Company).count() == 2
    company = people["company_a"]
    response = client.post(f"/admin/companies/{company.id}", data={**EDIT, "name": name})
    assert response.status_code == 422
    assert f'<a href="#name">{message}</a>' in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.name == "Alpha Robotics Limited"
    assert "company_created" not in _actions(db) and "company_updated" not in _actions(db)


def test_the_company_services_refuse_hidden_characters_in_the_name(db, people):
    with pytest.raises(services.AccountError) as refused:
        services.create_company("\u202eevil Co")
    assert refused.value.field == "name"
    with pytest.raises(services.AccountError) as refused:
        services.update_company(
            people["company_a"],
            name="Alpha\u2066 Robotics",
            park="HKSTP",
            br_number=None,
            br_expiry_on=None,
            is_listed=False,
        )
    assert refused.value.field == "name"
