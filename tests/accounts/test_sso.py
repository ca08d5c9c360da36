"""Single sign-on for park staff against a real OpenID Connect provider (node oidc-provider, started here): the
directory's groups map to roles, an account is made on first sign-in when allowed, local passwords can be off."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from talentcase.accounts import sso
from talentcase.accounts.mfa_models import SsoIdentity
from talentcase.accounts.models import User
from talentcase.audit.models import AuditEntry
from tests.accounts.oidc_provider import running_provider, sso_config
from tests.factories import PASSWORD

CALLBACK = "http://localhost/login/sso/callback"  # the test client's own address


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider's issuer URL, served by node for the module's tests."""
    with running_provider(CALLBACK) as issuer:
        yield issuer


@pytest.fixture
def app_config(app_config: dict, provider: str, monkeypatch) -> dict:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain http on localhost
    return {**app_config, **sso_config(provider)}


def _sign_in_at_provider(client, who: str):
    """Follow the real redirects: our app to the provider, its sign-in form, and back to our callback."""
    start = client.get("/login/sso")
    assert start.status_code == 302
    browser = requests.Session()
    answer = browser.get(start.headers["Location"], allow_redirects=True)
    form_action = urljoin(answer.url, answer.text.split('action="', 1)[1].split('"', 1)[0])
    back = browser.post(form_action, data={"prompt": "login", "login": who, "password": "x"}, allow_redirects=False)
    while back.status_code in (302, 303) and not back.headers["Location"].startswith(CALLBACK):
        back = browser.get(back.headers["Location"], allow_redirects=False)
    parts = urlsplit(back.headers["Location"])
    return client.get(f"{parts.path}?{parts.query}")


def test_an_officer_in_the_directory_signs_in_and_gets_an_account(client, db, people):
    done = _sign_in_at_provider(client, "olivia")
    assert done.status_code == 302 and done.headers["Location"].endswith("/home")
    user = db.session.query(User).filter_by(email="olivia@park.test").one()
    assert user.role == "officer" and user.name == "Olivia Wong" and user.password_hash is None
    assert db.session.query(SsoIdentity).filter_by(user_id=user.id, subject="olivia").one()
    assert client.get("/officers/").status_code == 200
    entry = db.session.query(AuditEntry).filter_by(action="login", actor_id=user.id).one()
    assert entry.detail["via"] == "sso"


def test_an_existing_admin_is_linked_by_email_and_loses_the_local_password(client, auth, db, people):
    assert _sign_in_at_provider(client, "adam").status_code == 302
    admin = db.session.get(User, people["admin"].id)
    assert admin.password_hash is None  # local passwords are off for SSO users here
    assert client.get("/admin/users").status_code == 200
    client.post("/logout")
    assert auth.login("admin@park.test", PASSWORD).status_code == 200  # the password no longer signs in


def test_someone_in_no_mapped_group_is_refused(client, db, people):
    refused = _sign_in_at_provider(client, "visitor")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/login")
    assert db.session.query(User).filter_by(email="visitor@park.test").count() == 0
    assert b"not in a group" in client.get("/login").data


def test_the_sign_in_page_offers_sso_only_when_configured(client, app):
    assert b'href="/login/sso"' in client.get("/login").data
    app.config["SSO_ISSUER"] = None
    assert client.get("/login/sso").status_code == 404


def test_roles_from_claims():
    mapping = {"park-officers": "officer", "park-admins": "admin"}
    assert sso.role_for({"groups": ["x", "park-officers"]}, "groups", mapping) == "officer"
    assert sso.role_for({"groups": ["park-officers", "park-admins"]}, "groups", mapping) == "admin"  # the stronger
    assert sso.role_for({"groups": "park-admins"}, "groups", mapping) == "admin"
    assert sso.role_for({"groups": ["staff"]}, "groups", mapping) is None
    assert sso.role_for({}, "groups", mapping) is None
