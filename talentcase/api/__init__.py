"""JSON API v1: bearer tokens, the same permissions as the UI, errors as {"error": {"code", "message"}}."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from marshmallow import Schema
from marshmallow import ValidationError as InvalidShape
from werkzeug.exceptions import BadRequest, Forbidden
from wtforms import ValidationError

from talentcase.api.openapi import build_spec, documented
from talentcase.api.schemas import MeSchema
from talentcase.cases.schema import InvalidInput, api_errors
from talentcase.common.errors import json_error
from talentcase.common.schemas import flat_errors
from talentcase.common.security import strings_not_text
from talentcase.extensions import csrf
from talentcase.jobs import uow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


def forbidden(message: str) -> Forbidden:
    """A 403 to raise: the app's HTTP error handler audits it as `permission_denied`, as for the pages' role guard."""
    error = Forbidden()
    error.tc_message = message  # the JSON error's message
    return error


def bad_request(message: str) -> BadRequest:
    """A 400 to raise, with the API's message in the JSON error."""
    error = BadRequest()
    error.tc_message = message  # shown by the app's HTTP error handler in the JSON error
    return error


def load(schema: Schema, data: Any) -> Any:
    """Data loaded by a schema; raises InvalidInput with every problem at once, keyed by the dotted field names."""
    try:
        return schema.load(data)
    except InvalidShape as error:
        raise InvalidInput(flat_errors(error.messages)) from error


def json_body(schema: Schema) -> Any:
    """The request's JSON body loaded by a schema: 400 when it is no JSON, 422 naming each field in error."""
    body = request.get_json(silent=True)
    if body is None:
        raise bad_request("Send a JSON object with 'Content-Type: application/json'.")
    return load(schema, body)


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    uow.discard()
    fields = {name: str(message) for name, message in api_errors(error).items()}
    message = "; ".join(f"{name}: {text}" for name, text in fields.items())
    return json_error(422, message, "invalid", fields=fields)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        body, status = json_error(401, "Send a valid API token as 'Authorization: Bearer <token>'.")
        return body, status, {"WWW-Authenticate": 'Bearer realm="TalentCase API"'}  # RFC 6750: how to authenticate
    if not g.get("api_token_auth") and request.method in UNSAFE_METHODS:
        # A browser session calling the API must prove the request came from our own pages.
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (ValidationError, CSRFError):
            return json_error(400, "Missing or invalid X-CSRFToken header for a session-authenticated request.")
    return refuse_json_that_is_not_text()


def refuse_json_that_is_not_text():
    """422 naming the fields when a JSON body holds text no database column can keep (NUL, unpaired surrogates),
    before any view reads it."""
    if request.method in UNSAFE_METHODS and request.is_json:
        fields = strings_not_text(request.get_json(silent=True))
        if fields:
            return json_error(422, "Some text is not valid.", "invalid", fields=fields)
    return None


@bp.route("/me")
@documented("getMe", "The signed-in user", answer=MeSchema, description="The user", errors={401: "No valid token"})
def me():
    return jsonify(MeSchema().dump(current_user))


@bp.route("/openapi.json")
@documented("getOpenApi", "This document", answer={}, description="The OpenAPI document", public=True)
def openapi():
    return jsonify(build_spec())


from talentcase.api import alerts as alerts_endpoints  # noqa: E402,F401  (registers the case alerts endpoint)
from talentcase.api import auth  # noqa: E402,F401  (registers the token loader)
from talentcase.api import cases as cases_endpoints  # noqa: E402,F401  (registers the cases endpoints)
from talentcase.api import documents as documents_endpoints  # noqa: E402,F401  (registers the documents endpoints)
from talentcase.api import messages as messages_endpoints  # noqa: E402,F401  (registers the case messages endpoints)
from talentcase.api import packs as packs_endpoints  # noqa: E402,F401  (registers the pack and job endpoints)
