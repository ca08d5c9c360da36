"""The home page per role, and /healthz and /readyz for people and load balancers."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("main", __name__)

# The first page of each role that exists (the officer console once it is there, else the case list).
ROLE_HOMES = {
    Role.HR: ("cases.index",),
    Role.OFFICER: ("officers.home", "cases.index"),
    Role.ADMIN: ("admin.index",),
}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("main.home"))


@bp.route("/home")
@login_required
def home():
    for endpoint in ROLE_HOMES.get(current_user.role, ()):
        if endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return render_template("main/home.html")


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # report, do not raise: this is the health check
        uow.rollback()
        return f"error: {type(error).__name__}"


def _check_redis() -> str:
    try:
        client = redis.Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except redis.RedisError as error:
        return f"error: {type(error).__name__}"


@bp.route("/healthz")
def healthz():
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ok" if healthy else "degraded", "checks": checks}), 200 if healthy else 503


@bp.route("/readyz")
def readyz():
    """Ready to take traffic when the database answers; Redis down only delays jobs (they wait in the outbox)."""
    database = _check_database()
    ready = database == "ok"
    return jsonify({"status": "ready" if ready else "not_ready", "checks": {"database": database}}), (
        200 if ready else 503
    )
