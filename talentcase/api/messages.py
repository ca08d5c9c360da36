"""A case's conversation over JSON: HR of the case's company and officers read it whole and post to one of the other
sides (HR to the park or the expert, officers to the company or the expert); the expert's part is in the portal only.
Another tenant's case is a 404; administrators, who work on no case, get 403."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from talentcase.api import bp, forbidden, json_body
from talentcase.api.openapi import documented
from talentcase.api.schemas import CaseErrorSchema
from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.errors import json_error
from talentcase.common.roles import works_on_cases
from talentcase.common.tenancy import get_visible_or_404
from talentcase.jobs import uow
from talentcase.messages import services
from talentcase.messages.queries import conversation
from talentcase.messages.schemas import MessageInputSchema, MessageListSchema, MessageSchema

ERRORS = {
    400: "The body is not JSON, or a session-authenticated write lacks its X-CSRFToken header",
    401: "No valid API token",
    403: "Not for this role (administrators take no part in case conversations)",
    404: "No such case, or another tenant's case",
    422: "An empty body, or an addressee that is not one of the other two sides; `fields` names the field",
}


def _load_case(case_id: int) -> Case:
    case = get_visible_or_404(Case, case_id, current_user)
    if not works_on_cases(current_user):
        raise forbidden("Only HR and park officers take part in a case's conversation.")
    return case


@bp.get("/cases/<int:case_id>/messages")
@documented(
    "listCaseMessages",
    "The case's conversation, oldest first",
    answer=MessageListSchema,
    description="The messages",
    errors={status: ERRORS[status] for status in (401, 403, 404)},
    error_schema=CaseErrorSchema,
)
def list_messages(case_id: int):
    case = _load_case(case_id)
    messages = conversation(case, services.side_of(current_user.role))
    return jsonify(MessageListSchema().dump({"items": messages, "total": len(messages)}))


@bp.post("/cases/<int:case_id>/messages")
@documented(
    "postCaseMessage",
    "Write to the company, the park or the expert on the case (not to one's own side)",
    answer=MessageSchema,
    status=201,
    description="The message",
    body=MessageInputSchema,
    errors=ERRORS,
    error_schema=CaseErrorSchema,
)
def post_message(case_id: int):
    case = _load_case(case_id)
    given = json_body(MessageInputSchema())
    try:
        message = services.post_message(
            case,
            side=services.side_of(current_user.role),
            to=given["to"],
            body=given["body"] or "",
            author=current_user._get_current_object(),
        )
    except services.MessageError as error:
        uow.discard()
        extra = {"fields": {error.field: error.message}} if error.field else {}
        return json_error(error.status, error.message, error.code, **extra)
    record_request("case_message_posted", target_type="case", target_id=case.id, message_id=message.id)
    response = jsonify(MessageSchema().dump(message))
    response.status_code = 201
    return response
