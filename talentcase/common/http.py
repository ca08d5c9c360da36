"""Small request helpers used by views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request


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
    """An absolute URL for links in mail, always from the configured BASE_URL: never from the request's Host header,
    which a caller chooses (an invitation link pointing at their own site)."""
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
