"""factory_boy factories for the models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from talentcase.accounts.models import Company, User
from talentcase.accounts.services import hash_password
from talentcase.cases.models import Case
from talentcase.extensions import db

PASSWORD = "correct-horse-battery"
# The company's declarations, each answered "yes" (a case opened without them has them unanswered and cannot be
# submitted): model attribute names.
ANSWERED = {
    "is_stem_degree": True,
    "is_top100_university": True,
    "is_full_time": True,
    "is_principally_rd": True,
    "local_hire_confirmed": True,
}
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is deliberately slow


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class CompanyFactory(BaseFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n} Limited")
    park = "HKSTP"
    br_number = factory.Sequence(lambda n: f"{70000000 + n}")
    br_expiry_on = date(2030, 12, 31)
    tech_areas = "artificial_intelligence"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    name = factory.Sequence(lambda n: f"User {n}")
    role = "hr"
    company = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role == "hr"),
        yes_declaration=factory.SubFactory(CompanyFactory),
        no_declaration=None,
    )
    password_hash = _PASSWORD_HASH
    preferred_language = "en"


def _in_letters(n: int) -> str:
    """A number written in Latin letters (0 -> "A", 26 -> "Ba"): a name has no digits, as cases.schema insists."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters = chr(ord("a") + digit) + letters
        if n == 0:
            return letters.capitalize()


class CaseFactory(factory.Factory):
    """A draft case opened through the service (reference, validation and defaults as in real use).

    `CaseFactory(company=..., opened_on=date(...), creator=user, full_name=...)`; other keywords are model attributes.
    """

    class Meta:
        model = Case

    company = factory.SubFactory(CompanyFactory)
    full_name = factory.Sequence(lambda n: f"Expert {_in_letters(n)}")
    nationality = "GB"
    email = factory.Sequence(lambda n: f"expert{n}@example.test")
    passport_number = factory.Sequence(lambda n: f"P{1000000 + n}")
    degree_level = "master"
    degree_field = "Computer Science"
    university = "University of Cambridge"
    years_experience = Decimal("2.0")
    position_title = "Machine Learning Engineer"
    tech_area = "artificial_intelligence"
    monthly_salary_hkd = 60000
    is_stem_degree = True
    is_top100_university = True
    is_full_time = True
    is_principally_rd = True
    local_hire_confirmed = True

    @classmethod
    def _create(cls, model_class, *, company, opened_on=None, creator=None, **values):
        from talentcase.cases import services

        return services.open_case(company, values, creator=creator, opened_on=opened_on)
