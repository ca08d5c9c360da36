"""Migration b4d6f8a0c2e4: "en" stored for everyone becomes "not chosen" (NULL), and back."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db

BEFORE = "8a1f4c6d2e70"
THIS = "b4d6f8a0c2e4"


def _languages(url: str) -> dict[str, str | None]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT email, preferred_language FROM users")).all())
    engine.dispose()
    return rows


def _is_nullable(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        column = next(c for c in inspect(connection).get_columns("users") if c["name"] == "preferred_language")
    engine.dispose()
    return column["nullable"]


def test_the_migration_upgrades_and_downgrades(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        engine = create_engine(url)
        with engine.begin() as connection:
            for email, language in (("en@x.test", "en"), ("zh@x.test", "zh_Hant_HK")):
                connection.execute(
                    text(
                        "INSERT INTO users (email, name, role, preferred_language, notification_mode, is_enabled,"
                        " failed_login_count, session_version, created_at)"
                        " VALUES (:email, '', 'officer', :language, 'immediate', true, 0, 1, CURRENT_TIMESTAMP)"
                    ),
                    {"email": email, "language": language},
                )
        engine.dispose()
        upgrade(revision=THIS)
        assert _languages(url) == {"en@x.test": None, "zh@x.test": "zh_Hant_HK"}
        assert _is_nullable(url)
        downgrade(revision=BEFORE)
        assert _languages(url) == {"en@x.test": "en", "zh@x.test": "zh_Hant_HK"}
        assert not _is_nullable(url)
        upgrade()
        _db.session.remove()
        _db.engine.dispose()
