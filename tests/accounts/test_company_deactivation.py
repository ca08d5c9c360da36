"""A deactivated company's HR users cannot sign in, keep a session or use an API token; its cases stay visible to
officers; reactivating the company lets its users back in."""

from __future__ import annotations

from talentcase.accounts import services
from talentcase.audit.models import AuditEntry
from tests.cases.helpers import act, make_case

ME = "/api/v1/me"


def _bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_hr_of_a_deactivated_company_cannot_sign_in_and_is_told_why(client, auth, people, db):
    services.deactivate_company(people["company_a"])
    db.session.commit()
    response = auth.login("hr@alpha.test")
    assert response.status_code == 200
    assert b"Alpha Robotics Limited is deactivated in TalentCase. Ask the park&#39;s administrator." in response.data
    assert client.get("/account").status_code == 302
    failure = db.session.query(AuditEntry).filter_by(action="login_failed").one()
    assert failure.detail["reason"] == "inactive"
    # A wrong password says nothing about the company's state.
    assert (
        b"The email address or password is not right, or the account is locked"
        in auth.login("hr@alpha.test", "wrong-password").data
    )
    # Other companies and staff without a company are not affected.
    assert auth.login("hr@beta.test").status_code == 302


def test_the_service_refuses_the_sign_in(db, people):
    services.deactivate_company(people["company_a"])
    result = services.authenticate("hr@alpha.test", "correct-horse-battery")
    assert (result.ok, result.reason) == (False, "inactive")
    assert people["hr_a"].last_login_at is None


def test_deactivation_ends_open_sessions_and_a_session_cannot_be_resumed(client, auth, people, db):
    auth.as_user(people["hr_a"])
    assert client.get("/account").status_code == 200
    services.deactivate_company(people["company_a"])
    db.session.commit()
    assert client.get("/account").status_code == 302
    auth.as_user(people["hr_a"])  # the current session version: the company's state still refuses it
    assert client.get("/account").status_code == 302
    assert services.load_user(people["hr_a"].get_id()) is None


def test_api_tokens_of_a_deactivated_company_are_refused_until_it_is_reactivated(app, db, people):
    _, plain = services.issue_token(people["hr_a"], "payroll")
    _, other = services.issue_token(people["hr_b"], "payroll")
    services.deactivate_company(people["company_a"])
    db.session.commit()
    api = app.test_client()
    assert api.get(ME, headers=_bearer(plain)).status_code == 401
    assert services.user_for_token(plain) is None
    assert api.get(ME, headers=_bearer(other)).status_code == 200
    services.reactivate_company(people["company_a"])
    db.session.commit()
    assert api.get(ME, headers=_bearer(plain)).status_code == 200


def test_reactivated_company_can_sign_in_again(client, auth, people, db):
    services.deactivate_company(people["company_a"])
    db.session.commit()
    services.reactivate_company(people["company_a"])
    db.session.commit()
    assert auth.login("hr@alpha.test").status_code == 302
    assert client.get("/account").status_code == 200


def test_deactivation_only_changes_the_company_and_signs_out_its_own_hr_users(db, people):
    versions = {key: people[key].session_version for key in ("hr_a", "hr_b", "officer", "admin")}
    assert services.deactivate_company(people["company_a"]) == 1
    assert people["hr_a"].session_version == versions["hr_a"] + 1
    assert people["hr_a"].is_enabled  # the user's own switch is untouched: reactivation restores the account
    assert not people["hr_a"].is_active
    assert {key: people[key].session_version for key in ("hr_b", "officer", "admin")} == {
        key: versions[key] for key in ("hr_b", "officer", "admin")
    }
    assert services.deactivate_company(people["company_a"]) == 0  # already deactivated: nobody to sign out
    assert people["hr_a"].session_version == versions["hr_a"] + 1


def test_officers_still_see_the_cases_of_a_deactivated_company(client, auth, people, db):
    case = make_case(people["company_a"])
    act(case, "submit", None, people)
    services.deactivate_company(people["company_a"])
    db.session.commit()
    auth.as_user(people["officer"])
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert case.reference in client.get("/officers/cases").get_data(as_text=True)
    assert case.reference in client.get("/cases/", follow_redirects=True).get_data(as_text=True)  # the same list


def test_companies_list_command_says_which_companies_are_deactivated(runner, db, people):
    services.deactivate_company(people["company_b"])
    db.session.commit()
    lines = runner.invoke(args=["companies", "list"]).output.splitlines()
    assert [line.split("\t")[1::3] for line in lines] == [
        ["Alpha Robotics Limited", "active"],
        ["Beta Biotech Limited", "deactivated"],
    ]


def test_users_create_command_refuses_a_deactivated_company(runner, db, people):
    services.deactivate_company(people["company_b"])
    db.session.commit()
    args = ["users", "create", "new@beta.test", "--role", "hr", "--company", "Beta Biotech Limited"]
    result = runner.invoke(args=[*args, "--password", "long-enough-pw"])
    assert result.exit_code != 0
    assert "Beta Biotech Limited is deactivated: it cannot be given new users." in result.output
