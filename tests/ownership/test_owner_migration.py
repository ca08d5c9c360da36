"""Migration c4d1a7e9b3f2: cases submitted before owners existed get one; drafts keep none."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db

BEFORE = "b7c41e0d2a19"
THIS = "c4d1a7e9b3f2"


def _run(url: str, sql: str, **params) -> list:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def _officer(url: str, email: str, *, enabled: bool = True) -> int:
    _run(
        url,
        "INSERT INTO users (email, name, role, is_enabled, is_supervisor, failed_login_count, session_version,"
        " notification_mode, created_at) VALUES (:email, '', 'officer', :enabled, false, 0, 1, 'immediate',"
        " CURRENT_TIMESTAMP)",
        email=email,
        enabled=enabled,
    )
    return _run(url, "SELECT id FROM users WHERE email = :email", email=email)[0][0]


def _case(url: str, number: int, status: str, last_officer_id: int | None) -> None:
    _run(
        url,
        "INSERT INTO cases (id, company_id, status, visa_lodged, opened_on, created_at, updated_at, full_name,"
        " chinese_name, nationality, email, passport_number, is_mainland_resident, degree_level, degree_field,"
        " university, years_experience, position_title, tech_area, duties, monthly_salary_hkd, phone,"
        " expert_language, last_officer_id, due_order_on) VALUES (:id, 1, :status, false, '2026-03-01',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'A', '', 'IN', 'a@x.test', '', false, 'master', '', 'U', 1, 'T',"
        " 'robotics', '', 50000, '', 'en', :last, '9999-12-31')",
        id=number,
        status=status,
        last=last_officer_id,
    )


def test_submitted_cases_get_the_officer_who_last_acted_else_the_officers_in_turn(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        _run(
            url,
            "INSERT INTO companies (id, name, park, br_number, tech_areas, is_listed, is_active, created_at)"
            " VALUES (1, 'Co', 'HKSTP', '1', '', false, true, CURRENT_TIMESTAMP)",
        )
        first, second = _officer(url, "one@park.test"), _officer(url, "two@park.test")
        gone = _officer(url, "gone@park.test", enabled=False)
        _case(url, 1, "draft", None)
        _case(url, 2, "review", second)
        _case(url, 3, "visa", None)
        _case(url, 4, "quota", gone)
        _case(url, 5, "arrived", None)
        upgrade(revision=THIS)
        owners = dict(_run(url, "SELECT id, owner_id FROM cases"))
        assert owners == {1: None, 2: second, 3: first, 4: second, 5: first}
        downgrade(revision=BEFORE)
        assert dict(_run(url, "SELECT id, owner_id FROM cases")) == owners
        upgrade()
        _db.session.remove()
        _db.engine.dispose()
