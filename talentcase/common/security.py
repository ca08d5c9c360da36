"""Security headers on every response (a Content-Security-Policy without inline scripts, and the usual others), and
a refusal of request text that no database column can keep."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

# NUL (PostgreSQL refuses it in text) and unpaired surrogates (no UTF-8 for them; JSON escapes can spell them): a
# request holding them could only fail half way, so it is refused before any view reads it.
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
FORM_BODY = "application/x-www-form-urlencoded"


def strings_not_text(value: Any, path: str = "") -> dict[str, str]:
    """The dotted paths of the strings (keys too) in parsed JSON that hold NUL or an unpaired surrogate."""
    found: dict[str, str] = {}
    if isinstance(value, str):
        if NOT_TEXT.search(value):
            found[path or "body"] = "Contains a character that is not text (NUL or an unpaired surrogate escape)."
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found |= strings_not_text(key, name) or strings_not_text(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found |= strings_not_text(item, f"{path}.{index}" if path else str(index))
    return found


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# A download of personal papers (a passport scan, a pack that holds one): never kept by a shared cache or the browser's,
# never read as another type, and never run as a page even if a browser tried.
PRIVATE_DOWNLOAD_HEADERS = {
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


def private_download(response: Response) -> Response:
    """The response with the headers of a download of personal papers (documents and packs alike)."""
    response.headers.update(PRIVATE_DOWNLOAD_HEADERS)
    return response


def no_store(response: Response) -> Response:
    """A page of a case, which changes with every action: the browser keeps no copy, so Back loads it afresh (not the
    draft page from the back-forward cache) and a shared computer keeps no passport data (a download keeps its own)."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Add the headers after each request (a view that set its own, e.g. a download's sandbox, keeps it); refuse a
    query string or form holding text that is not text with a 400 (JSON bodies: the API names the fields, 422)."""
    if proxies := app.config.get("PROXY_COUNT"):
        # Only as many forwarded hops as there are proxies of ours: a client cannot choose its own address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def refuse_text_that_is_not_text() -> None:
        # Multipart bodies are left to their views, which parse them (and refuse one too large) in their own words;
        # their text fields are choices and dates that a stray character cannot pass.
        pairs = list(request.args.items(multi=True))
        if request.mimetype == FORM_BODY:
            pairs += request.form.items(multi=True)
        if any(NOT_TEXT.search(key) or NOT_TEXT.search(value) for key, value in pairs):
            abort(400)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages and API answers hold personal data (passport numbers): no cache, the back-forward one included,
            # keeps a copy after sign-out (probe F6). The public pages lose nothing by it; only the assets are kept.
            headers.setdefault("Cache-Control", "no-store")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
