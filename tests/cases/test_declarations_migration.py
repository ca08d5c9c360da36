"""Migration 2fd08c2efc9a: the declarations may be unanswered (NULL); every stored answer stays as it was."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db

BEFORE = "c7e9a1b3d5f7"
THIS = "2fd08c2efc9a"
DECLARATIONS = ("is_stem_degree", "is_top100_university", "is_full_time", "is_principally_rd", "local_hire_confirmed")


def _execute(url: str, sql: str, **params) -> list:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def _add_case(url: str, email: str, answers: tuple) -> None:
    """A case as the schema before this migration stores one (in SQL: the models are ahead of it)."""
    _execute(
        url,
        "INSERT INTO cases (company_id, status, visa_lodged, opened_on, created_at, updated_at, full_name,"
        " chinese_name, nationality, email, passport_number, is_mainland_resident, degree_level, degree_field,"
        " university, years_experience, position_title, tech_area, duties, monthly_salary_hkd, due_order_on,"
        f" {', '.join(DECLARATIONS)})"
        " SELECT id, 'review', false, '2026-03-02', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Alice Chan', '', 'GB',"
        " :email, '', false, 'master', '', 'Imperial College London', 2, 'Engineer', 'robotics', '', 60000,"
        " '9999-12-31', :a, :b, :c, :d, :e FROM companies",
        email=email,
        **dict(zip("abcde", answers, strict=True)),
    )


def _answers(url: str) -> dict[str, tuple]:
    rows = _execute(url, f"SELECT email, {', '.join(DECLARATIONS)} FROM cases ORDER BY id")
    return {email: tuple(None if value is None else bool(value) for value in values) for email, *values in rows}


def _nullable(url: str) -> set[bool]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            columns = inspect(connection).get_columns("cases")
    finally:
        engine.dispose()
    return {column["nullable"] for column in columns if column["name"] in DECLARATIONS}


def test_the_declarations_become_nullable_and_keep_their_answers(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        _execute(
            url,
            "INSERT INTO companies (name, park, tech_areas, is_listed, is_active, created_at)"
            " VALUES ('Alpha', 'HKSTP', '', false, true, CURRENT_TIMESTAMP)",
        )
        _add_case(url, "yes@x.test", (True, True, True, True, False))
        _add_case(url, "no@x.test", (False, True, False, True, True))
        before = _answers(url)

        upgrade(revision=THIS)
        assert _answers(url) == before
        assert _nullable(url) == {True}
        _add_case(url, "unanswered@x.test", (None, True, None, None, None))

        downgrade(revision=BEFORE)
        # The old schema cannot hold "unanswered": an unanswered declaration is not a yes.
        assert _answers(url) == {**before, "unanswered@x.test": (False, True, False, False, False)}
        assert _nullable(url) == {False}
        upgrade()
        _db.session.remove()
        _db.engine.dispose()
