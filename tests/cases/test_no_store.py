"""Case pages hold passport data and change with every action: the browser keeps no copy, so Back after submitting
loads the case as it is now (not the draft page from the back-forward cache), for HR, officers and the expert."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from talentcase.portal import services as portal
from tests.cases.helpers import make_case

PAGES = ("", "/check", "/edit", "/documents", "/withdraw", "/expert-link")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


@pytest.fixture
def draft(db, people):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    return case


@pytest.mark.parametrize("page", PAGES)
def test_hr_case_pages_are_not_stored(client, auth, people, draft, page):
    auth.as_user(people["hr_a"])
    response = client.get(f"/cases/{draft.id}{page}")
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("page", ["", "/edit", "/documents"])
def test_officer_case_pages_are_not_stored(client, auth, people, draft, page):
    auth.as_user(people["officer"])
    response = client.get(f"/cases/{draft.id}{page}")
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_the_list_and_the_new_case_form_are_not_stored(client, auth, people):
    auth.as_user(people["hr_a"])
    for path in ("/cases/", "/cases/new"):
        assert "no-store" in client.get(path).headers.get("Cache-Control", ""), path


def test_the_portal_is_not_stored(client, db, draft):
    _, token = portal.invite(draft)
    db.session.commit()
    response = client.get(f"/portal/{token}")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
