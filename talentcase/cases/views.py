"""Case screens: the list, the new/edit form, the case page with clocks and actions, check-your-answers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.accounts import queries as account_queries
from talentcase.audit.requests import record_request
from talentcase.cases import labels, policy, queries, services, todo
from talentcase.cases.forms import CHECK_FIELDS, ActionForm, CaseForm, action_field_id, action_fields
from talentcase.cases.models import Case
from talentcase.cases.schema import FIELDS, InvalidInput, unanswered_declarations
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.kept_forms import is_refilling
from talentcase.common.paging import page_arg
from talentcase.common.roles import CASE_ROLES, Role, sees_all_tenants
from talentcase.common.security import no_store
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services as documents
from talentcase.jobs import uow
from talentcase.sla import services as sla
from talentcase.sla.queries import STATES

bp = Blueprint("cases", __name__, url_prefix="/cases")
bp.after_request(no_store)  # case pages are never kept: Back shows the case as it is now


def load_case(case_id: int) -> Case:
    """The case, when the signed-in user may see it; 404 otherwise (another tenant's case is missing, not forbidden)."""
    return get_visible_or_404(Case, case_id, current_user)


@bp.route("/")
@roles_required(*CASE_ROLES)
def index():
    if current_user.role == Role.OFFICER:
        # One "All cases" for officers: the console's list, with its filters and CSV (HR keep this list).
        return redirect(url_for("officers.cases", **request.args.to_dict(flat=False)))
    today, now = clock.today(), clock.now()
    status = request.args.get("status", "")
    sla_state = request.args.get("sla", "")
    company_id = request.args.get("company", "")
    query = request.args.get("q", "").strip()[:100]
    sort = request.args.get("sort", "newest")
    is_hr = not sees_all_tenants(current_user)
    # "Waiting on us" is HR's view of its own company's cases; officers have their console's queue instead.
    waiting = request.args.get("waiting", "") if is_hr else ""
    stmt = queries.case_list(
        current_user,
        today=today,
        status=status if status in labels.STATUS_NAMES else None,
        sla_state=sla_state if sla_state in STATES and sla_state != "met" else None,
        company_id=int(company_id) if company_id.isdigit() and not is_hr else None,
        query=query,
        waiting=waiting if waiting in todo.WAITING else None,
        now=now,
    )
    cases = queries.case_page(
        stmt, sort=sort, page=page_arg(request.args), per_page=current_app.config["CASES_PER_PAGE"]
    )
    todo_cases, todo_total = todo.needs_action(current_user, now) if is_hr else ([], 0)
    return render_template(
        "cases/index.html",
        cases=cases.items,
        badges=queries.clock_badges([case.id for case in cases.items], today),
        total=cases.total,
        page=cases.page,
        pages=cases.pages,
        filters={
            "status": status,
            "sla": sla_state,
            "company": company_id,
            "q": query,
            "sort": sort,
            "waiting": waiting,
        },
        companies=account_queries.company_names() if not is_hr else [],
        labels=labels,
        state_options=[(state, labels.STATE_NAMES[state]) for state in STATES if state != "met"],
        is_hr=is_hr,
        todo_cases=todo_cases,
        todo_total=todo_total,
    )


def _apply_errors(form: CaseForm, error: InvalidInput) -> None:
    for attr, message in error.errors.items():
        field = getattr(form, attr, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.HR)
def new():
    form = CaseForm()
    if request.method == "GET":
        form.opened_on.data = clock.today().isoformat()
    # The form checks only its CSRF token: every rule of the particulars and of the opening day is the service's, so
    # that all their messages come back together (and the API gets the same ones).
    if form.validate_on_submit():
        try:
            case = services.open_case(
                current_user.company, form.values(), creator=current_user, opened_on=form.opened_on.data
            )
        except InvalidInput as error:
            uow.discard()
            _apply_errors(form, error)
        else:
            record_request("case_opened", target_type="case", target_id=case.id)
            flash(_("Case %(ref)s is open as a draft.", ref=case.reference), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.errors else 200
    return render_template("cases/form.html", form=form, case=None, fields=FIELDS), status


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*CASE_ROLES)
def edit(case_id: int):
    case = load_case(case_id)
    if not services.can_edit(case):
        flash(_("This case can only be edited while it is a draft or paused for information."), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    form = CaseForm(obj=case)
    if request.method == "GET" and not is_refilling():  # else the fields typed before the session ended
        for attr in ("date_of_birth", "passport_expiry_on", "intended_start_on"):
            value = getattr(case, attr)
            getattr(form, attr).data = value.isoformat() if value else ""
        form.years_experience.data = str(case.years_experience)
        form.monthly_salary_hkd.data = str(case.monthly_salary_hkd)
    if form.validate_on_submit():
        try:
            services.update_case(case, form.values())
        except InvalidInput as error:
            uow.discard()
            _apply_errors(form, error)
        else:
            record_request("case_edited", target_type="case", target_id=case.id)
            flash(_("The case is updated."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.errors else 200
    return render_template("cases/form.html", form=form, case=case, fields=FIELDS), status


def _preview_day(case: Case, posted: date | None) -> date:
    """The day check your answers judges the draft on: the submission date posted when it is one the submission may
    carry (from the day the case opened to today), else the day the submission would carry by default."""
    if posted is not None and case.opened_on <= posted <= clock.today():
        return posted
    return services.submission_day(case)


def _unanswered_items(case: Case, report: services.EligibilityReport) -> list[tuple[str, str]]:
    """The error summary's lines for the declarations still unanswered, each linking to its question."""
    edit = url_for("cases.edit", case_id=case.id)
    missing = unanswered_declarations(case, asks_local_hire=report.policy.local_hire_rule)
    return [(f"{edit}#{spec.attr}", str(spec.unanswered)) for spec in missing]


@bp.route("/<int:case_id>/check", methods=["GET", "POST"])
@roles_required(Role.HR)
def check(case_id: int):
    """Check your answers, then submit."""
    case = load_case(case_id)
    if case.status != "draft":
        return redirect(url_for("cases.show", case_id=case.id))
    form = ActionForm(action="submit")
    if request.method == "GET":
        form.occurred_on.data = services.submission_day(case)
    error = None
    if form.validate_on_submit():
        try:
            services.take_action(
                case, "submit", role=current_user.role, actor=current_user, occurred_on=form.occurred_on.data
            )
        except services.CaseActionError as exc:
            uow.discard()
            error = exc
            if exc.extra.get("field") == "occurred_on":  # the submission date: said at its input, as on the case page
                form.occurred_on.errors = list(form.occurred_on.errors) + [exc.message]
            elif "fields" not in exc.extra:  # (unanswered declarations: listed below with links to their questions)
                form.form_errors.extend([item["reason"] for item in exc.extra.get("failures", [])] or [exc.message])
        else:
            record_request("case_action", target_type="case", target_id=case.id, case_action="submit")
            return redirect(url_for("cases.submitted", case_id=case.id))
    case = load_case(case_id)
    report = services.eligibility_report(case, _preview_day(case, form.occurred_on.data))
    status = 422 if error or form.errors else 200
    return (
        render_template(
            "cases/check.html",
            case=case,
            form=form,
            report=report,
            documents_missing=documents.not_sent(documents.checklist(case)),
            fields=FIELDS,
            labels=labels,
            error_items=_unanswered_items(case, report) + form.error_items(is_shown=True, fields=CHECK_FIELDS),
        ),
        status,
    )


@bp.route("/<int:case_id>/submitted")
@roles_required(Role.HR)
def submitted(case_id: int):
    case = load_case(case_id)
    if case.status == "draft":
        return redirect(url_for("cases.check", case_id=case.id))
    clocks = sla.compute_for_case(case)
    return render_template("cases/submitted.html", case=case, clocks=clocks, labels=labels)


@bp.app_template_global()
def case_last_event_on(case: Case) -> date:
    """The earliest date the next event may carry."""
    return services.last_event_on(case)


bp.add_app_template_global(labels.field_text, "case_field_value")
bp.add_app_template_global(action_fields, "case_action_fields")
bp.add_app_template_global(action_field_id, "case_action_field_id")
bp.add_app_template_filter(policy.park_name, "park")
bp.add_app_template_filter(labels.policy_text, "policy")


from talentcase.cases import page_views  # noqa: E402,F401  (the case page and its actions, on this blueprint)
