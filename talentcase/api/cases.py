"""Cases over JSON: list, open, read, edit, take actions, and the officers' SLA summary.

Views stay thin: parse, check the role, load through tenancy (404 for what the caller may not see), call a service,
commit once, serialise. Services only flush; the error handlers below roll back and answer in the API's error shape.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from talentcase.accounts.models import Company
from talentcase.api import bp, forbidden
from talentcase.api.serializers import case_json, eligibility_json
from talentcase.audit.requests import record_request
from talentcase.cases import queries, services, workflow
from talentcase.cases.models import Case
from talentcase.cases.schema import InvalidInput, api_errors, attrs_from_api
from talentcase.common import clock
from talentcase.common.errors import json_error
from talentcase.common.paging import paginate
from talentcase.common.tenancy import get_visible_or_404, visible
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.sla import engine
from talentcase.sla import services as sla_services
from talentcase.sla.models import CaseClock
from talentcase.sla.queries import STATES, current_state, state_counts

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SLA_FILTER_STATES = ("on_track", "at_risk", "breached", "paused")
PER_PAGE_DEFAULT = 25
PER_PAGE_MAX = 100
CREATE_KEYS = frozenset({"candidate", "position", "opened_on"})
PATCH_KEYS = frozenset({"candidate", "position"})
QUOTA_KEYS = ("quota_places", "quota_valid_until", "quota_reference")  # only with grant_quota
EVENT_KEYS = frozenset({"action", "occurred_on", "note", "party", *QUOTA_KEYS})


# --- errors --------------------------------------------------------------------------------------------------------


@bp.errorhandler(InvalidInput)
def invalid_input(error: InvalidInput):
    db.session.rollback()
    fields = {name: str(message) for name, message in api_errors(error).items()}
    message = "; ".join(f"{name}: {text}" for name, text in fields.items())
    return json_error(422, message, "invalid", fields=fields)


@bp.errorhandler(services.CaseActionError)
def case_action_error(error: services.CaseActionError):
    db.session.rollback()
    extra = dict(error.extra)
    if "status" in extra:  # the case's status; json_error's own `status` is the HTTP one
        extra["case_status"] = extra.pop("status")
    if error.field_errors:  # every field in error at once (a quota grant reports all its problems)
        extra["fields"] = error.field_errors
    return json_error(error.status, error.message, error.code, **extra)


def _bad_request(message: str) -> BadRequest:
    error = BadRequest()
    error.tc_message = message  # shown by the app's HTTP error handler in the JSON error
    return error


def _json_object(allowed: frozenset[str]) -> dict[str, Any]:
    """The request body: a JSON object with only the allowed top-level names."""
    body = request.get_json(silent=True)
    if body is None:
        raise _bad_request("Send a JSON object with 'Content-Type: application/json'.")
    if not isinstance(body, dict):
        raise InvalidInput({"body": "Send a JSON object."})
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise InvalidInput(dict.fromkeys(unknown, "Unknown field."))
    return body


def _optional_date(body: dict[str, Any], name: str) -> date | None:
    raw = body.get(name)
    if raw is None:
        return None
    # date.fromisoformat alone would also take 20260320 and 2026-W12-5; the API promises YYYY-MM-DD.
    if isinstance(raw, str) and ISO_DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise InvalidInput({name: "Use a real date in the form YYYY-MM-DD."})


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    raw = body.get(name)
    if raw is None or isinstance(raw, str):
        return raw
    raise InvalidInput({name: "Must be text."})


# --- loading and serialising ---------------------------------------------------------------------------------------


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _case_detail(case: Case) -> dict[str, Any]:
    """The case JSON with events, the eligibility checklist and what the caller may do next."""
    body = case_json(case, today=clock.today())
    body["eligibility"] = eligibility_json(services.eligibility_report(case))
    body["allowed_actions"] = services.allowed_actions(case, current_user.role)
    return body


# --- list ----------------------------------------------------------------------------------------------------------


def _int_arg(name: str, default: int, low: int, high: int | None, errors: dict[str, str]) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = "Must be a whole number."
        return default
    if value < low or (high is not None and value > high):
        errors[name] = f"Must be between {low} and {high}." if high else f"Must be at least {low}."
    return value


def _filtered_cases(today: date) -> tuple[Select, int, int]:
    """The visible cases matching the query string, with the page and page size; raises InvalidInput."""
    errors: dict[str, str] = {}
    page = _int_arg("page", 1, 1, 1_000_000, errors)
    per_page = _int_arg("per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX, errors)
    status = request.args.get("status") or None
    if status and status not in workflow.STATES:
        errors["status"] = f"Use one of: {', '.join(workflow.STATES)}."
    sla_state = request.args.get("sla") or None
    if sla_state and sla_state not in SLA_FILTER_STATES:
        errors["sla"] = f"Use one of: {', '.join(SLA_FILTER_STATES)}."
    company_id = None
    if company := request.args.get("company"):
        try:
            company_id = int(company)
        except ValueError:
            errors["company"] = "Must be a company id (a whole number)."
    text = (request.args.get("q") or "").strip()
    if len(text) > 200:
        errors["q"] = "Use at most 200 characters."
    if errors:
        raise InvalidInput(errors)
    stmt = queries.case_list(
        current_user, today=today, status=status, sla_state=sla_state, company_id=company_id, query=text
    )
    return stmt, page, per_page


@bp.get("/cases")
def list_cases():
    today = clock.today()
    stmt, page, per_page = _filtered_cases(today)
    # The clocks are computed from each case's log, so the log is loaded with the page: a constant number of queries.
    found = paginate(
        stmt.options(selectinload(Case.company), selectinload(Case.events)).order_by(Case.id.desc()),
        page=page,
        per_page=per_page,
        clamp=False,
    )
    calendar = sla_services.load_calendar()
    resolver = sla_services.load_resolver()
    items = [
        case_json(case, today=today, calendar=calendar, resolver=resolver, include_events=False) for case in found.items
    ]
    return jsonify({"items": items, "total": found.total, "page": page, "per_page": per_page})


# --- open, read, edit ----------------------------------------------------------------------------------------------


@bp.post("/cases")
def create_case():
    if current_user.role != "hr" or current_user.company is None:
        raise forbidden("Only a company's HR staff can open a case.")
    body = _json_object(CREATE_KEYS)
    values = attrs_from_api(body)
    # The opening day is checked by the service with the particulars, so that every problem is answered at once.
    case = services.open_case(
        current_user.company, values, creator=current_user._get_current_object(), opened_on=body.get("opened_on")
    )
    record_request("case_opened", target_type="case", target_id=case.id)
    db.session.commit()
    response = jsonify(_case_detail(case))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_case", case_id=case.id)
    return response


@bp.get("/cases/<int:case_id>")
def get_case(case_id: int):
    return jsonify(_case_detail(_load_case(case_id)))


@bp.patch("/cases/<int:case_id>")
def update_case(case_id: int):
    case = _load_case(case_id)
    if current_user.role not in ("hr", "officer"):
        raise forbidden("Only the company's HR staff or a park officer can edit a case.")
    body = _json_object(PATCH_KEYS)
    services.update_case(case, attrs_from_api(body))
    record_request("case_edited", target_type="case", target_id=case.id)
    db.session.commit()
    return jsonify(_case_detail(case))


def _quota_detail(body: dict[str, Any]) -> dict[str, Any]:
    """The grant's details sent in an events body, each of the right JSON type; every wrong one is reported at once."""
    detail: dict[str, Any] = {}
    errors: dict[str, str] = {}
    places = body.get("quota_places")
    if places is not None:
        if isinstance(places, bool) or not isinstance(places, int):
            errors["quota_places"] = "Must be a whole number."
        else:
            detail["quota_places"] = places
    for name, read in (("quota_valid_until", _optional_date), ("quota_reference", _optional_text)):
        if body.get(name) is not None:
            try:
                detail[name] = read(body, name)
            except InvalidInput as error:
                errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    return detail


def _event_input(body: dict[str, Any]) -> dict[str, Any]:
    """take_action's keyword arguments from an events body, with each value of the right JSON type."""
    action = body.get("action")
    if not isinstance(action, str) or not action:
        raise InvalidInput({"action": f"Say which action: one of {', '.join(workflow.ACTIONS)}."})
    detail = _quota_detail(body)
    if detail and action != "grant_quota":
        raise InvalidInput(dict.fromkeys(detail, "Only for the grant_quota action."))
    if body.get("party") is not None and action != "request_info":
        raise InvalidInput({"party": "Only for the request_info action."})
    return {
        "action": action,
        "occurred_on": _optional_date(body, "occurred_on"),
        "note": _optional_text(body, "note") or "",
        "party": _optional_text(body, "party"),
        "detail": detail,
    }


@bp.post("/cases/<int:case_id>/events")
def add_event(case_id: int):
    case = _load_case(case_id)
    values = _event_input(_json_object(EVENT_KEYS))
    action = values.pop("action")
    try:
        services.take_action(case, action, role=current_user.role, actor=current_user._get_current_object(), **values)
    except services.CaseActionError as error:
        if error.status == 403:  # as on the case page: the denial is kept, the action's work is not
            db.session.rollback()
            record_request("permission_denied", target_type="case", target_id=case_id, case_action=action)
            db.session.commit()
        raise  # answered by case_action_error
    record_request("case_action", target_type="case", target_id=case.id, case_action=action)
    db.session.commit()
    jobs.dispatch_quietly()  # mails the action queued go out now, or wait in the outbox until Redis is back
    response = jsonify(_case_detail(case))
    response.status_code = 201
    return response


# --- SLA summary ---------------------------------------------------------------------------------------------------


def _zero_counts() -> dict[str, dict[str, int]]:
    return {name: dict.fromkeys(STATES, 0) for name in engine.CLOCK_NAMES}


@bp.get("/sla/summary")
def sla_summary():
    if current_user.role not in ("officer", "admin"):
        raise forbidden("Only park officers can see the SLA summary.")
    today = clock.today()
    case_ids = visible(Case, current_user).with_only_columns(Case.id)
    clocks = _zero_counts()
    for name, counts in state_counts(today, case_ids).items():
        clocks[name].update(counts)

    state = current_state(today).label("state")
    per_company: dict[int, dict[str, dict[str, int]]] = {}
    for company_id, name, state_value, count in db.session.execute(
        select(Case.company_id, CaseClock.name, state, func.count())
        .join(Case, Case.id == CaseClock.case_id)
        .where(Case.id.in_(case_ids))
        .group_by(Case.company_id, CaseClock.name, state)
    ):
        per_company.setdefault(company_id, _zero_counts())[name][state_value] = count
    open_cases = (
        select(Company.id, Company.name, func.count(Case.id))
        .outerjoin(Case, and_(Case.company_id == Company.id, Case.status.in_(workflow.OPEN_STATES)))
        .group_by(Company.id, Company.name)
        .order_by(Company.name)
    )
    companies = [
        {"id": company_id, "name": name, "open_cases": count, "clocks": per_company.get(company_id, _zero_counts())}
        for company_id, name, count in db.session.execute(open_cases)
    ]
    return jsonify({"as_of": today.isoformat(), "clocks": clocks, "companies": companies})
