"""The development SECRET_KEY is random per checkout, never the public one (probe F4); production refuses a known
public key."""

from __future__ import annotations

import stat

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from config import PUBLIC_KEYS, DevelopmentConfig, ProductionConfig
from talentcase import create_app
from talentcase.accounts import services as accounts
from talentcase.extensions import db as _db


def _dev_app(tmp_path):
    return create_app(
        DevelopmentConfig,
        SECRET_KEY_FILE=str(tmp_path / "secret_key"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 't.db'}",
        RATELIMIT_STORAGE_URI="memory://",
    )


def test_development_makes_a_random_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    first = _dev_app(tmp_path).config["SECRET_KEY"]
    assert first not in PUBLIC_KEYS and len(first) >= 40
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert _dev_app(tmp_path).config["SECRET_KEY"] == first  # sessions survive a restart
    other = tmp_path / "other"
    other.mkdir()
    assert _dev_app(other).config["SECRET_KEY"] != first  # per checkout


def _forged(secret_key: str, user_key: str) -> str:
    forger = Flask("forger")
    forger.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps({"_user_id": user_key, "_fresh": True})


def test_a_cookie_forged_with_the_old_public_key_signs_nobody_in(tmp_path, monkeypatch):
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    app = _dev_app(tmp_path)
    with app.app_context():
        _db.create_all()
        admin = accounts.create_user("admin@x.test", role="admin", password="long-enough-pw")
        _db.session.commit()
        user_key = admin.get_id()
        client = app.test_client()
        client.set_cookie("session", _forged("dev-only-not-secret", user_key))
        assert client.get("/admin/users").status_code == 302
        # Refused because the signature does not match the checkout's own key (not for want of a user).
        with pytest.raises(BadSignature):
            SecureCookieSessionInterface().get_signing_serializer(app).loads(_forged("dev-only-not-secret", user_key))
        _db.drop_all()


@pytest.mark.parametrize("key", ["dev-only-not-secret", "testing-secret", "short"])
def test_production_refuses_a_public_or_short_key(monkeypatch, tmp_path, key):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("TALENTCASE_BASE_URL", "https://talentcase.example")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
