"""Every route × every role: who may see what. The table grows with each domain."""

from __future__ import annotations

import pytest

from talentcase.common.roles import STAFF_ROLES

ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")

# path: expected status per role (anonymous, hr_a, hr_b, officer, admin). 302 for anonymous means "to sign-in".
GET_TABLE = {
    "/": (302, 302, 302, 302, 302),
    "/login": (200, 302, 302, 302, 302),
    "/forgot-password": (200, 200, 200, 200, 200),
    "/reset-password/not-a-real-token": (410, 410, 410, 410, 410),  # the signed link is the only key
    "/invitation/not-a-real-token": (410, 410, 410, 410, 410),
    "/account": (302, 200, 200, 200, 200),
    "/admin/companies": (302, 403, 403, 403, 200),
    "/admin/users": (302, 403, 403, 403, 200),
    "/healthz": (503, 503, 503, 503, 503),  # no Redis in this test: the health check says so
    "/readyz": (200, 200, 200, 200, 200),
    "/api/v1/openapi.json": (200, 200, 200, 200, 200),
    "/api/v1/me": (401, 200, 200, 200, 200),
    "/cases/": (302, 200, 200, 302, 403),  # one "All cases" for officers: the console's list
    "/cases/new": (302, 200, 200, 403, 403),
    "/officers/": (302, 403, 403, 200, 403),
    "/officers/cases": (302, 403, 403, 200, 403),
    "/officers/cases.csv": (302, 403, 403, 200, 403),
    "/officers/calendar": (302, 403, 403, 200, 403),
    "/officers/calendar/not-a-real-token.ics": (404, 404, 404, 404, 404),  # the secret address is the only key
    "/admin/audit": (302, 403, 403, 403, 200),
    "/admin/outbox": (302, 403, 403, 403, 200),
    # Only a company administrator (tests/admin/test_company_admins.py has their table): plain HR are refused.
    "/team/": (302, 403, 403, 403, 403),
    "/team/audit": (302, 403, 403, 403, 403),
    "/notifications": (302, 200, 200, 200, 200),  # every signed-in user has their own notices
    "/admin/sla": (302, 403, 403, 403, 200),
    "/account/two-factor": (302, 200, 200, 200, 200),
    "/account/two-factor/app": (302, 200, 200, 200, 200),
    "/account/two-factor/app/remove": (302, 302, 302, 302, 302),  # nothing to remove: back to the overview
    "/login/two-factor": (302, 302, 302, 302, 302),  # only for someone half signed in
    "/login/two-factor/setup": (302, 302, 302, 302, 302),
    "/login/sso": (404, 404, 404, 404, 404),  # single sign-on is off unless SSO_ISSUER is set
    "/login/sso/callback": (404, 404, 404, 404, 404),
    "/admin/owners": (302, 403, 403, 403, 200),
    "/officers/away": (302, 403, 403, 200, 403),
}

POST_TABLE = {
    "/admin/companies": (302, 403, 403, 403, 200),
    "/admin/users": (302, 403, 403, 403, 200),
    "/account/tokens": (302, 422, 422, 422, 422),  # the password is asked again before a token is made
    "/forgot-password": (422, 422, 422, 422, 422),  # an address is needed; known or not, the answer is the same
    "/reset-password/not-a-real-token": (410, 410, 410, 410, 410),
    "/invitation/not-a-real-token": (410, 410, 410, 410, 410),
    "/admin/users/999999/invite": (302, 403, 403, 403, 404),
    "/admin/users/999999/company-admin": (302, 403, 403, 403, 404),
    "/team/": (302, 403, 403, 403, 403),
    "/team/999999/active": (302, 403, 403, 403, 403),
    "/cases/new": (302, 200, 200, 403, 403),
    "/officers/calendar": (302, 403, 403, 200, 403),
    "/officers/calendar/revoke": (302, 403, 403, 302, 403),
    "/officers/cases/reassign": (302, 403, 403, 302, 403),  # nothing ticked: back to the list, saying so
    "/officers/away": (302, 403, 403, 422, 403),  # the form comes back with its errors
    "/admin/audit": (405, 405, 405, 405, 405),  # append-only: no route writes to the audit log
    "/admin/outbox": (405, 405, 405, 405, 405),
    "/admin/outbox/999999/resend": (302, 403, 403, 403, 404),  # nobody's mail: not found
    "/notifications/read-all": (302, 302, 302, 302, 302),  # back to one's own list (sign-in for anonymous)
    "/notifications/999999/read": (302, 404, 404, 404, 404),  # nobody's notice: not found
    "/admin/sla": (302, 403, 403, 403, 200),
    "/account/two-factor/recovery-codes": (302, 404, 404, 404, 404),  # no second factor yet
    "/account/passkeys/options": (302, 200, 200, 200, 200),
    "/account/passkeys": (302, 302, 302, 302, 302),  # no passkey in the post: back to the page, saying so
    "/account/passkeys/999999/remove": (302, 404, 404, 404, 404),
    "/login/two-factor/cancel": (302, 302, 302, 302, 302),
    "/login/two-factor/passkey/options": (404, 404, 404, 404, 404),  # only for someone half signed in
    "/login/two-factor/passkey": (302, 302, 302, 302, 302),
    "/admin/owners/rule": (302, 403, 403, 403, 400),  # no park or rule given
    "/admin/owners/areas": (302, 403, 403, 403, 400),
    "/admin/owners/cover": (302, 403, 403, 403, 422),  # the form comes back with its errors
    "/admin/owners/cover/999999/end": (302, 403, 403, 403, 404),
    "/admin/owners/officers/999999": (302, 403, 403, 403, 404),
    "/account/session/keep": (302, 204, 204, 204, 204),  # "Stay signed in": the idle clock moves on
    "/account/sessions/999999/end": (302, 404, 404, 404, 404),  # nobody's session: not found
    "/account/sessions/end-others": (302, 302, 302, 302, 302),  # back to "My account", saying how many
}


def test_the_tables_have_a_column_for_every_role_that_signs_in(people):
    assert {people[who].role for who in ROLES[1:]} == set(STAFF_ROLES)


def _sign_in(auth, people, role):
    if role != "anonymous":
        auth.as_user(people[role])


@pytest.mark.parametrize("path", sorted(GET_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_get_route_role_table(client, auth, people, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.get(path)
    assert response.status_code == GET_TABLE[path][role_index], f"{role} GET {path}"
    if response.status_code == 302 and role == "anonymous" and path not in ("/", "/login"):
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", sorted(POST_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_post_route_role_table(client, auth, people, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.post(path, data={})
    expected = POST_TABLE[path][role_index]
    # 200 with form errors re-rendered counts as "allowed in": admins get their form back (422) when it is empty.
    if expected == 200:
        assert response.status_code in (200, 422), f"{role} POST {path}"
    else:
        assert response.status_code == expected, f"{role} POST {path}"


def test_admin_actions_on_users_are_admin_only(client, auth, people):
    target = people["hr_b"]
    for role in ("hr_a", "hr_b", "officer"):
        auth.as_user(people[role])
        for action in ("active", "password", "tokens/revoke", "two-factor/reset", "company-admin"):
            assert client.post(f"/admin/users/{target.id}/{action}").status_code == 403
    auth.as_user(people["admin"])
    assert client.post("/admin/users/99999/active").status_code == 404


# Routes of one case owned by company A (a draft): other tenants get 404, never 403.
CASE_GET_TABLE = {
    "/cases/{id}": (302, 200, 404, 200, 403),
    "/cases/{id}/edit": (302, 200, 404, 200, 403),
    "/cases/{id}/check": (302, 200, 404, 403, 403),
    "/cases/{id}/submitted": (302, 302, 404, 403, 403),
    "/cases/{id}/messages": (302, 200, 404, 200, 403),
    "/cases/{id}/documents": (302, 200, 404, 200, 403),
}
CASE_POST_TABLE = {
    "/cases/{id}/actions": (302, 422, 404, 422, 403),
    "/cases/{id}/overrides": (302, 403, 403, 422, 403),  # an empty override is refused on the page
    "/officers/cases/{id}/owner": (302, 403, 403, 302, 403),  # no officer chosen: back to the case, saying so
    "/cases/{id}/edit": (302, 422, 404, 422, 403),
    "/cases/{id}/messages": (302, 422, 404, 422, 403),  # an empty message is refused on the page
    "/cases/{id}/messages/answer": (302, 409, 404, 409, 403),  # a draft waits on nobody: nothing to answer
    "/cases/{id}/documents/many": (302, 422, 404, 422, 403),  # no files chosen: the page says so
}


@pytest.fixture
def draft_case(db, people):
    from talentcase.cases import services
    from tests.admin import VALUES

    case = services.open_case(people["company_a"], VALUES)
    db.session.commit()
    return case


@pytest.mark.parametrize("path", sorted(CASE_GET_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_case_get_route_role_table(client, auth, people, draft_case, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.get(path.format(id=draft_case.id))
    assert response.status_code == CASE_GET_TABLE[path][role_index], f"{role} GET {path}"


@pytest.mark.parametrize("path", sorted(CASE_POST_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_case_post_route_role_table(client, auth, people, draft_case, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.post(path.format(id=draft_case.id), data={"full_name": ""})
    assert response.status_code == CASE_POST_TABLE[path][role_index], f"{role} POST {path}"


# What company A keeps on file: its HR and the officers read it, only its HR add to it, other tenants get 404.
COMPANY_GET_TABLE = {
    "/companies/{company}/documents": (302, 200, 404, 200, 403),
    "/companies/{company}/documents/999999/file": (302, 404, 404, 404, 403),
}
COMPANY_POST_TABLE = {
    "/companies/{company}/documents": (302, 422, 404, 403, 403),  # an empty form comes back with its errors
    "/companies/{company}/documents/999999/review": (302, 403, 403, 404, 403),
}


@pytest.mark.parametrize("path", sorted(COMPANY_GET_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_company_get_route_role_table(client, auth, people, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.get(path.format(company=people["company_a"].id))
    assert response.status_code == COMPANY_GET_TABLE[path][role_index], f"{role} GET {path}"


@pytest.mark.parametrize("path", sorted(COMPANY_POST_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_company_post_route_role_table(client, auth, people, path, role_index):
    role = ROLES[role_index]
    _sign_in(auth, people, role)
    response = client.post(path.format(company=people["company_a"].id), data={})
    assert response.status_code == COMPANY_POST_TABLE[path][role_index], f"{role} POST {path}"


def test_a_half_signed_in_person_reaches_no_page_but_the_second_factor(client, auth, people, db, draft_case):
    """Between the password and the second factor: every page sends them back to it; the API sees no session."""
    from tests.accounts.test_mfa import enrol

    enrol(db, people["officer"])
    assert auth.login("officer@park.test").headers["Location"].endswith("/login/two-factor")
    case_paths = [path.format(id=draft_case.id) for path in (*CASE_GET_TABLE, *CASE_POST_TABLE)]
    requests = [("GET", path) for path in (*GET_TABLE, *case_paths)] + [("POST", path) for path in POST_TABLE]
    for method, path in requests:
        if path.startswith("/login/two-factor"):
            continue
        response = client.open(path, method=method, data={})
        if path.startswith("/api/"):
            assert path == "/api/v1/openapi.json" or response.status_code == 401, f"{method} {path}"
        else:
            assert response.status_code == 302, f"{method} {path}"
            assert response.headers["Location"].endswith("/login/two-factor"), f"{method} {path}"
    assert client.get("/login/two-factor").status_code == 200
