"""Security headers on every page, and CSRF on every state-changing form."""

from __future__ import annotations

import re

import pytest

from talentcase.common.security import CSP
from tests.conftest import AuthActions, make_app
from tests.factories import UserFactory
from tests.security.test_every_route import first_choice


def test_pages_carry_the_security_headers(client):
    response = client.get("/login")
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_no_inline_scripts_or_styles_in_templates():
    from pathlib import Path

    for path in Path("templates").rglob("*.html"):
        if path.parts[1] == "pdf":
            continue  # rendered by WeasyPrint, never served to a browser
        text = path.read_text()
        assert "<script>" not in text and "<script " not in text.replace("<script src=", ""), path
        assert " style=" not in text and "<style" not in text, path
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {path}"


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(
        WTF_CSRF_ENABLED=True, STORAGE_DIR=str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}"
    )
    from talentcase.extensions import db

    with app.app_context():
        db.create_all()
        user = UserFactory(role="admin", email="admin@park.test")
        db.session.commit()
        yield app, user
        db.session.remove()
        db.drop_all()


def test_every_state_changing_form_needs_its_csrf_token(csrf_app):
    app, admin = csrf_app
    client = app.test_client()
    AuthActions(client).as_user(admin)  # a live session, as signing in starts
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or "POST" not in rule.methods:
            continue
        path = first_choice(rule.rule)
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", "1").replace(f"<{name}>", "x")
        response = client.post(path, data={"anything": "1"})
        # Refused: 400, or for an expert link that does not exist (the token "x" here) the link's own 404 page.
        expected = (400, 404) if path.startswith("/portal/x") else (400,)
        assert response.status_code in expected, f"POST {path} without a CSRF token -> {response.status_code}"
        checked += 1
    assert checked >= 25
