"""`flask demo seed`: realistic demo data, idempotent, with printed logins."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from talentcase.accounts import services as accounts
from talentcase.accounts.models import Company, User
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.jobs import uow

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_PASSWORD = "talentcase-demo"

COMPANIES = [
    ("Harbour Robotics Limited", "HKSTP", "71234567", date(2027, 6, 30), ["robotics", "artificial_intelligence"]),
    ("Kowloon Quantum Labs Limited", "HKSTP", "70876543", date(2027, 3, 31), ["quantum", "microelectronics"]),
    ("Lion Rock Biotech Limited", "HKSTP", "69543210", date(2026, 12, 31), ["biotechnology"]),
    ("Pok Fu Lam Fintech Limited", "Cyberport", "72345678", date(2027, 9, 30), ["financial_technologies"]),
    ("Victoria Data Analytics Limited", "Cyberport", "68765432", date(2027, 1, 31), ["data_analytics"]),
    ("Aberdeen Cyber Defence Limited", "Cyberport", "73456789", date(2027, 11, 30), ["cybersecurity"]),
    ("Tsuen Wan Green Materials Limited", "other", "67654321", date(2027, 5, 31), ["green_technology"]),
    ("Sha Tin IC Design Limited", "HKSTP", "74567890", date(2027, 8, 31), ["ic_design", "iot"]),
]

STAFF = [
    ("admin@talentcase.demo", Role.ADMIN, "Ada Administrator"),
    ("officer@talentcase.demo", Role.OFFICER, "Oscar Chan"),
    ("officer2@talentcase.demo", Role.OFFICER, "Olivia Wong"),
    ("supervisor@talentcase.demo", Role.OFFICER, "Samuel Lee"),
]
# The supervising officer: hears of new cases before they are assigned and of at-risk and breached clocks.
SUPERVISORS = ("supervisor@talentcase.demo",)


def hr_email(company_name: str) -> str:
    """The demo HR login of a company, e.g. hr@harbour-robotics.demo."""
    slug = "-".join(company_name.lower().replace("limited", "").split()[:2])
    return f"hr@{slug}.demo"


def seed_accounts() -> list[tuple[str, str, str]]:
    """Companies and users of every role; returns (email, role, company) for each demo login."""
    logins: list[tuple[str, str, str]] = []
    for name, park, br_number, br_expiry, areas in COMPANIES:
        company = db.session.scalar(select(Company).where(Company.name == name))
        if company is None:
            company = accounts.create_company(
                name, park=park, br_number=br_number, br_expiry_on=br_expiry, tech_areas=areas
            )
        email = hr_email(name)
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(
                email, role=Role.HR, password=DEMO_PASSWORD, company=company, name=f"HR of {name}"
            )
        user.is_company_admin = True  # so that a person trying the demo finds "Our team"
        logins.append((email, Role.HR, name))
    for email, role, person in STAFF:
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(email, role=role, password=DEMO_PASSWORD, name=person)
        user.is_supervisor = email in SUPERVISORS
        logins.append((email, role, ""))
    return logins


SEEDERS: list = []
# Called with each day as the seeders replay the past, and with today at the end (notifications: what the demo
# people have read by then), so that the seeders know nothing of who listens.
DAY_HOOKS: list = []


def register_day_hook(func):
    """A domain that wants to hear the demo's replayed days (e.g. notifications) registers here."""
    DAY_HOOKS.append(func)
    return func


def replayed(day: date) -> None:
    """Tell the day hooks that the replay has reached this day."""
    for hook in DAY_HOOKS:
        hook(day)


def register_seeder(func):
    """Later domains (cases, documents) add their own demo data through this hook."""
    SEEDERS.append(func)
    return func


@demo_cli.command("seed")
def seed() -> None:
    """Create demo companies, users and cases (safe to run again: nothing is duplicated)."""
    logins = seed_accounts()
    for seeder in SEEDERS:
        seeder()
    uow.checkpoint()
    users = db.session.scalar(select(db.func.count(User.id)))
    click.echo(f"Demo data ready ({users} users). Demo logins, all with password {DEMO_PASSWORD!r}:")
    for email, role, company in logins:
        click.echo(f"  {role:8} {email}" + (f"  ({company})" if company else ""))
