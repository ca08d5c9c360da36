"""Migration b4d6f8a0c2e4: "en" stored for everyone becomes "not chosen" (NULL), and back."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db

BEFORE = "8a1f4c6d2e70"
THIS = "b4d6f8a0c2e4"


def _add_user(connection, email: str, language: str) -> None:
    """A user as the schema before this migration stores one (written in SQL: the models are ahead of it)."""
    connection.execute(
        text(
            "INSERT INTO users (email, name, role, preferred_language, notification_mode, is_enabled,"
            " failed_login_count, session_version, created_at)"
            " VALUES (:email, '', 'officer', :language, 'immediate', true, 0, 1, CURRENT_TIMESTAMP)"
        ),
        {"email": email, "language": language},
    )


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


def _notice_owners(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT users.email FROM notifications JOIN users ON users.id = notifications.user_id")
        ).scalars()
        owners = list(rows)
    engine.dispose()
    return owners


def test_the_migration_upgrades_and_downgrades(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        engine = create_engine(url)
        with engine.begin() as connection:
            for email, language in (("en@x.test", "en"), ("zh@x.test", "zh_Hant_HK")):
                _add_user(connection, email, language)
            # A row that refers to a user: rebuilding the users table must keep it (on SQLite the batch rebuild
            # drops the old table, which the foreign key refused while it was enforced during migrations).
            connection.execute(
                text(
                    "INSERT INTO notifications (user_id, kind, title, body, created_at)"
                    " SELECT id, 'note', 'Hello', '', CURRENT_TIMESTAMP FROM users WHERE email = 'en@x.test'"
                )
            )
        engine.dispose()
        upgrade(revision=THIS)
        assert _languages(url) == {"en@x.test": None, "zh@x.test": "zh_Hant_HK"}
        assert _is_nullable(url)
        downgrade(revision=BEFORE)
        assert _languages(url) == {"en@x.test": "en", "zh@x.test": "zh_Hant_HK"}
        assert not _is_nullable(url)
        upgrade()
        assert _notice_owners(url) == ["en@x.test"]
        _db.session.remove()
        _db.engine.dispose()


def _version(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return version


def test_a_migration_that_fails_half_way_leaves_the_database_as_it_was(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        engine = create_engine(url)
        with engine.begin() as connection:
            _add_user(connection, "en@x.test", "en")
            # The migration's second step adds this column, so that step fails.
            connection.execute(text("ALTER TABLE notifications ADD COLUMN title_message TEXT"))
        engine.dispose()
        with pytest.raises(DBAPIError, match="title_message"):
            upgrade(revision=THIS)
        # The first step (users) had run before the failure; none of it stays.
        assert _version(url) == BEFORE
        assert _languages(url) == {"en@x.test": "en"}
        assert not _is_nullable(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE notifications DROP COLUMN title_message"))
        engine.dispose()
        upgrade()
        assert _languages(url) == {"en@x.test": None}
        _db.session.remove()
        _db.engine.dispose()
