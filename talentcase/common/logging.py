"""Structured logs: `key=value` lines, one per request (with a request id) and one per job (with the job id).

A request keeps the X-Request-ID it came with (from a load balancer or another service) or gets a new one; the id
goes back in the response header and on the request's log line, so one id follows a request through every host.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from flask.signals import appcontext_pushed

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only when it is short and plain, so that nobody can forge log lines through it.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_PLAIN_VALUE = re.compile(r'^[^\s"=\\]+$')
_NOISY = ("alembic.runtime.plugins", "weasyprint", "fontTools")

# Path segments that are secrets (the expert's link, a calendar feed, password and invitation links): only their
# hashes are stored, and the log, read by more people and kept longer, must not hold them either (probe F5).
_SECRET_SEGMENT = re.compile(r"^(/portal/|/reset-password/|/invitation/)[^/]+()|^(/officers/calendar/)[^/]+(\.ics)$")

request_log = logging.getLogger("talentcase.request")
job_log = logging.getLogger("talentcase.job")


def format_pairs(fields: dict[str, Any]) -> str:
    """`key=value` pairs; a value with spaces, quotes or `=` is quoted, None is left out."""
    parts = []
    for key, value in fields.items():
        if value is None:
            continue
        text = f"{value:.1f}" if isinstance(value, float) else str(value)
        if not _PLAIN_VALUE.match(text):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        parts.append(f"{key}={text}")
    return " ".join(parts)


class KeyValueFormatter(logging.Formatter):
    """`ts=… level=… logger=…` then the record's fields (`extra={"fields": {...}}`) or `msg="…"`."""

    def format(self, record: logging.LogRecord) -> str:
        head = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        body = dict(fields) if isinstance(fields, dict) else {"msg": record.getMessage()}
        line = format_pairs({**head, **body})
        if record.exc_info:
            line += " exc=" + format_pairs({"x": self.formatException(record.exc_info)})[2:]
        return line


def configure_logging() -> None:
    """Send every log line to stderr as key=value, unless the host (pytest, gunicorn --log-config) set logging up."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(KeyValueFormatter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    """Log each request and each job in one line, and give every request an id."""
    configure_logging()
    # First of the before-request functions, so that even a request another one answers early has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_log_request)
    appcontext_pushed.connect(_start_job, app, weak=False)
    app.teardown_appcontext(_log_job)


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    if "request_id" not in g:
        _start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    duration_ms = (time.perf_counter() - g.request_started) * 1000
    user = _user_id()
    request_log.info(
        "request",
        extra={
            "fields": {
                "event": "request",
                "method": request.method,
                "path": masked_path(request.path),
                "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "request_id": g.request_id,
                "user_id": user,
                "remote": request.remote_addr,
            }
        },
    )
    return response


def masked_path(path: str) -> str:
    """The path as logged: a secret token in it shown as "…"."""
    return _SECRET_SEGMENT.sub(lambda m: f"{m.group(1) or m.group(3)}…{m.group(2) or m.group(4) or ''}", path)


def _user_id() -> str | None:
    from flask_login import current_user

    try:
        return current_user.get_id() if current_user.is_authenticated else None
    except Exception:  # never let logging fail a request (e.g. the database is down while loading the user)
        return None


def _start_job(app: Flask, **_: Any) -> None:
    """A job's app context (the job decorator pushes one per run) notes the job and its start time."""
    from rq import get_current_job

    current = get_current_job()
    if current is not None and "job_started" not in g:
        g.job_id = current.id
        g.job_func = current.func_name
        g.job_started = time.perf_counter()


def _log_job(error: BaseException | None) -> None:
    if "job_started" not in g:
        return
    from rq import get_current_job

    current = get_current_job()
    if error is None:
        status = "finished"
    elif current is not None and getattr(current, "retries_left", 0):
        status = "retrying"
    else:
        status = "failed"
    job_log.info(
        "job",
        extra={
            "fields": {
                "event": "job",
                "job_id": g.job_id,
                "func": g.job_func,
                "status": status,
                "duration_ms": round((time.perf_counter() - g.job_started) * 1000, 1),
                "error": type(error).__name__ if error is not None else None,
            }
        },
    )
