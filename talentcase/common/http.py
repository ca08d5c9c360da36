"""Small request helpers used by views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """The ?next= target when it stays on this site, else the default (no open redirects)."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def client_ip() -> str | None:
    return request.remote_addr


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for links in mail: from the request when there is one, else from PUBLIC_URL (jobs, CLI)."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
