"""Config, health checks, migrations, demo seed, error pages."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine

from config import ProductionConfig, TestingConfig
from talentcase import create_app
from talentcase.accounts.models import Company, User
from talentcase.extensions import db as _db
from tests import schema


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app(ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("TALENTCASE_BASE_URL", "https://talentcase.example")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_healthz_reports_database_and_redis(app, client, redis_url):
    app.config["REDIS_URL"] = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_says_when_redis_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["redis"].startswith("error")


def test_migrations_build_exactly_the_models(tmp_path):
    """`db upgrade` on an empty SQLite file builds everything, and nothing differs from the models."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as connection:
            diff = schema.differences(connection, _db.metadata)
        engine.dispose()
        _db.engine.dispose()
    assert diff == []


def test_upgrading_folds_the_chinese_search_terms_already_stored(tmp_path):
    """Terms written before search folded Chinese to simplified are rewritten by the upgrade, so those cases are
    found by either form afterwards."""
    from sqlalchemy import delete, insert, select

    from talentcase.accounts import services as accounts
    from talentcase.cases import search
    from talentcase.cases.models import Case, CaseSearchTerm
    from tests.cases.helpers import make_case

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        # The case is made with today's models on today's schema, then the schema goes back to the revision before
        # the fold (later migrations only add what the models have since gained).
        upgrade()
        company = accounts.create_company("Old Terms Limited")
        case_id = make_case(company, chinese_name="陳大文", full_name="Chan Tai Man").id
        _db.session.commit()
        downgrade(revision="49deebf6b78c")
        # The terms as the search wrote them before: the characters as typed.
        _db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.term.in_(["陈大文", "大文", "文"])))
        _db.session.execute(insert(CaseSearchTerm), [{"term": t, "case_id": case_id} for t in ("陳大文", "大文", "文")])
        _db.session.commit()
        assert not _db.session.scalars(select(Case.id).where(*search.matches("陈大文"))).all()
        upgrade()
        _db.session.expire_all()
        terms = set(_db.session.scalars(select(CaseSearchTerm.term).where(CaseSearchTerm.case_id == case_id)))
        assert {"陈大文", "大文", "文"} <= terms and "陳大文" not in terms
        assert _db.session.scalars(select(Case.id).where(*search.matches("陳大文"))).all() == [case_id]
        assert _db.session.scalars(select(Case.id).where(*search.matches("陈大文"))).all() == [case_id]
        _db.session.remove()
        _db.engine.dispose()


def test_demo_seed_is_idempotent_and_prints_logins(runner, db):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    counts = (db.session.query(Company).count(), db.session.query(User).count())
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0
    assert (db.session.query(Company).count(), db.session.query(User).count()) == counts
    assert 6 <= counts[0] <= 10
    roles = {user.role for user in db.session.query(User)}
    assert roles == {"hr", "officer", "admin"}
    assert "admin@talentcase.demo" in second.output
    assert "talentcase-demo" in second.output


def test_every_demo_login_lands_on_its_home(app, runner, db):
    from talentcase.demo import DEMO_PASSWORD

    runner.invoke(args=["demo", "seed"])
    for user in db.session.query(User).all():
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        page = client.get("/home", follow_redirects=True)
        assert page.status_code == 200, user.email


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_unexpected_error_is_a_500_page_without_traceback(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data
