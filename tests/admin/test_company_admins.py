"""Company administrators (issue 21): an HR user who runs their own company's team, and nothing of another's."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from talentcase.accounts import mfa_services, services
from talentcase.accounts.models import User
from talentcase.audit import services as audit
from talentcase.audit.models import AuditEntry
from talentcase.cases import services as cases
from talentcase.notifications.models import OutboundMail
from tests import factories
from tests.accounts.test_mfa import enrol
from tests.admin import VALUES

ROLES = ("ca_a", "hr_a", "hr_b", "ca_b", "officer", "admin")


@pytest.fixture
def team(db, people):
    """The people, plus a company administrator of each company and a second HR user of A (the usual target)."""
    extra = {
        "ca_a": factories.UserFactory(role="hr", company=people["company_a"], email="boss@alpha.test"),
        "ca_b": factories.UserFactory(role="hr", company=people["company_b"], email="boss@beta.test"),
        "member_a": factories.UserFactory(role="hr", company=people["company_a"], email="member@alpha.test"),
    }
    extra["ca_a"].is_company_admin = True
    extra["ca_b"].is_company_admin = True
    db.session.commit()
    return {**people, **extra}


# Paths of the team pages, {member} being an HR user of company A: expected status per role in ROLES.
GET_TABLE = {
    "/team/": (200, 403, 403, 200, 403, 403),  # each company administrator sees their own team
    "/team/audit": (200, 403, 403, 200, 403, 403),
    "/team/{member}/active": (200, 403, 403, 404, 403, 403),
    "/team/{member}/two-factor/reset": (200, 403, 403, 404, 403, 403),
}
POST_TABLE = {
    "/team/{member}/active": (302, 403, 403, 404, 403, 403),  # unconfirmed: back to the question
    "/team/{member}/two-factor/reset": (302, 403, 403, 404, 403, 403),
    "/team/{member}/company-admin": (302, 403, 403, 404, 403, 403),
    "/team/{member}/invite": (302, 403, 403, 404, 403, 403),
}


@pytest.mark.parametrize("path", sorted(GET_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_get_route_role_table(client, auth, team, path, role_index):
    auth.as_user(team[ROLES[role_index]])
    response = client.get(path.format(member=team["member_a"].id))
    assert response.status_code == GET_TABLE[path][role_index]


@pytest.mark.parametrize("path", sorted(POST_TABLE))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_post_route_role_table(client, auth, team, path, role_index):
    auth.as_user(team[ROLES[role_index]])
    response = client.post(path.format(member=team["member_a"].id), data={})
    assert response.status_code == POST_TABLE[path][role_index]


@pytest.mark.parametrize("who", ["officer", "admin", "hr_b", "ca_b"])
@pytest.mark.parametrize("action", ["active", "two-factor/reset", "company-admin", "invite"])
def test_a_person_outside_the_company_is_not_found(client, auth, team, db, who, action):
    auth.as_user(team["ca_a"])
    target = team[who]
    version = target.session_version
    assert client.get(f"/team/{target.id}/{action}").status_code in (404, 405)
    assert client.post(f"/team/{target.id}/{action}", data={"confirm": "yes"}).status_code == 404
    db.session.refresh(target)
    assert target.session_version == version and target.is_enabled


def test_the_team_page_lists_only_the_company_hr_and_is_in_the_navigation(client, auth, team):
    auth.as_user(team["ca_a"])
    page = client.get("/team/").get_data(as_text=True)
    assert "member@alpha.test" in page and "hr@alpha.test" in page
    assert "beta.test" not in page.split("<main")[1] and "officer@park.test" not in page
    assert 'href="/team/"' in page
    auth.as_user(team["hr_a"])
    assert 'href="/team/"' not in client.get("/account").get_data(as_text=True)


def test_a_company_admin_invites_an_hr_user_of_their_own_company(client, auth, team, db):
    auth.as_user(team["ca_a"])
    response = client.post("/team/", data={"email": "New@Alpha.test", "name": "New Person"})
    assert response.status_code == 302
    user = services.find_user("new@alpha.test")
    assert user.role == "hr" and user.company_id == team["company_a"].id and user.password_hash is None
    assert not user.is_company_admin
    mails = db.session.scalars(select(OutboundMail).where(OutboundMail.to_address == "new@alpha.test")).all()
    assert [mail.kind for mail in mails] == ["invitation"]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == user.id)).all()
    assert {"user_created", "invitation_sent"} <= set(actions)


def test_an_invitation_to_a_taken_address_is_refused_and_keeps_what_was_typed(client, auth, team, db):
    auth.as_user(team["ca_a"])
    response = client.post("/team/", data={"email": "hr@beta.test", "name": "Kept Name"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A user with email hr@beta.test already exists." in page and "Kept Name" in page
    assert services.find_user("hr@beta.test").company_id == team["company_b"].id
    assert client.post("/team/", data={"email": "", "name": ""}).status_code == 422


def test_deactivation_asks_first_then_ends_sessions_and_tokens(client, auth, team, db, app):
    member = team["member_a"]
    _, plain = services.issue_token(member, "script")
    db.session.commit()
    version = member.session_version
    auth.as_user(team["ca_a"])
    page = client.get(f"/team/{member.id}/active").get_data(as_text=True)
    assert "Deactivate member@alpha.test?" in page
    assert client.post(f"/team/{member.id}/active", data={}).status_code == 302
    db.session.refresh(member)
    assert member.is_enabled  # not confirmed: nothing changed
    assert client.post(f"/team/{member.id}/active", data={"confirm": "yes"}).status_code == 302
    db.session.refresh(member)
    assert not member.is_enabled and member.session_version == version + 1
    assert services.user_for_token(plain) is None
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    assert client.post(f"/team/{member.id}/active", data={}).status_code == 302  # the list's Activate button
    db.session.refresh(member)
    assert member.is_enabled
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == member.id)).all()
    assert [a for a in actions if a.startswith("user_")] == ["user_deactivated", "user_activated"]


def test_a_company_admin_cannot_deactivate_themselves(client, auth, team, db):
    boss = team["ca_a"]
    auth.as_user(boss)
    response = client.post(f"/team/{boss.id}/active", data={"confirm": "yes"}, follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(boss)
    assert boss.is_enabled


def test_the_second_factor_reset_asks_first_and_is_audited(client, auth, team, db):
    member = team["member_a"]
    enrol(db, member)
    auth.as_user(team["ca_a"])
    assert "Reset the second factor of member@alpha.test?" in client.get(
        f"/team/{member.id}/two-factor/reset"
    ).get_data(as_text=True)
    client.post(f"/team/{member.id}/two-factor/reset", data={})
    assert mfa_services.has_second_factor(member)
    assert client.post(f"/team/{member.id}/two-factor/reset", data={"confirm": "yes"}).status_code == 302
    assert not mfa_services.has_second_factor(member)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "mfa_reset")).one()
    assert entry.actor_id == team["ca_a"].id and entry.target_id == member.id


def test_the_last_company_admin_cannot_step_down_but_can_hand_over(client, auth, team, db):
    boss, member = team["ca_a"], team["member_a"]
    auth.as_user(boss)
    response = client.post(f"/team/{boss.id}/company-admin", data={"make": ""}, follow_redirects=True)
    assert "the company's only administrator" in html.unescape(response.get_data(as_text=True))
    db.session.refresh(boss)
    assert boss.is_company_admin
    client.post(f"/team/{member.id}/company-admin", data={"make": "y"})
    client.post(f"/team/{boss.id}/company-admin", data={"make": ""})
    db.session.refresh(boss)
    db.session.refresh(member)
    assert member.is_company_admin and not boss.is_company_admin
    assert client.get("/team/").status_code == 403  # no longer an administrator: the next request knows
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("company_admin%"))).all()
    assert actions == ["company_admin_granted", "company_admin_removed"]


def test_the_park_admin_makes_and_unmakes_company_admins_of_hr_users_only(client, auth, team, db):
    auth.as_user(team["admin"])
    member = team["member_a"]
    assert client.post(f"/admin/users/{member.id}/company-admin", data={"make": "y"}).status_code == 302
    db.session.refresh(member)
    assert member.is_company_admin
    assert "Remove company administrator" in client.get("/admin/users").get_data(as_text=True)
    officer = team["officer"]
    response = client.post(f"/admin/users/{officer.id}/company-admin", data={"make": "y"}, follow_redirects=True)
    assert "Only HR users can be their company's administrator." in html.unescape(response.get_data(as_text=True))
    db.session.refresh(officer)
    assert not officer.is_company_admin
    for who in ("hr_a", "ca_a", "officer"):
        auth.as_user(team[who])
        assert client.post(f"/admin/users/{member.id}/company-admin", data={"make": ""}).status_code == 403


def test_the_audit_page_lists_only_the_company_entries(client, auth, team, db):
    case_a = cases.open_case(team["company_a"], VALUES)
    case_b = cases.open_case(team["company_b"], VALUES)
    audit.record("case_seen_a", actor=team["officer"], target_type="case", target_id=case_a.id)
    audit.record("case_seen_b", actor=team["officer"], target_type="case", target_id=case_b.id)
    audit.record("acted_by_a", actor=team["hr_a"])
    audit.record("acted_by_b", actor=team["hr_b"])
    audit.record("done_to_a", actor=team["admin"], target_type="user", target_id=team["member_a"].id)
    audit.record("done_to_b", actor=team["admin"], target_type="user", target_id=team["hr_b"].id)
    audit.record("company_a_edit", actor=team["admin"], target_type="company", target_id=team["company_a"].id)
    audit.record("company_b_edit", actor=team["admin"], target_type="company", target_id=team["company_b"].id)
    audit.record("officer_alone", actor=team["officer"])
    db.session.commit()
    auth.as_user(team["ca_a"])
    page = client.get("/team/audit").get_data(as_text=True)
    for seen in ("case_seen_a", "acted_by_a", "done_to_a", "company_a_edit"):
        assert seen in page
    for unseen in ("case_seen_b", "acted_by_b", "done_to_b", "company_b_edit", "officer_alone"):
        assert unseen not in page
    auth.as_user(team["ca_b"])
    page = client.get("/team/audit").get_data(as_text=True)
    assert "acted_by_b" in page and "acted_by_a" not in page


def test_each_demo_company_hr_login_is_its_company_administrator(runner, db):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    hr_users = db.session.scalars(select(User).where(User.role == "hr")).all()
    assert hr_users and all(user.is_company_admin for user in hr_users)
