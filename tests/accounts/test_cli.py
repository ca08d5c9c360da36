"""The CLI contract: companies create, users create, users token."""

from __future__ import annotations

from talentcase.accounts.models import Company, User


def test_companies_create(runner, db):
    result = runner.invoke(
        args=[
            "companies",
            "create",
            "Gamma AI Limited",
            "--park",
            "Cyberport",
            "--br-number",
            "12345678",
            "--br-expiry",
            "2027-05-31",
        ]
    )
    assert result.exit_code == 0, result.output
    company = db.session.query(Company).filter_by(name="Gamma AI Limited").one()
    assert company.park == "Cyberport"
    assert company.br_expiry_on.isoformat() == "2027-05-31"


def test_companies_create_rejects_duplicates_and_bad_dates(runner, db):
    assert runner.invoke(args=["companies", "create", "Gamma AI Limited"]).exit_code == 0
    again = runner.invoke(args=["companies", "create", "gamma ai limited"])
    assert again.exit_code != 0
    assert "already exists" in again.output
    bad = runner.invoke(args=["companies", "create", "Delta", "--br-expiry", "31/05/2027"])
    assert bad.exit_code != 0
    assert "YYYY-MM-DD" in bad.output


def test_users_create_with_password_and_company(runner, db):
    runner.invoke(args=["companies", "create", "Gamma AI Limited"])
    result = runner.invoke(
        args=[
            "users",
            "create",
            "HR@Gamma.test",
            "--role",
            "hr",
            "--company",
            "Gamma AI Limited",
            "--password",
            "long-enough-pw",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="hr@gamma.test").one()
    assert user.company.name == "Gamma AI Limited"
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_hr_without_company_and_weak_password(runner, db):
    assert (
        "needs a company"
        in runner.invoke(args=["users", "create", "a@b.test", "--role", "hr", "--password", "long-enough-pw"]).output
    )
    weak = runner.invoke(args=["users", "create", "a@b.test", "--role", "officer", "--password", "short"])
    assert weak.exit_code != 0
    assert "at least 10" in weak.output
    assert db.session.query(User).count() == 0


def test_users_token_prints_a_working_token_on_its_last_line(app, runner, db):
    runner.invoke(args=["users", "create", "officer@park.test", "--role", "officer", "--password", "long-enough-pw"])
    result = runner.invoke(args=["users", "token", "officer@park.test"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["email"] == "officer@park.test"
    assert response.json["role"] == "officer"


def test_users_token_for_unknown_user(runner, db):
    result = runner.invoke(args=["users", "token", "ghost@park.test"])
    assert result.exit_code != 0
    assert "No user" in result.output


def test_companies_create_refuses_a_name_with_hidden_characters(runner, db):
    result = runner.invoke(args=["companies", "create", "\u202eevil Co"])
    assert result.exit_code != 0
    assert "The company name has hidden characters that change how it is shown." in result.output
    assert db.session.query(Company).count() == 0
