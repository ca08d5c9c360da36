"""Migration b4d6f8a0c2e4: "en" stored for everyone becomes "not chosen" (NULL), and back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, create_engine, inspect, text
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


@contextmanager
def _connection(url: str, *, write: bool = False) -> Iterator[Connection]:
    """A connection of its own to the database under migration (the app's session is not used by the migration)."""
    engine = create_engine(url)
    try:
        with engine.begin() if write else engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _rows(url: str, sql: str) -> list:
    with _connection(url) as connection:
        return connection.execute(text(sql)).all()


def _languages(url: str) -> dict[str, str | None]:
    return dict(_rows(url, "SELECT email, preferred_language FROM users"))


def _is_nullable(url: str) -> bool:
    with _connection(url) as connection:
        column = next(c for c in inspect(connection).get_columns("users") if c["name"] == "preferred_language")
    return column["nullable"]


def _notice_owners(url: str) -> list[str]:
    sql = "SELECT users.email FROM notifications JOIN users ON users.id = notifications.user_id"
    return [email for (email,) in _rows(url, sql)]


def _version(url: str) -> str:
    return _rows(url, "SELECT version_num FROM alembic_version")[0][0]


def test_the_migration_upgrades_and_downgrades(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with _connection(url, write=True) as connection:
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


def test_a_migration_that_fails_half_way_leaves_the_database_as_it_was(empty_database_url):
    url = empty_database_url
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with _connection(url, write=True) as connection:
            _add_user(connection, "en@x.test", "en")
            # The migration's second step adds this column, so that step fails.
            connection.execute(text("ALTER TABLE notifications ADD COLUMN title_message TEXT"))
        with pytest.raises(DBAPIError, match="title_message"):
            upgrade(revision=THIS)
        # The first step (users) had run before the failure; none of it stays.
        assert _version(url) == BEFORE
        assert _languages(url) == {"en@x.test": "en"}
        assert not _is_nullable(url)
        with _connection(url, write=True) as connection:
            connection.execute(text("ALTER TABLE notifications DROP COLUMN title_message"))
        upgrade()
        assert _languages(url) == {"en@x.test": None}
        _db.session.remove()
        _db.engine.dispose()
