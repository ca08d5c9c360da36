"""A form sent after the session ended: sign in, then the same form again with what was typed (never sent by itself)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from talentcase.cases.models import Case
from tests import factories

SAME_SITE = {"Origin": "http://localhost"}
KEPT = "Your session had ended; we kept what you typed. Check it and send it again."


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def case(db, people) -> Case:
    case = factories.CaseFactory(
        company=people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 2), duties="Builds models."
    )
    db.session.commit()
    return case


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _edit_fields(page: str) -> dict[str, str]:
    found = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    found.update(re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\s*([^<]*)</textarea>', page))
    return found


def _sign_in(client, login_url: str = "/login", email: str = "hr@alpha.test"):
    page = client.get(login_url).get_data(as_text=True)
    return client.post(login_url, data={"email": email, "password": factories.PASSWORD, "csrf_token": _csrf(page)})


def test_an_edit_sent_after_the_session_ended_comes_back_after_sign_in(client, people, case, db):
    _sign_in(client)
    form = _edit_fields(client.get(f"/cases/{case.id}/edit").get_data(as_text=True))
    client.delete_cookie("session")  # the session is gone (expired, or the cookie cleared)
    typed = {**form, "duties": "Leads the vision team; mentors two engineers.", "position_title": "Lead ML Engineer"}
    response = client.post(f"/cases/{case.id}/edit", data=typed, headers=SAME_SITE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    db.session.refresh(case)
    assert case.duties == "Builds models."  # nothing saved
    response = _sign_in(client, response.headers["Location"])
    assert response.headers["Location"] == f"/cases/{case.id}/edit"
    page = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert KEPT in page
    assert "Leads the vision team; mentors two engineers." in page
    assert 'value="Lead ML Engineer"' in page
    db.session.refresh(case)
    assert case.position_title != "Lead ML Engineer" and case.duties == "Builds models."  # never sent by itself
    again = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert KEPT not in again and "Leads the vision team" not in again  # kept once


def test_a_stale_csrf_token_while_signed_in_again_keeps_the_typing(client, people, db):
    _sign_in(client)
    page = client.get("/account").get_data(as_text=True)
    old_token = _csrf(page)
    client.post("/logout", data={"csrf_token": old_token})  # signed out in another tab…
    _sign_in(client)  # …and back in: the old tab's token is stale
    response = client.post(
        "/account",
        data={"csrf_token": old_token, "prefs-name": "Mei Chan", "prefs-phone": "+852 2123 4567"},
        headers={**SAME_SITE, "Referer": "http://localhost/account"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert KEPT in page and 'value="Mei Chan"' in page
    db.session.refresh(people["hr_a"])
    assert people["hr_a"].name != "Mei Chan"


def test_passwords_are_never_kept(client, people):
    _sign_in(client)
    client.delete_cookie("session")
    client.post("/account/password", data={"pw-current_password": "secret-typed"}, headers=SAME_SITE)
    _sign_in(client)
    assert "secret-typed" not in client.get("/account").get_data(as_text=True)


def test_a_form_from_another_site_is_not_kept(client, people, case):
    client.post(f"/cases/{case.id}/edit", data={"duties": "Planted text"}, headers={"Origin": "https://evil.test"})
    _sign_in(client)
    assert "Planted text" not in client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
