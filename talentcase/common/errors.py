"""Error pages for people and JSON errors for the API; never a traceback."""

from __future__ import annotations

import logging

from blinker import Namespace
from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Sent (by the app) before a 403 is answered, so that the audit log can record the denial; create_app connects it.
permission_denied = Namespace().signal("permission-denied")
# Sent (by the app) before an error is answered: the unit of work (jobs.uow) rolls the request's work back, so that
# the error page may read the database again and nothing of the failed request is kept.
work_abandoned = Namespace().signal("work-abandoned")

API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str, code: str | None = None, **extra) -> tuple:
    """The API's error shape: {"error": {"code", "message", ...}}."""
    body = {"code": code or API_CODES.get(status, "error"), "message": message, **extra}
    return jsonify({"error": body}), status


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        401: (_("Sign in needed"), _("Sign in to see this page.")),
        403: (_("Not allowed"), _("Your account is not allowed to do this.")),
        404: (_("Page not found"), _("There is nothing here. Check the address, or go back to your home page.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        413: (_("File too large"), _("The file is larger than the limit. Upload a smaller file.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again.")),
        500: (_("Something went wrong"), _("Something went wrong on our side. Nothing you entered was saved.")),
        503: (
            _("Service unavailable"),
            _("TalentCase cannot reach its database just now. Nothing was saved; try again in a minute."),
        ),
    }


# The API speaks to programs: its defaults name the request, not a page.
API_MESSAGES = {
    404: "No such resource. The endpoints are listed in /api/v1/openapi.json.",
    405: "This method is not allowed on this resource; the Allow header lists those that are.",
    413: "The request is larger than the upload limit.",
}


def render_error(status: int, message: str | None = None):
    if wants_json():
        title, default = _messages().get(status, (_("Error"), _("Error")))
        return json_error(status, message or API_MESSAGES.get(status) or default)
    title, default = _messages().get(status, (_("Error"), _("Something went wrong.")))
    return render_template("errors/error.html", status=status, title=title, message=message or default), status


def form_expired(error: CSRFError | None = None):
    """A form whose CSRF token is missing or stale: 400, saying what to do."""
    return render_error(
        400, _("Your form expired or was sent from somewhere else. Go back, reload the page and try again.")
    )


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    app.register_error_handler(CSRFError, form_expired)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status >= 400:
            work_abandoned.send(current_app._get_current_object())
        if status == 403:
            permission_denied.send(current_app._get_current_object())
        description = getattr(error, "tc_message", None)
        response = make_response(render_error(status, description))
        # The exception's own headers say what to do next: Allow (405), WWW-Authenticate (401), Retry-After (429).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        work_abandoned.send(current_app._get_current_object())
        log.error("database error: %s", error)
        # Render as signed out: loading the user (for the menu, the language) would only hit the database again.
        g._login_user = current_app.login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        work_abandoned.send(current_app._get_current_object())
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
