"""Single sign-on for park staff with the park's OpenID Connect provider (Authlib's client).

Switched on by SSO_ISSUER; the provider's own sign-in (and its second factor) stands in for ours, so a person who
comes through it is fully signed in."""

from __future__ import annotations

import hashlib

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from talentcase.accounts import sso, sso_services
from talentcase.audit import services as audit
from talentcase.common.http import client_ip
from talentcase.jobs import uow

bp = Blueprint("sso", __name__)
oauth = OAuth()


def init_app(app: Flask) -> None:
    """Register the blueprint and the provider's client (its endpoints are read from its discovery document)."""
    oauth.init_app(app)
    app.register_blueprint(bp)


def _client():
    config = current_app.config
    if not config.get("SSO_ISSUER"):
        abort(404)
    # Authlib keeps one client per name for the life of the process: a name per provider and client id, so that a
    # changed setting (another app in the same process, a test's provider) never reaches a stale one.
    settings = f"{config['SSO_ISSUER']}|{config['SSO_CLIENT_ID']}"
    name = "park-" + hashlib.sha256(settings.encode()).hexdigest()[:12]
    client = oauth.create_client(name)
    if client is None:
        scope = "openid email profile " + config.get("SSO_ROLE_CLAIM", "groups")
        client = oauth.register(
            name,
            client_id=config["SSO_CLIENT_ID"],
            client_secret=config["SSO_CLIENT_SECRET"],
            server_metadata_url=config["SSO_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": scope},
        )
    return client


@bp.route("/login/sso")
def start():
    return _client().authorize_redirect(url_for("sso.callback", _external=True))


@bp.route("/login/sso/callback")
def callback():
    client = _client()
    config = current_app.config
    try:
        token = client.authorize_access_token()
    except OAuthError:
        flash(_("Single sign-on did not finish. Try again."), "error")
        return redirect(url_for("accounts.login"))
    claims = token.get("userinfo") or {}
    role = sso.role_for(claims, config.get("SSO_ROLE_CLAIM", "groups"), config.get("SSO_ROLE_MAP", {}))
    try:
        user = sso_services.user_for_identity(
            config["SSO_ISSUER"],
            claims,
            role,
            create=config.get("SSO_CREATE_USERS", False),
            local_passwords=config.get("SSO_LOCAL_PASSWORDS", True),
        )
    except sso_services.SsoRefusal as refusal:
        uow.discard()
        audit.record(
            "login_failed",
            actor_label=str(claims.get("email", ""))[:254],
            ip=client_ip(),
            via="sso",
            reason="sso_refused",
        )
        uow.checkpoint()
        flash(str(refusal), "error")
        return redirect(url_for("accounts.login"))
    language = session.get("lang")
    session.clear()  # a fresh session at sign-in (no fixation)
    if language:
        session["lang"] = language
    login_user(user)
    audit.record("login", actor=user, ip=client_ip(), via="sso")
    return redirect(url_for("main.home"))
