"""Browser journeys in real Chromium against the real app.

One live server for the browser tests: the app (TestingConfig with CSRF on, a SQLite file, the session's Redis)
served by werkzeug in a thread, plus an RQ worker subprocess, so packs are really made and mails really written. One
browser, a new context (cookies, viewport) per person in each test. Each test makes its own company and people, so
the tests do not depend on each other's data. Helpers are in tests/browser/helpers.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import delete, select
from werkzeug.serving import make_server

from config import TestingConfig
from talentcase import create_app
from talentcase.extensions import db as _db
from tests import factories
from tests.browser.helpers import Accessibility, LiveServer, PageProblems, Staff, watch

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--lang=en-US",  # the browser's own locale orders a date field's parts: the same on every machine
]
WAIT_MS = 15_000
BROWSER_REDIS_DB = 9  # other tests flush Redis database 0 as they please


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder needs Chromium: mark it so (`-m "not browser"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here:
            item.add_marker(pytest.mark.browser)


def _redis_database(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", parts.query, parts.fragment))


@pytest.fixture(scope="package")
def live_server(redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app on 127.0.0.1:<free port> with its RQ worker, for all the browser tests (stopped after them)."""
    from redis import Redis

    folder = tmp_path_factory.mktemp("browser")
    redis_url = _redis_database(redis_server, BROWSER_REDIS_DB)
    overrides = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'talentcase.db'}",
        "STORAGE_DIR": str(folder / "storage"),
        "REDIS_URL": redis_url,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    app = create_app(TestingConfig, **overrides)
    with app.app_context():
        _db.create_all()
    with Redis.from_url(redis_url) as connection:
        connection.flushdb()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Links in mail come from the configured base URL, never the request's Host: this server's, for the app and the
    # worker (which mints the expert's link as it sends).
    overrides["BASE_URL"] = app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    log_path = folder / "worker.log"
    with open(log_path, "wb") as log:  # the child keeps its own copy of the handle
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.browser._worker"],
            cwd=PROJECT,
            env={**os.environ, "TALENTCASE_BROWSER_CONFIG": json.dumps(overrides)},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, worker, log_path)
    finally:
        worker.terminate()  # RQ's warm shutdown
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def staff(live_server: LiveServer) -> Staff:
    """A company of the test's own with its HR user, plus an officer and an admin."""
    tag = uuid.uuid4().hex[:6]
    with live_server.data():
        company = factories.CompanyFactory(name=f"Harbour Robotics {tag} Limited")
        hr = factories.UserFactory(role="hr", company=company, email=f"hr-{tag}@harbour.test", name="Helen Ho")
        officer = factories.UserFactory(role="officer", email=f"officer-{tag}@park.test", name="Oscar Chan")
        admin = factories.UserFactory(role="admin", email=f"admin-{tag}@park.test", name="Ada Admin")
        _db.session.flush()
        return Staff(company.id, company.name, hr.email, officer.email, admin.email, hr.id, officer.id)


@pytest.fixture
def no_closures_left(live_server: LiveServer) -> Iterator[None]:
    """Closure days are global: whatever happens in the test, leave none behind for the others."""
    from talentcase.sla import services as sla
    from talentcase.sla.models import ClosureDay

    yield
    with live_server.data() as session:
        days = session.scalars(select(ClosureDay.day)).all()
        session.execute(delete(ClosureDay))
        for day in days:
            sla.recompute_clocks_touching(day)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests (Debian's, not a downloaded one)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def new_page(browser: Browser, live_server: LiveServer, problems: PageProblems) -> Iterator:
    """Make a page in a context of its own (its own cookies: one per person); `viewport=PHONE` for a phone.

    After the test, no page may have reported a CSP refusal or a script error."""
    contexts: list[BrowserContext] = []

    def make(**options) -> Page:
        options.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Hong_Kong", **options)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        watch(page, problems)
        return page

    expect.set_options(timeout=WAIT_MS)
    yield make
    for context in contexts:
        context.close()
    assert not problems.messages, "The browser reported problems:\n" + "\n".join(problems.messages)


@pytest.fixture
def page(new_page) -> Page:
    """A page in a fresh browser context of the default (desktop) size."""
    return new_page()


@pytest.fixture
def a11y() -> Iterator[Accessibility]:
    """The axe-core audit of the test's pages; a test ends with `a11y.assert_clean()` (checked here otherwise)."""
    audit = Accessibility()
    yield audit
    if not audit.asserted and audit.pages:
        audit.assert_clean()
