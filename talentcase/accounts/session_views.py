"""The session behind the cookie: started at sign-in, checked on each request (idle and absolute limits), kept alive
by "Stay signed in", and the signed-in devices on "My account" with their sign-out buttons."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user, user_logged_in

from talentcase.accounts import services, sessions
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import User
from talentcase.accounts.session_models import UserSession
from talentcase.accounts.views import bp
from talentcase.audit.requests import record_request
from talentcase.common import clock
from talentcase.common.http import client_ip
from talentcase.extensions import db

SESSION_KEY = "device"  # the session cookie's entry holding this device's random session id


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def lifetime_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def warning_seconds() -> int:
    """Seconds before the idle limit that the warning shows: two minutes, or half of a shorter limit (tests)."""
    idle = idle_limit().total_seconds()
    return int(min(current_app.config["SESSION_WARNING_SECONDS"], idle / 2))


def load_user(user_key: str) -> User | None:
    """Flask-Login loader: the account checks (services.load_user), then this device's session, alive."""
    user = services.load_user(user_key)
    if user is None:
        return None
    row = sessions.find_session(user, session.get(SESSION_KEY))
    now = clock.now()
    reason = "ended" if row is None else sessions.end_reason(row, now, idle=idle_limit(), lifetime=lifetime_limit())
    if reason is not None:
        if row is not None:
            sessions.end_session(row)
        g.ended_user_id = user.id  # whose typing a form sent now may give back (kept_views)
        session.pop("_user_id", None)
        session.pop(SESSION_KEY, None)
        flash(_ended_message(reason), "info")
        return None
    # A tenth of the idle limit (at most a minute) keeps the clock exact enough without a write on every request.
    sessions.touch(row, now, min(timedelta(minutes=1), idle_limit() / 10))
    g.device_session = row
    return user


def _ended_message(reason: str) -> str:
    if reason == "idle":
        minutes = max(1, round(current_app.config["SESSION_IDLE_MINUTES"]))
        return ngettext(
            "You were signed out after %(num)d minute without activity. Sign in again to carry on.",
            "You were signed out after %(num)d minutes without activity. Sign in again to carry on.",
            minutes,
        )
    if reason == "lifetime":
        hours = current_app.config["SESSION_MAX_HOURS"]
        return ngettext(
            "You were signed out %(num)d hour after signing in, as every session is. Sign in again to carry on.",
            "You were signed out %(num)d hours after signing in, as every session is. Sign in again to carry on.",
            hours,
        )
    return _("This device was signed out (from here or from another device). Sign in again to carry on.")


def _start_on_sign_in(sender: Flask, user: User, **extra) -> None:
    """Every sign-in (password, second factor, single sign-on, a changed password) starts a session of its own."""
    _, plain = sessions.start_session(user, request.headers.get("User-Agent", ""), client_ip())
    session[SESSION_KEY] = plain


def current_device() -> UserSession | None:
    """This request's session row, once the user is loaded."""
    return g.get("device_session") if current_user.is_authenticated else None


def devices() -> list[dict]:
    """The signed-in devices for "My account": this one first, then the most recently seen."""
    this = current_device()
    rows = sessions.live_sessions(current_user, clock.now(), idle=idle_limit(), lifetime=lifetime_limit())
    listed = []
    for row in sorted(rows, key=lambda row: row is not this):
        browser, system = sessions.device_summary(row.user_agent)
        listed.append({"row": row, "browser": browser, "system": system, "is_current": row is this})
    return listed


def timeout_settings() -> dict | None:
    """What the "you are about to be signed out" dialog needs, on a signed-in page."""
    if current_device() is None:
        return None
    return {
        "idle_seconds": int(idle_limit().total_seconds()),
        "warning_seconds": warning_seconds(),
        "minutes": max(1, round(warning_seconds() / 60)),
    }


@bp.route("/account/session/keep", methods=["POST"])
@login_required
def keep_session():
    """ "Stay signed in": loading the user has moved the idle clock on; always write it now."""
    sessions.touch(current_device(), clock.now(), timedelta(0))
    if request.accept_mimetypes.accept_html and not request.accept_mimetypes.accept_json:
        return redirect(url_for("accounts.account"))  # the dialog's form sent without script
    return "", 204


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_device(session_id: int):
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(404)
    sessions.end_session(row)
    record_request("session_ended", target_type="user_session", target_id=row.id)
    if row is current_device():
        logout_user()
        session.pop(SESSION_KEY, None)
        flash(_("You have signed out on this device."), "info")
        return redirect(url_for("accounts.login"))
    flash(_("That device is signed out."), "success")
    return redirect(url_for("accounts.account") + "#devices")


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_devices():
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = sessions.end_other_sessions(current_user, current_device())
    record_request("other_sessions_ended", count=count)
    flash(
        ngettext("%(num)d other device is signed out.", "%(num)d other devices are signed out.", count)
        if count
        else _("No other device was signed in."),
        "success",
    )
    return redirect(url_for("accounts.account") + "#devices")


def init_app(app: Flask) -> None:
    """Start a session at each sign-in, and give the templates the devices and the timeout settings."""
    user_logged_in.connect(_start_on_sign_in, app)
    app.context_processor(lambda: {"session_timeout": timeout_settings, "signed_in_devices": devices})
