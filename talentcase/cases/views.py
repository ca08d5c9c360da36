"""Case screens: the list, the new/edit form, the case page with clocks and actions, check-your-answers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.accounts.models import Company
from talentcase.audit.requests import record_request
from talentcase.cases import labels, policy, queries, services
from talentcase.cases.forms import ActionForm, CaseForm, OverrideForm, action_field_id, action_fields
from talentcase.cases.models import Case
from talentcase.cases.schema import FIELDS, InvalidInput
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.errors import render_error
from talentcase.common.http import client_ip
from talentcase.common.tenancy import get_visible, get_visible_or_404
from talentcase.documents import services as documents
from talentcase.documents.display import too_large_message, upload_limit
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.packs.services import pack_history
from talentcase.sla import chart
from talentcase.sla import services as sla
from talentcase.sla.queries import STATES

bp = Blueprint("cases", __name__, url_prefix="/cases")

CASE_ROLES = ("hr", "officer")
SORTS = {
    "newest": (Case.opened_on.desc(), Case.id.desc()),
    "oldest": (Case.opened_on.asc(), Case.id.asc()),
    "reference": (Case.reference.asc(),),
    "name": (Case.full_name.asc(), Case.id.asc()),
    "status": (Case.status.asc(), Case.id.desc()),
}


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(request.args.get(name, default)), low), high)
    except ValueError:
        return default


@bp.route("/")
@roles_required(*CASE_ROLES)
def index():
    today = clock.today()
    status = request.args.get("status", "")
    sla_state = request.args.get("sla", "")
    company_id = request.args.get("company", "")
    query = request.args.get("q", "").strip()[:100]
    sort = request.args.get("sort", "newest")
    page = _int_arg("page", 1, 1, 100_000)
    per_page = current_app.config["CASES_PER_PAGE"]

    stmt = queries.case_list(
        current_user,
        today=today,
        status=status if status in labels.STATUS_NAMES else None,
        sla_state=sla_state if sla_state in STATES and sla_state != "met" else None,
        company_id=int(company_id) if company_id.isdigit() and current_user.role != "hr" else None,
        query=query,
    )
    total = queries.count(stmt)
    cases = db.session.scalars(
        stmt.options(selectinload(Case.company))
        .order_by(*SORTS.get(sort, SORTS["newest"]))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    badges = queries.clock_badges([case.id for case in cases], today)
    companies = []
    if current_user.role != "hr":
        companies = db.session.execute(select(Company.id, Company.name).order_by(Company.name)).all()
    return render_template(
        "cases/index.html",
        cases=cases,
        badges=badges,
        total=total,
        page=page,
        pages=max((total + per_page - 1) // per_page, 1),
        filters={"status": status, "sla": sla_state, "company": company_id, "q": query, "sort": sort},
        companies=companies,
        labels=labels,
        state_options=[(state, labels.STATE_NAMES[state]) for state in STATES if state != "met"],
    )


def _apply_errors(form: CaseForm, error: InvalidInput) -> None:
    for attr, message in error.errors.items():
        field = getattr(form, attr, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("hr")
def new():
    form = CaseForm()
    if request.method == "GET":
        form.opened_on.data = clock.today().isoformat()
    if form.validate_on_submit():
        opened_on = None
        if form.opened_on.data:
            try:
                opened_on = date.fromisoformat(form.opened_on.data)
            except ValueError:
                form.opened_on.errors = [_("Use a real date in the form YYYY-MM-DD.")]
        if not form.errors:
            try:
                case = services.open_case(
                    current_user.company, form.values(), creator=current_user, opened_on=opened_on
                )
            except InvalidInput as error:
                db.session.rollback()
                _apply_errors(form, error)
            else:
                record_request("case_opened", target_type="case", target_id=case.id)
                db.session.commit()
                flash(_("Case %(ref)s is open as a draft.", ref=case.reference), "success")
                return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.errors else 200
    return render_template("cases/form.html", form=form, case=None, fields=FIELDS), status


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*CASE_ROLES)
def edit(case_id: int):
    case = _load_case(case_id)
    if not services.can_edit(case):
        flash(_("This case can only be edited while it is a draft or paused for information."), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    form = CaseForm(obj=case)
    if request.method == "GET":
        for attr in ("date_of_birth", "passport_expiry_on", "intended_start_on"):
            value = getattr(case, attr)
            getattr(form, attr).data = value.isoformat() if value else ""
        form.years_experience.data = str(case.years_experience)
        form.monthly_salary_hkd.data = str(case.monthly_salary_hkd)
    if form.validate_on_submit():
        try:
            services.update_case(case, form.values())
        except InvalidInput as error:
            db.session.rollback()
            _apply_errors(form, error)
        else:
            record_request("case_edited", target_type="case", target_id=case.id)
            db.session.commit()
            flash(_("The case is updated."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.errors else 200
    return render_template("cases/form.html", form=form, case=case, fields=FIELDS), status


def _chart_labels() -> dict[str, str]:
    return {
        **{party: str(name) for party, name in labels.PARTY_NAMES.items()},
        "remaining": _("Remaining"),
        "due": _("Due"),
        "paused": _("paused"),
        "calendar": _("calendar days"),
        "working": _("working days"),
    }


def _place_error(form: FlaskForm, error: services.CaseActionError) -> None:
    """A refusal goes to the field the service names, else to the whole form."""
    name = error.extra.get("field", "")
    if name and name in form:
        form[name].errors = list(form[name].errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def _override_codes(report: services.EligibilityReport, role: str) -> set[str]:
    """The checks whose row on the case page has an override form."""
    if role != "officer":
        return set()
    return {
        row.result.code
        for row in report.rows
        if not row.result.passed and row.result.overridable and row.override is None
    }


def _page_context(
    case: Case,
    action_form: ActionForm | None = None,
    error_action: str | None = None,
    override_form: OverrideForm | None = None,
) -> dict:
    """The case page; a refused action or override form comes back with its errors and what was typed."""
    today = clock.today()
    results = sla.compute_for_case(case, today=today)
    chart_labels = _chart_labels()
    charts = {
        name: chart.clock_svg(result, today=today, title=str(labels.CLOCK_NAMES[name]), labels=chart_labels)
        for name, result in results.items()
    }
    role = current_user.role
    report = services.eligibility_report(case)
    actions = services.allowed_actions(case, role)
    override_codes = _override_codes(report, role)
    error_items = []
    if action_form is not None:
        error_items += action_form.error_items(is_shown=error_action in actions and error_action != "submit")
    if override_form is not None:
        error_items += override_form.error_items(is_shown=override_form.check_code.data in override_codes)
    return {
        "case": case,
        "clocks": results,
        "charts": charts,
        "report": report,
        "actions": actions,
        "posted_form": action_form,
        "error_action": error_action,
        "blank_form": ActionForm(formdata=None),
        "posted_override": override_form,
        "override_codes": override_codes,
        "error_items": error_items,
        "upload_limit": upload_limit(),
        "can_edit": services.can_edit(case) and role in CASE_ROLES,
        "labels": labels,
        "fields": FIELDS,
        "today": today,
        "pack_history": pack_history(case),
    }


@bp.route("/<int:case_id>")
@roles_required(*CASE_ROLES)
def show(case_id: int):
    case = _load_case(case_id)
    return render_template("cases/show.html", **_page_context(case))


@bp.route("/<int:case_id>/actions", methods=["POST"])
@roles_required(*CASE_ROLES)
def act(case_id: int):
    case = _load_case(case_id)
    form = ActionForm()
    action = form.action.data or ""
    if action == "submit":
        return redirect(url_for("cases.check", case_id=case.id))
    status = 422
    if form.validate_on_submit():
        try:
            services.take_action(
                case,
                action,
                role=current_user.role,
                actor=current_user,
                occurred_on=form.occurred_on.data,
                note=form.note.data or "",
                party=form.party.data if action == "request_info" else None,
                detail={
                    "quota_places": form.quota_places.data,
                    "quota_valid_until": form.quota_valid_until.data,
                    "quota_reference": form.quota_reference.data,
                },
            )
            storage = form.letter.data
            letter = None
            if storage is not None and getattr(storage, "filename", ""):
                letter = documents.store_outcome_letter(
                    case, action, storage.read(), storage.filename, recorder=current_user._get_current_object()
                )
        except services.CaseActionError as error:
            db.session.rollback()
            if error.status == 403:
                record_request("permission_denied", target_type="case", target_id=case.id, case_action=action)
                db.session.commit()
            _place_error(form, error)
        except documents.DocumentError as error:  # a refused letter: the outcome is not recorded either
            db.session.rollback()
            status = error.status
            form.letter.errors = list(form.letter.errors) + [error.message]
        else:
            record_request("case_action", target_type="case", target_id=case.id, case_action=action)
            if letter is not None:
                documents.audit_upload(letter, actor=current_user, ip=client_ip())
            db.session.commit()
            jobs.dispatch_quietly()  # the mails this action queued go out now (or wait in the outbox)
            flash(_("Recorded: %(what)s.", what=labels.EVENT_NAMES.get(action, action)), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    case = _load_case(case_id)
    return render_template("cases/show.html", **_page_context(case, form, action)), status


@bp.route("/<int:case_id>/check", methods=["GET", "POST"])
@roles_required("hr")
def check(case_id: int):
    """Check your answers, then submit."""
    case = _load_case(case_id)
    if case.status != "draft":
        return redirect(url_for("cases.show", case_id=case.id))
    form = ActionForm()
    if request.method == "GET":
        form.occurred_on.data = clock.today()
    error = None
    if form.validate_on_submit():
        try:
            services.take_action(
                case, "submit", role=current_user.role, actor=current_user, occurred_on=form.occurred_on.data
            )
        except services.CaseActionError as exc:
            db.session.rollback()
            error = exc
            form.form_errors.extend([item["reason"] for item in exc.extra.get("failures", [])] or [exc.message])
        else:
            record_request("case_action", target_type="case", target_id=case.id, case_action="submit")
            db.session.commit()
            jobs.dispatch_quietly()
            return redirect(url_for("cases.submitted", case_id=case.id))
    case = _load_case(case_id)
    status = 422 if error or form.errors else 200
    return (
        render_template(
            "cases/check.html",
            case=case,
            form=form,
            report=services.eligibility_report(case),
            fields=FIELDS,
            labels=labels,
        ),
        status,
    )


@bp.route("/<int:case_id>/submitted")
@roles_required("hr")
def submitted(case_id: int):
    case = _load_case(case_id)
    if case.status == "draft":
        return redirect(url_for("cases.check", case_id=case.id))
    clocks = sla.compute_for_case(case)
    return render_template("cases/submitted.html", case=case, clocks=clocks, labels=labels)


@bp.route("/<int:case_id>/overrides", methods=["POST"])
@roles_required("officer")
def override(case_id: int):
    case = _load_case(case_id)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.override_check(case, form.check_code.data, form.justification.data, officer=current_user)
        except services.CaseActionError as error:
            db.session.rollback()
            _place_error(form, error)
        else:
            record_request("eligibility_override", target_type="case", target_id=case.id, check=form.check_code.data)
            db.session.commit()
            flash(_("The check is overridden; your justification is recorded."), "success")
            return redirect(url_for("cases.show", case_id=case.id) + "#eligibility")
    case = _load_case(case_id)
    return render_template("cases/show.html", **_page_context(case, override_form=form)), 422


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """werkzeug refuses a body far over the limit before any form is read (so nothing typed can be kept): the case
    page again, with the limit at the letter of the action named in the form's address."""
    db.session.rollback()
    case = None
    if request.endpoint == "cases.act" and current_user.is_authenticated and current_user.role in CASE_ROLES:
        case = get_visible(Case, (request.view_args or {}).get("case_id"), current_user)
    if case is None:  # raised before the view's own checks: show nothing of the case
        return render_error(413, too_large_message())
    action = request.args.get("action", "")
    form = ActionForm(formdata=None, action=action)
    form.letter.errors = [too_large_message()]
    return render_template("cases/show.html", **_page_context(case, form, action)), 413


@bp.app_template_global()
def case_last_event_on(case: Case) -> date:
    """The earliest date the next event may carry."""
    return services.last_event_on(case)


bp.add_app_template_global(labels.field_text, "case_field_value")
bp.add_app_template_global(action_fields, "case_action_fields")
bp.add_app_template_global(action_field_id, "case_action_field_id")
bp.add_app_template_filter(policy.park_name, "park")
