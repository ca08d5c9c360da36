"""The database briefly out of reach: a clear 503 (a page for people, JSON for the API), then back with nothing lost.

The web app under test is a second app on the same database, so that only its connections fail while the test's
own checks keep theirs. On PostgreSQL its connections go through a loopback TCP proxy that the test cuts (every open
connection dropped, new ones closed at once), as when the server restarts or the network goes; on SQLite, where
there is no connection to lose, the app's pool is emptied and every new connection is refused.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading

import pytest
from flask import current_app
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from talentcase.cases.models import Case
from talentcase.extensions import db as _db
from tests.api import bearer, case_body, issue_tokens
from tests.conftest import ON_POSTGRES, AuthActions, make_app


class TcpProxy:
    """Forwards loopback connections to the database; `cut()` drops them all and refuses new ones until `restore()`."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.is_cut:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source, sink)

    def _close(self, *sockets: socket.socket) -> None:
        with self._lock:
            for sock in sockets:
                self._open.discard(sock)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut(self) -> None:
        self.is_cut = True
        with self._lock:
            sockets = list(self._open)
        self._close(*sockets)

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


class RefusedConnections:
    """SQLite: the app's pooled connections are dropped and each new one fails as an unreadable file would."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.is_cut = False
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect, conn_rec, cargs, cparams):
        if self.is_cut:
            raise sqlite3.OperationalError("unable to open database file")
        return None

    def cut(self) -> None:
        self.is_cut = True
        self.engine.dispose()

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        event.remove(self.engine, "do_connect", self._connect)


@pytest.fixture
def web(app, app_config):
    """The web app whose database goes away, and the switch that takes it away: (app, outage)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if ON_POSTGRES:
        parsed = make_url(url)
        proxy = TcpProxy(parsed.host, parsed.port)
        url = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    web_app = make_app(**{**app_config, "SQLALCHEMY_DATABASE_URI": url})
    with web_app.app_context():
        outage = proxy if ON_POSTGRES else RefusedConnections(_db.engine)
    yield web_app, outage
    outage.close()
    with web_app.app_context():
        _db.engine.dispose()


@pytest.fixture
def hr(db, people) -> dict[str, str]:
    token = issue_tokens(people)["hr_a"]
    db.session.commit()
    return bearer(token)


def _case_count(db) -> int:
    db.session.expire_all()
    return db.session.query(Case).count()


def test_database_out_of_reach_is_a_clear_503_and_nothing_is_lost(web, db, people, hr):
    web_app, outage = web
    client = web_app.test_client()
    first = client.post("/api/v1/cases", headers=hr, json=case_body())
    assert first.status_code == 201
    browser = web_app.test_client()
    AuthActions(browser).as_user(people["hr_a"])  # a live session, as signing in starts
    assert browser.get("/cases/").status_code == 200

    outage.cut()

    page = browser.get("/cases/")
    assert page.status_code == 503
    assert page.mimetype == "text/html"
    assert b"cannot reach its database" in page.data
    assert b"Traceback" not in page.data
    assert page.headers["X-Request-ID"]
    for method, path in (
        ("get", "/api/v1/cases"),
        ("post", "/api/v1/cases"),
        ("get", f"/api/v1/cases/{first.json['id']}"),
    ):
        answer = client.open(path, method=method.upper(), headers=hr, json=case_body() if method == "post" else None)
        assert answer.status_code == 503, path
        assert answer.json["error"]["code"] == "unavailable"
        assert "database" in answer.json["error"]["message"]
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").json["checks"]["database"].startswith("error")
    assert _case_count(db) == 1  # the refused write left nothing behind

    outage.restore()

    assert client.get("/readyz").status_code == 200
    assert browser.get("/cases/").status_code == 200
    listed = client.get("/api/v1/cases", headers=hr)
    assert [item["id"] for item in listed.json["items"]] == [first.json["id"]]
    second = client.post("/api/v1/cases", headers=hr, json=case_body(full_name="Second Hire"))
    assert second.status_code == 201
    assert _case_count(db) == 2
    if not ON_POSTGRES:
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="a connection lost half way through a write is a PostgreSQL matter")
def test_connection_lost_half_way_through_a_write_leaves_no_half_case(web, db, hr):
    web_app, outage = web

    def cut_after_first_flush(session, flush_context) -> None:
        if current_app._get_current_object() is web_app and not outage.is_cut:
            outage.cut()  # the case and its first rows are flushed; the commit can no longer reach the server

    event.listen(Session, "after_flush", cut_after_first_flush)
    try:
        client = web_app.test_client()
        answer = client.post("/api/v1/cases", headers=hr, json=case_body())
    finally:
        event.remove(Session, "after_flush", cut_after_first_flush)
    assert answer.status_code == 503
    assert answer.json["error"]["code"] == "unavailable"
    assert _case_count(db) == 0

    outage.restore()
    again = client.post("/api/v1/cases", headers=hr, json=case_body())
    assert again.status_code == 201
    assert _case_count(db) == 1
