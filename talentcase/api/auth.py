"""Bearer-token sign-in for API requests, without touching the session cookie."""

from __future__ import annotations

from flask import Request, g, redirect, request, url_for

from talentcase.accounts.kept_views import keep_and_sign_in
from talentcase.accounts.models import User
from talentcase.accounts.services import user_for_token
from talentcase.common.errors import json_error, wants_json
from talentcase.extensions import login_manager


@login_manager.request_loader
def load_user_from_request(req: Request) -> User | None:
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.lower().startswith("bearer "):
        return None
    user = user_for_token(header[7:].strip())
    if user is not None:
        g.api_token_auth = True
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return json_error(401, "Send a valid API token as 'Authorization: Bearer <token>'.")
    # A form sent after the session ended: kept, and given back on its page after sign-in.
    return keep_and_sign_in() or redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
