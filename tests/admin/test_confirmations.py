"""Admin: each destructive action asks first (GOV.UK "Are you sure?"): a page that says what will happen and to whom,
then a "Yes, …" button that posts the confirmation; a POST without it changes nothing and goes to that page."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import time_machine

from talentcase.accounts import services as accounts
from talentcase.accounts.models import ApiToken
from talentcase.audit.models import AuditEntry
from talentcase.cases import services as cases
from talentcase.extensions import db as _db
from talentcase.sla import services as sla
from talentcase.sla.models import ClosureDay
from tests import factories
from tests.admin import VALUES
from tests.conftest import AuthActions, make_app

CONFIRMED = {"confirm": "yes"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 9, 20), tick=False):
        yield


def _text(page: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


def _h1(page: str) -> str:
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))


def _confirm_form(page: str) -> str:
    """The form that carries the confirmation, from its start tag to its end."""
    match = re.search(r'<form method="post"[^>]*>(?:(?!</form>).)*name="confirm"(?:(?!</form>).)*</form>', page, re.S)
    assert match, "no form with the confirmation field"
    return match.group(0)


def _actions(db) -> list[str]:
    return [entry.action for entry in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def _assert_asks_first(page: str, *, path: str, title: str, yes: str, cancel: str) -> None:
    """A confirmation page: the question as title and heading, a "Yes" button that posts the confirmation to the
    action's own address, and a Cancel link back."""
    assert _title(page) == f"{title} – TalentCase"
    assert _h1(page) == title
    form = _confirm_form(page)
    assert f'action="{path}"' in form
    assert re.search(r'<input[^>]*name="confirm"[^>]*type="hidden"[^>]*value="yes"', form) or re.search(
        r'<input[^>]*type="hidden"[^>]*name="confirm"[^>]*value="yes"', form
    )
    assert re.search(rf'<button type="submit" class="button-warning">{re.escape(yes)}</button>', form)
    assert f'<a href="{cancel}">Cancel</a>' in form


def _open_case(people, company_key: str = "company_a"):
    return cases.open_case(people[company_key], VALUES, opened_on=date(2026, 9, 1))


# --- who may ask, and about what ---------------------------------------------------------------------------------


def _paths(people, db) -> dict[str, str]:
    closure, _ = sla.add_closure_day(date(2026, 9, 15), "typhoon8", "Typhoon Ragasa")
    db.session.commit()
    user = people["hr_b"].id
    return {
        "deactivate_user": f"/admin/users/{user}/active",
        "revoke_tokens": f"/admin/users/{user}/tokens/revoke",
        "reset_password": f"/admin/users/{user}/password",
        "deactivate_company": f"/admin/companies/{people['company_b'].id}/deactivate",
        "remove_closure": f"/admin/calendar/{closure.id}/delete",
    }


ACTIONS = ("deactivate_user", "revoke_tokens", "reset_password", "deactivate_company", "remove_closure")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["hr_a", "hr_b", "officer"])
def test_only_admins_see_a_confirmation_page_or_confirm(client, auth, people, db, action, role):
    path = _paths(people, db)[action]
    auth.as_user(people[role])
    assert client.get(path).status_code == 403
    data = {**CONFIRMED, "password": "a-new-long-password"}
    assert client.post(path, data=data).status_code == 403
    assert client.post(path, data={}).status_code == 403
    db.session.expire_all()
    assert people["hr_b"].is_enabled and people["company_b"].is_active
    assert db.session.query(ClosureDay).count() == 1
    assert accounts.authenticate("hr@beta.test", factories.PASSWORD).ok
    assert "permission_denied" in _actions(db)
    assert not {"user_deactivated", "tokens_revoked", "password_reset", "company_deactivated", "closure_removed"} & set(
        _actions(db)
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_callers_are_sent_to_sign_in(client, people, db, action):
    path = _paths(people, db)[action]
    for response in (client.get(path), client.post(path, data=CONFIRMED)):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/99999/active",
        "/admin/users/99999/tokens/revoke",
        "/admin/users/99999/password",
        "/admin/companies/99999/deactivate",
        "/admin/calendar/99999/delete",
    ],
)
def test_an_unknown_id_is_not_found(client, auth, people, path):
    auth.as_user(people["admin"])
    assert client.get(path).status_code == 404
    assert client.post(path, data=CONFIRMED).status_code == 404
    assert client.post(path, data={}).status_code == 404


# --- deactivating a user -------------------------------------------------------------------------------------------


def test_deactivating_a_user_asks_first_and_says_what_happens_to_them(client, auth, people, db):
    user = people["hr_a"]
    accounts.issue_token(user, "Payroll sync")
    db.session.commit()
    auth.as_user(people["admin"])
    row = next(
        row
        for row in client.get("/admin/users").get_data(as_text=True).split("<tr>")
        if "<td>hr@alpha.test</td>" in row
    )
    # On the list, Deactivate is a link to the question, not a button that acts.
    assert f'<a class="button-secondary" href="/admin/users/{user.id}/active">Deactivate' in row
    assert f'action="/admin/users/{user.id}/active"' not in row

    page = client.get(f"/admin/users/{user.id}/active").get_data(as_text=True)
    _assert_asks_first(
        page,
        path=f"/admin/users/{user.id}/active",
        title="Deactivate hr@alpha.test?",
        yes="Yes, deactivate this user",
        cancel="/admin/users",
    )
    text = _text(page)
    assert "Alpha Robotics Limited" in text
    assert (
        "hr@alpha.test will be signed out at once, wherever they are signed in, and will no longer be able to sign in."
        in text
    )
    assert "Their 1 API token will stop working while the account is deactivated." in text
    assert "You can activate the account again later from the list of users." in text
    db.session.refresh(user)
    assert user.is_enabled


def test_a_confirmed_deactivation_acts_and_is_audited_and_activating_stays_one_click(client, auth, people, db):
    user = people["hr_a"]
    version = user.session_version
    auth.as_user(people["admin"])
    response = client.post(f"/admin/users/{user.id}/active", data=CONFIRMED)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    db.session.refresh(user)
    assert not user.is_enabled and user.session_version == version + 1
    entry = db.session.query(AuditEntry).filter_by(action="user_deactivated").one()
    assert (entry.target_type, entry.target_id, entry.actor_id) == ("user", user.id, people["admin"].id)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "hr@alpha.test is now deactivated." in page
    # Activating is not destructive: the list still has a button that acts at once.
    row = next(row for row in page.split("<tr>") if "<td>hr@alpha.test</td>" in row)
    assert f'action="/admin/users/{user.id}/active"' in row and ">Activate<" in row
    # Once deactivated there is nothing to confirm: the question's address leads back to the list.
    response = client.get(f"/admin/users/{user.id}/active")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    # A confirmed deactivation sent twice never turns into an activation.
    assert client.post(f"/admin/users/{user.id}/active", data=CONFIRMED).status_code == 302
    db.session.refresh(user)
    assert not user.is_enabled
    assert client.post(f"/admin/users/{user.id}/active", data={}).status_code == 302
    db.session.refresh(user)
    assert user.is_enabled
    assert _actions(db) == ["user_deactivated", "user_activated"]


def test_a_deactivation_posted_without_the_confirmation_goes_to_the_question(client, auth, people, db):
    user = people["hr_a"]
    auth.as_user(people["admin"])
    for data in ({}, {"confirm": ""}, {"confirm": "no"}):
        response = client.post(f"/admin/users/{user.id}/active", data=data)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/admin/users/{user.id}/active")
    db.session.refresh(user)
    assert user.is_enabled
    assert _actions(db) == []
    assert _h1(client.get(response.headers["Location"]).get_data(as_text=True)) == "Deactivate hr@alpha.test?"


def test_the_admin_is_never_asked_to_deactivate_themselves(client, auth, people, db):
    admin = people["admin"]
    auth.as_user(admin)
    for response in (
        client.get(f"/admin/users/{admin.id}/active", follow_redirects=True),
        client.post(f"/admin/users/{admin.id}/active", data=CONFIRMED, follow_redirects=True),
    ):
        assert response.request.path == "/admin/users"
        assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_enabled


# --- revoking a user's API tokens ----------------------------------------------------------------------------------


def test_revoking_tokens_asks_first_and_names_the_tokens_that_will_stop(client, auth, people, db):
    user = people["hr_a"]
    accounts.issue_token(user, "Payroll sync")
    accounts.issue_token(user, "CI pipeline")
    old, _ = accounts.issue_token(user, "Old laptop")
    accounts.revoke_token(old)
    accounts.issue_token(people["hr_b"], "Beta's own")
    db.session.commit()
    auth.as_user(people["admin"])
    row = next(
        row
        for row in client.get("/admin/users").get_data(as_text=True).split("<tr>")
        if "<td>hr@alpha.test</td>" in row
    )
    assert f'<a class="button-secondary" href="/admin/users/{user.id}/tokens/revoke">Revoke tokens' in row

    page = client.get(f"/admin/users/{user.id}/tokens/revoke").get_data(as_text=True)
    _assert_asks_first(
        page,
        path=f"/admin/users/{user.id}/tokens/revoke",
        title="Revoke the API tokens of hr@alpha.test?",
        yes="Yes, revoke these tokens",
        cancel="/admin/users",
    )
    text = _text(page)
    assert "hr@alpha.test has 2 API tokens in use:" in text
    assert "Payroll sync" in text and "CI pipeline" in text
    assert "Old laptop" not in text and "Beta's own" not in text
    assert "Programs that use them will stop working at once. A revoked token cannot be brought back" in text


def test_a_confirmed_revocation_revokes_and_is_audited(client, auth, people, db):
    user = people["hr_a"]
    _, plain = accounts.issue_token(user, "Payroll sync")
    accounts.issue_token(user, "CI pipeline")
    _, other = accounts.issue_token(people["hr_b"], "Beta's own")
    db.session.commit()
    auth.as_user(people["admin"])
    response = client.post(f"/admin/users/{user.id}/tokens/revoke", data=CONFIRMED)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert db.session.query(ApiToken).filter_by(user_id=user.id, revoked_at=None).count() == 0
    assert accounts.user_for_token(plain) is None and accounts.user_for_token(other) is not None
    entry = db.session.query(AuditEntry).filter_by(action="tokens_revoked").one()
    assert (entry.target_type, entry.target_id, entry.detail) == ("user", user.id, {"count": 2})
    assert "2 token(s) of hr@alpha.test revoked." in client.get("/admin/users").get_data(as_text=True)


def test_a_revocation_posted_without_the_confirmation_goes_to_the_question(client, auth, people, db):
    user = people["hr_a"]
    _, plain = accounts.issue_token(user, "Payroll sync")
    db.session.commit()
    auth.as_user(people["admin"])
    response = client.post(f"/admin/users/{user.id}/tokens/revoke", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}/tokens/revoke")
    assert accounts.user_for_token(plain) is not None
    assert _actions(db) == []


def test_with_no_token_in_use_there_is_nothing_to_confirm(client, auth, people, db):
    auth.as_user(people["admin"])
    page = client.get(f"/admin/users/{people['hr_a'].id}/tokens/revoke").get_data(as_text=True)
    assert _h1(page) == "Revoke the API tokens of hr@alpha.test?"
    assert "hr@alpha.test has no API tokens in use: there is nothing to revoke." in _text(page)
    assert 'name="confirm"' not in page
    assert '<a href="/admin/users">Back to users</a>' in page


# --- resetting a user's password -----------------------------------------------------------------------------------


def test_resetting_a_password_asks_for_it_on_a_page_that_says_what_happens(client, auth, people, db):
    user = people["hr_a"]
    auth.as_user(people["admin"])
    row = next(
        row
        for row in client.get("/admin/users").get_data(as_text=True).split("<tr>")
        if "<td>hr@alpha.test</td>" in row
    )
    assert f'<a class="button-secondary" href="/admin/users/{user.id}/password">Reset password' in row
    assert 'type="password"' not in row  # the new password is typed on the question's page, not in the list

    page = client.get(f"/admin/users/{user.id}/password").get_data(as_text=True)
    _assert_asks_first(
        page,
        path=f"/admin/users/{user.id}/password",
        title="Reset the password of hr@alpha.test?",
        yes="Yes, reset the password",
        cancel="/admin/users",
    )
    form = _confirm_form(page)
    assert '<label class="label" for="password">New password</label>' in form
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*name="password"[^>]*type="password"', form)
    text = _text(page)
    assert (
        "Their old password will stop working and they will be signed out at once, wherever they are signed in." in text
    )
    assert "Their API tokens will stop working." in text
    assert "Give it to the person privately; they can change it under My account." in text
    assert "This is your own account" not in text


def test_a_confirmed_reset_sets_the_password_and_is_audited(client, auth, people, db):
    user = people["hr_a"]
    version = user.session_version
    auth.as_user(people["admin"])
    response = client.post(f"/admin/users/{user.id}/password", data={**CONFIRMED, "password": "a-new-long-password"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    db.session.refresh(user)
    assert user.session_version == version + 1
    assert accounts.authenticate("hr@alpha.test", "a-new-long-password").ok
    assert not accounts.authenticate("hr@alpha.test", factories.PASSWORD).ok
    entry = db.session.query(AuditEntry).filter_by(action="password_reset").one()
    assert (entry.target_type, entry.target_id) == ("user", user.id)
    assert "The password of hr@alpha.test is reset." in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter a new password."),
        ("short", "Use at least 10 characters."),
        ("hr@alpha.test", "Do not use your email address as your password."),
    ],
)
def test_a_refused_password_is_shown_beside_the_field_on_the_same_page(client, auth, people, db, password, message):
    user = people["hr_a"]
    auth.as_user(people["admin"])
    response = client.post(f"/admin/users/{user.id}/password", data={**CONFIRMED, "password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _h1(page) == "Reset the password of hr@alpha.test?"
    assert re.search(rf'<a href="#password">{re.escape(message)}', page)
    assert 'aria-invalid="true"' in _confirm_form(page)
    assert accounts.authenticate("hr@alpha.test", factories.PASSWORD).ok
    assert _actions(db) == []


def test_a_reset_posted_without_the_confirmation_changes_nothing_and_never_carries_the_password(
    client, auth, people, db
):
    user = people["hr_a"]
    auth.as_user(people["admin"])
    # The form the users list had before: a password and no confirmation.
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "a-new-long-password"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}/password")
    assert "a-new-long-password" not in response.headers["Location"]
    assert accounts.authenticate("hr@alpha.test", factories.PASSWORD).ok
    assert _actions(db) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "a-new-long-password" not in page


def test_resetting_ones_own_password_says_that_it_signs_one_out(client, auth, people, db):
    admin = people["admin"]
    auth.as_user(admin)
    page = client.get(f"/admin/users/{admin.id}/password").get_data(as_text=True)
    assert "This is your own account: you will be signed out too, and sign in again with the new password." in _text(
        page
    )
    client.post(f"/admin/users/{admin.id}/password", data={**CONFIRMED, "password": "a-new-long-password"})
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- deactivating a company ----------------------------------------------------------------------------------------


@pytest.fixture
def busy_company(db, people):
    """Company A with two HR users, two open cases and a withdrawn one; company B has an open case of its own."""
    company = people["company_a"]
    factories.UserFactory(role="hr", company=company, email="second@alpha.test")
    _open_case(people)
    submitted = _open_case(people)
    cases.take_action(submitted, "submit", role="hr", occurred_on=date(2026, 9, 2))
    withdrawn = _open_case(people)
    cases.take_action(withdrawn, "withdraw", role="hr", occurred_on=date(2026, 9, 2), note="On hold.")
    _open_case(people, "company_b")
    db.session.commit()
    return company


def test_deactivating_a_company_asks_first_and_counts_whom_it_touches(client, auth, people, db, busy_company):
    company = busy_company
    auth.as_user(people["admin"])
    edit = client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert (
        f'<a class="button-warning" href="/admin/companies/{company.id}/deactivate">'
        "Deactivate this company and sign out its HR users</a>"
    ) in edit
    assert f'action="/admin/companies/{company.id}/deactivate"' not in edit

    page = client.get(f"/admin/companies/{company.id}/deactivate").get_data(as_text=True)
    _assert_asks_first(
        page,
        path=f"/admin/companies/{company.id}/deactivate",
        title="Deactivate Alpha Robotics Limited?",
        yes="Yes, deactivate this company",
        cancel=f"/admin/companies/{company.id}",
    )
    text = _text(page)
    assert (
        "Its 2 HR users will be signed out at once and will no longer be able to sign in or use their API tokens:"
        in text
    )
    assert "hr@alpha.test" in text and "second@alpha.test" in text and "hr@beta.test" not in text
    assert "It cannot be given new users while it is deactivated." in text
    assert "Its 2 open cases will stay as they are, and park officers will still see them." in text
    assert "You can reactivate it later: its HR users can then sign in again" in text
    db.session.refresh(company)
    assert company.is_active


def test_a_company_with_no_users_or_cases_says_so(client, auth, people, db):
    company = factories.CompanyFactory(name="Gamma AI Limited")
    db.session.commit()
    auth.as_user(people["admin"])
    text = _text(client.get(f"/admin/companies/{company.id}/deactivate").get_data(as_text=True))
    assert "It has no HR users to sign out." in text
    assert "It has no open cases." in text


def test_a_confirmed_company_deactivation_acts_and_is_audited(client, auth, people, db, busy_company):
    company = busy_company
    versions = {user.id: user.session_version for user in company.users}
    auth.as_user(people["admin"])
    response = client.post(f"/admin/companies/{company.id}/deactivate", data=CONFIRMED)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/companies/{company.id}")
    db.session.refresh(company)
    assert not company.is_active
    assert all(user.session_version == versions[user.id] + 1 for user in company.users)
    entry = db.session.query(AuditEntry).filter_by(action="company_deactivated").one()
    assert (entry.target_type, entry.target_id, entry.detail) == ("company", company.id, {"hr_users": 2})
    assert "Alpha Robotics Limited is deactivated: its HR users are signed out" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    # Deactivated already: the question's address leads back to the company, which says so.
    response = client.get(f"/admin/companies/{company.id}/deactivate")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/companies/{company.id}")


def test_a_company_deactivation_posted_without_the_confirmation_goes_to_the_question(client, auth, people, db):
    company = people["company_a"]
    version = people["hr_a"].session_version
    auth.as_user(people["admin"])
    response = client.post(f"/admin/companies/{company.id}/deactivate", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/companies/{company.id}/deactivate")
    db.session.refresh(company)
    assert company.is_active and people["hr_a"].session_version == version
    assert _actions(db) == []


# --- removing a closure day ----------------------------------------------------------------------------------------


@pytest.fixture
def typhoon(db, people):
    """A quota clock due on Tuesday 15 September 2026, moved to the 16th by a typhoon closure that day."""
    case = _open_case(people)
    cases.take_action(case, "submit", role="hr", occurred_on=date(2026, 9, 1))
    cases.take_action(case, "accept", role="officer", occurred_on=date(2026, 9, 1))
    cases.take_action(case, "lodge_quota", role="hr", occurred_on=date(2026, 9, 1))
    closure, _ = sla.add_closure_day(date(2026, 9, 15), "typhoon8", "Typhoon Ragasa")
    db.session.commit()
    assert case.clock_map["quota"].due_on == date(2026, 9, 16)
    return closure, case


def test_removing_a_closure_day_asks_first_and_says_which_clocks_move(client, auth, people, db, typhoon):
    closure, _ = typhoon
    auth.as_user(people["admin"])
    calendar = client.get("/admin/calendar").get_data(as_text=True)
    assert f'<a class="button-secondary" href="/admin/calendar/{closure.id}/delete">Remove' in calendar
    assert f'action="/admin/calendar/{closure.id}/delete"' not in calendar

    page = client.get(f"/admin/calendar/{closure.id}/delete").get_data(as_text=True)
    _assert_asks_first(
        page,
        path=f"/admin/calendar/{closure.id}/delete",
        title="Remove the closure day 15 Sep 2026?",
        yes="Yes, remove this closure day",
        cancel="/admin/calendar",
    )
    text = _text(page)
    assert "What happened Typhoon signal 8 or above" in text
    assert "Note Typhoon Ragasa" in text
    assert "Deadlines will treat this day as an ordinary day again." in text
    assert "The clocks of 1 open case that were running on that day will be worked out again" in text


def test_a_confirmed_removal_moves_the_due_dates_back_and_is_audited(client, auth, people, db, typhoon):
    closure, case = typhoon
    closure_id = closure.id
    auth.as_user(people["admin"])
    response = client.post(f"/admin/calendar/{closure_id}/delete", data=CONFIRMED)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar")
    assert db.session.query(ClosureDay).count() == 0
    db.session.refresh(case)
    assert case.clock_map["quota"].due_on == date(2026, 9, 15)
    entry = db.session.query(AuditEntry).filter_by(action="closure_removed").one()
    assert (entry.target_type, entry.target_id, entry.detail) == ("closure_day", closure_id, {"day": "2026-09-15"})
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "Closure day 15 Sep 2026 removed; 1 open case(s) recomputed." in page


def test_the_count_on_the_question_is_the_count_the_removal_recomputes(client, auth, people, db, typhoon):
    closure, _ = typhoon
    later = _open_case(people)  # its clocks start after the closure day: the removal leaves them alone
    cases.take_action(later, "submit", role="hr", occurred_on=date(2026, 9, 16))
    withdrawn = _open_case(people)  # its clocks started before the day but have stopped: they keep their results
    cases.take_action(withdrawn, "submit", role="hr", occurred_on=date(2026, 9, 1))
    cases.take_action(withdrawn, "withdraw", role="hr", occurred_on=date(2026, 9, 2), note="On hold.")
    db.session.commit()
    auth.as_user(people["admin"])
    text = _text(client.get(f"/admin/calendar/{closure.id}/delete").get_data(as_text=True))
    shown = int(re.search(r"The clocks of (\d+) open cases? that were running", text).group(1))
    assert shown == 1
    client.post(f"/admin/calendar/{closure.id}/delete", data=CONFIRMED)
    flashed = _text(client.get("/admin/calendar").get_data(as_text=True))
    assert f"removed; {shown} open case(s) recomputed." in flashed


def test_a_removal_posted_without_the_confirmation_goes_to_the_question(client, auth, people, db, typhoon):
    closure, case = typhoon
    auth.as_user(people["admin"])
    response = client.post(f"/admin/calendar/{closure.id}/delete", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/calendar/{closure.id}/delete")
    assert db.session.query(ClosureDay).count() == 1
    db.session.refresh(case)
    assert case.clock_map["quota"].due_on == date(2026, 9, 16)
    assert "closure_removed" not in _actions(db)


# --- the page's own form, with CSRF protection on as in production --------------------------------------------------


@pytest.fixture
def csrf_app(tmp_path):
    """An app that checks CSRF tokens, with an admin, an HR user holding an API token, and a closure day."""
    app = make_app(
        WTF_CSRF_ENABLED=True,
        STORAGE_DIR=str(tmp_path / "storage"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'csrf.db'}",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    with app.app_context():
        _db.create_all()
        admin = factories.UserFactory(role="admin", email="admin@park.test")
        hr = factories.UserFactory(role="hr", email="hr@alpha.test")
        accounts.issue_token(hr, "Payroll sync")
        closure, _ = sla.add_closure_day(date(2026, 9, 15), "typhoon8")
        _db.session.commit()
        yield app, admin, {"user": hr.id, "company": hr.company_id, "closure": closure.id}
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _hidden_fields(form: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', form):
        fields[re.search(r'name="([^"]+)"', tag).group(1)] = html.unescape(re.search(r'value="([^"]*)"', tag).group(1))
    return fields


@pytest.mark.parametrize(
    ("path", "extra", "audited"),
    [
        ("/admin/users/{user}/active", {}, "user_deactivated"),
        ("/admin/users/{user}/tokens/revoke", {}, "tokens_revoked"),
        ("/admin/users/{user}/password", {"password": "a-new-long-password"}, "password_reset"),
        ("/admin/companies/{company}/deactivate", {}, "company_deactivated"),
        ("/admin/calendar/{closure}/delete", {}, "closure_removed"),
    ],
)
def test_the_confirmation_pages_own_form_is_accepted_and_a_forged_one_is_not(csrf_app, path, extra, audited):
    app, admin, ids = csrf_app
    path = path.format(**ids)
    client = app.test_client()
    AuthActions(client).as_user(admin)  # a live session, as signing in starts
    fields = _hidden_fields(_confirm_form(client.get(path).get_data(as_text=True)))
    assert set(fields) == {"csrf_token", "confirm"} and fields["confirm"] == "yes"
    assert client.post(path, data={"confirm": "yes", **extra}).status_code == 400  # no token: refused, nothing done
    assert audited not in _actions(_db)
    assert client.post(path, data={**fields, **extra}).status_code == 302
    assert audited in _actions(_db)
