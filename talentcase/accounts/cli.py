"""`flask companies …` and `flask users …` commands, exactly as the design's CLI contract says."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from talentcase.accounts import recovery, services
from talentcase.accounts.models import PARKS, Company
from talentcase.audit import services as audit
from talentcase.common.roles import STAFF_ROLES
from talentcase.extensions import db
from talentcase.jobs import uow

companies_cli = AppGroup("companies", help="Manage companies (tenants).")
users_cli = AppGroup("users", help="Manage users and their API tokens.")


def _parse_date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD") from error


@companies_cli.command("create")
@click.argument("name")
@click.option("--park", type=click.Choice(PARKS), default="HKSTP", show_default=True)
@click.option("--br-number", default=None, help="Business registration number.")
@click.option("--br-expiry", default=None, callback=_parse_date, help="BR expiry date, YYYY-MM-DD.")
def create_company(name: str, park: str, br_number: str | None, br_expiry: date | None) -> None:
    """Create a company."""
    try:
        company = services.create_company(name, park=park, br_number=br_number, br_expiry_on=br_expiry)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    audit.record("company_created", actor_label="cli", target_type="company", target_id=company.id)
    uow.checkpoint()
    click.echo(f"Created company {company.id}: {company.name} ({company.park})")


@companies_cli.command("list")
def list_companies() -> None:
    """List companies: id, name, park, BR number and whether the company is active or deactivated."""
    for company in db.session.scalars(select(Company).order_by(Company.name)):
        state = "active" if company.is_active else "deactivated"
        click.echo(f"{company.id}\t{company.name}\t{company.park}\t{company.br_number or ''}\t{state}")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in STAFF_ROLES]), required=True)
@click.option("--company", "company_name", default=None, help="Company name (required for hr).")
@click.option("--password", default=None, help="For scripts; without it the person is invited by email.")
@click.option("--name", default="", help="The person's name.")
def create_user(email: str, role: str, company_name: str | None, password: str | None, name: str) -> None:
    """Create a user."""
    company = None
    if company_name:
        company = db.session.scalar(select(Company).where(func.lower(Company.name) == company_name.strip().lower()))
        if company is None:
            raise click.ClickException(f"No company called {company_name!r}.")
    try:
        user = services.create_user(email, role=role, password=password, company=company, name=name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    audit.record("user_created", actor_label="cli", target_type="user", target_id=user.id, role=role)
    if password is None:
        recovery.invite(user)
        audit.record("invitation_sent", actor_label="cli", target_type="user", target_id=user.id)
    uow.checkpoint()
    click.echo(f"Created {user.role} user {user.email}" + (f" of {company.name}" if company else ""))
    if password is None:
        click.echo(f"An invitation to set a password is on its way to {user.email}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for.")
def create_token(email: str, name: str) -> None:
    """Create an API token for a user; the token is printed on the last line, once."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email!r}.")
    token, plain = services.issue_token(user, name)
    audit.record("token_created", actor=user, actor_label="cli", target_type="api_token", target_id=token.id)
    uow.checkpoint()
    click.echo(f"API token for {user.email} (shown once; store it now):")
    click.echo(plain)
