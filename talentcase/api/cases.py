"""Cases over JSON: list, open, read, edit, take actions, and the officers' SLA summary.

Views stay thin: parse, check the role, load through tenancy (404 for what the caller may not see), call a service,
commit once, serialise. Services only flush; the error handlers below roll back and answer in the API's error shape.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from talentcase.api import bp, forbidden, json_body, load
from talentcase.api.openapi import documented
from talentcase.api.schemas import CaseErrorSchema
from talentcase.audit.requests import record_request
from talentcase.cases import queries, services
from talentcase.cases.list_schemas import CaseListQuerySchema
from talentcase.cases.models import Case
from talentcase.cases.schemas import (
    CaseInputSchema,
    CaseListSchema,
    CaseSchema,
    CaseView,
    EventInputSchema,
)
from talentcase.common import clock
from talentcase.common.errors import json_error
from talentcase.common.roles import can_open_cases, sees_all_tenants, works_on_cases
from talentcase.common.tenancy import get_visible_or_404
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.sla import services as sla_services
from talentcase.sla.schemas import SlaSummarySchema

ERRORS = {
    400: "The body is not JSON, or a session-authenticated write lacks its CSRF token",
    401: "No valid API token",
    403: "Not allowed for this role",
    404: "No such case, or another tenant's case",
    409: (
        "Not possible in the case's current state (code `ineligible` lists the failed checks; code `quota_expired`:"
        " the case's reserved place is on a quota that had ended by the day of the action, named in `quota`;"
        " `replace_quota` moves the case on)"
    ),
    422: "Invalid data; `fields` names each field in error",
}


def _errors(*statuses: int) -> dict[int, str]:
    return {status: ERRORS[status] for status in statuses}


# --- errors --------------------------------------------------------------------------------------------------------


@bp.errorhandler(services.CaseActionError)
def case_action_error(error: services.CaseActionError):
    uow.discard()
    extra = dict(error.extra)
    if "status" in extra:  # the case's status; json_error's own `status` is the HTTP one
        extra["case_status"] = extra.pop("status")
    if error.field_errors:  # every field in error at once (a quota grant reports all its problems)
        extra["fields"] = error.field_errors
    return json_error(error.status, error.message, error.code, **extra)


# --- loading and serialising ---------------------------------------------------------------------------------------


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _case_detail(case: Case) -> dict[str, Any]:
    """The case with its events, the eligibility checklist and what the caller may do next. Its clocks are computed
    from the event log."""
    view = CaseView(
        case,
        sla=sla_services.compute_for_case(case, today=clock.today()),
        eligibility=services.eligibility_report(case).rows,
        allowed_actions=services.allowed_actions(case, current_user.role),
    )
    return CaseSchema().dump(view)


# --- list ----------------------------------------------------------------------------------------------------------


def _owner_id(owner: str | None) -> int | None:
    """The `owner` filter's officer: `me` is the caller."""
    if not owner:
        return None
    return current_user.id if owner == "me" else int(owner)


def _page_of_cases(today: date, args: dict[str, Any]) -> dict[str, Any]:
    """One page of the visible cases matching the filters, with their clocks as of today."""
    stmt = queries.case_list(
        current_user,
        today=today,
        status=args.get("status"),
        sla_state=args.get("sla"),
        company_id=args.get("company"),
        query=args.get("q", ""),
        waiting=args.get("waiting"),
        now=clock.now(),
        owner_id=_owner_id(args.get("owner")),
    )
    # The clocks are computed from each case's log, so the log is loaded with the page: a constant number of queries.
    page = db.paginate(
        stmt.options(
            selectinload(Case.company),
            selectinload(Case.events),
            selectinload(Case.forecast_row),
            selectinload(Case.owner),
        ).order_by(Case.id.desc()),
        page=args["page"],
        per_page=args["per_page"],
        max_per_page=args["per_page"],
        error_out=False,
    )
    calendar, resolver = sla_services.load_calendar(), sla_services.load_resolver()
    items = [
        CaseView(case, sla_services.compute_for_case(case, today=today, calendar=calendar, resolver=resolver))
        for case in page.items
    ]
    return {"items": items, "total": page.total, "page": args["page"], "per_page": args["per_page"]}


@bp.get("/cases")
@documented(
    "listCases",
    "List the cases the caller may see",
    answer=CaseListSchema,
    description="A page of cases (without events)",
    query=CaseListQuerySchema,
    errors=_errors(401, 422),
)
def list_cases():
    args = load(CaseListQuerySchema(), request.args.to_dict())
    return jsonify(CaseListSchema().dump(_page_of_cases(clock.today(), args)))


# --- open, read, edit ----------------------------------------------------------------------------------------------


@bp.post("/cases")
@documented(
    "createCase",
    "Open a draft case for the caller's company (HR only)",
    answer=CaseSchema,
    status=201,
    description="The case",
    headers={"Location": {"schema": {"type": "string"}, "description": "The case's URL"}},
    # Opening needs both objects (their required fields are checked one by one, with a 422).
    body={"allOf": [CaseInputSchema, {"required": ["candidate", "position"]}]},
    errors=_errors(400, 401, 403, 422),
    error_schema=CaseErrorSchema,
)
def create_case():
    if not can_open_cases(current_user) or current_user.company is None:
        raise forbidden("Only a company's HR staff can open a case.")
    body = json_body(CaseInputSchema())
    # The opening day is checked by the service with the particulars, so that every problem is answered at once.
    case = services.open_case(
        current_user.company, body["values"], creator=current_user._get_current_object(), opened_on=body["opened_on"]
    )
    record_request("case_opened", target_type="case", target_id=case.id)
    response = jsonify(_case_detail(case))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_case", case_id=case.id)
    return response


@bp.get("/cases/<int:case_id>")
@documented(
    "getCase",
    "One case with its clocks, events, eligibility and the caller's allowed actions",
    answer=CaseSchema,
    description="The case",
    errors=_errors(401, 404),
    error_schema=CaseErrorSchema,
)
def get_case(case_id: int):
    return jsonify(_case_detail(_load_case(case_id)))


@bp.patch("/cases/<int:case_id>")
@documented(
    "updateCase",
    "Edit the particulars while the case is a draft or paused for information",
    answer=CaseSchema,
    description="The case",
    body=CaseInputSchema,
    errors=_errors(400, 401, 403, 404, 409, 422),
    error_schema=CaseErrorSchema,
)
def update_case(case_id: int):
    case = _load_case(case_id)
    if not works_on_cases(current_user):
        raise forbidden("Only the company's HR staff or a park officer can edit a case.")
    body = json_body(CaseInputSchema(exclude=("opened_on",)))
    services.update_case(case, body["values"])
    record_request("case_edited", target_type="case", target_id=case.id)
    return jsonify(_case_detail(case))


@bp.post("/cases/<int:case_id>/events")
@documented(
    "addCaseEvent",
    "Take an action on the case, recorded with the date it really happened",
    answer=CaseSchema,
    status=201,
    description="The updated case",
    body=EventInputSchema,
    errors=_errors(400, 401, 403, 404, 409, 422),
    error_schema=CaseErrorSchema,
)
def add_event(case_id: int):
    case = _load_case(case_id)
    body = request.get_json(silent=True)
    action = body.get("action") if isinstance(body, dict) else None
    try:
        if isinstance(action, str):
            services.refuse_role(case, action, current_user.role)  # before the body is validated (probe F12)
        values = json_body(EventInputSchema())
        action = values.pop("action")
        services.take_action(case, action, role=current_user.role, actor=current_user._get_current_object(), **values)
    except services.CaseActionError as error:
        if error.status == 403:  # as on the case page: the denial is kept, the action's work is not
            uow.discard()
            record_request("permission_denied", target_type="case", target_id=case_id, case_action=action)
            uow.checkpoint()
        raise  # answered by case_action_error
    record_request("case_action", target_type="case", target_id=case.id, case_action=action)
    response = jsonify(_case_detail(case))
    response.status_code = 201
    return response


# --- SLA summary ---------------------------------------------------------------------------------------------------


@bp.get("/sla/summary")
@documented(
    "getSlaSummary",
    "Clock states per clock and per company today (officers and admins)",
    answer=SlaSummarySchema,
    description="The summary",
    errors=_errors(401, 403),
    error_schema=CaseErrorSchema,
)
def sla_summary():
    if not sees_all_tenants(current_user):
        raise forbidden("Only park officers can see the SLA summary.")
    today = clock.today()
    clocks, companies = queries.sla_summary(current_user, today)
    return jsonify(SlaSummarySchema().dump({"as_of": today, "clocks": clocks, "companies": companies}))
