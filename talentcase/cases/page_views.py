"""The case page and the forms on it: the actions of the case's life, eligibility overrides, and the page again with
the errors when one is refused (on the cases blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.audit.requests import record_request
from talentcase.cases import closing, labels, ownership, quotas, services
from talentcase.cases.forms import CLOSE_FIELDS, ActionForm, CloseForm, OverrideForm, TravelForm
from talentcase.cases.models import Case
from talentcase.cases.schema import FIELDS
from talentcase.cases.views import bp, load_case
from talentcase.cases.workflow import OPEN_STATES
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.confirm import ConfirmForm, unconfirmed
from talentcase.common.errors import render_error
from talentcase.common.http import client_ip
from talentcase.common.i18n import day_text, list_text
from talentcase.common.roles import CASE_ROLES, Role, can_override_checks, is_company_hr, works_on_cases
from talentcase.common.tenancy import get_visible
from talentcase.documents import services as documents
from talentcase.documents.display import too_large_message, upload_limit
from talentcase.jobs import uow
from talentcase.packs.services import pack_history
from talentcase.sla import chart, forecasting
from talentcase.sla import services as sla
from talentcase.sla.forecast_words import basis_text


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
    """A refusal goes to each field the service names (all of them at once), else to the whole form."""
    for name, message in error.field_errors.items() or [("", error.message)]:
        if name and name in form:
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)


def _override_codes(report: services.EligibilityReport, user) -> set[str]:
    """The checks whose row on the case page has an override form."""
    if not can_override_checks(user):
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
    travel_form: TravelForm | None = None,
) -> dict:
    """The case page; a refused action or override form comes back with its errors and what was typed."""
    today = clock.today()
    results = sla.compute_for_case(case, today=today)
    chart_labels = _chart_labels()
    charts = {
        name: chart.clock_svg(
            result, today=today, title=str(labels.CLOCK_NAMES[name]), labels=chart_labels, day_text=day_text
        )
        for name, result in results.items()
    }
    role = current_user.role
    report = services.eligibility_report(case)
    actions = services.allowed_actions(case, role)
    override_codes = _override_codes(report, current_user)
    error_items = []
    if action_form is not None:
        error_items += action_form.error_items(is_shown=error_action in actions and error_action != "submit")
    if override_form is not None:
        error_items += override_form.error_items(is_shown=override_form.check_code.data in override_codes)
    if travel_form is not None:
        error_items += [("travel_days", message) for message in travel_form.travel_days.errors]
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
        "can_edit": services.can_edit(case) and works_on_cases(current_user),
        "labels": labels,
        "fields": FIELDS,
        "today": today,
        "pack_history": pack_history(case),
        # A reserved place on a quota that has ended, and where it could go: what HR do next.
        "expired_place": quotas.expired_place(case, today) if case.status in OPEN_STATES else None,
        "travel_form": _travel_form(case, travel_form),
        "owner_panel": ownership.owner_panel(case, role, today),
    }


def _travel_form(case: Case, form: TravelForm | None) -> TravelForm | None:
    # HR of the case's company set the travel time while the case has expected dates; nobody else sees the form.
    if not is_company_hr(current_user, case.company_id) or case.forecast_row is None:
        return None
    return form or TravelForm(formdata=None, travel_days=case.travel_days)


@bp.route("/<int:case_id>")
@roles_required(*CASE_ROLES)
def show(case_id: int):
    case = load_case(case_id)
    return render_template("cases/show.html", **_page_context(case))


@bp.route("/<int:case_id>/actions", methods=["POST"])
@roles_required(*CASE_ROLES)
def act(case_id: int):
    case = load_case(case_id)
    form = ActionForm()
    action = form.action.data or ""
    try:
        services.refuse_role(case, action, current_user.role)  # authorisation before validation (probe F12)
    except services.CaseActionError as error:
        return _refused(case, form, action, error)
    if action == "submit":
        return redirect(url_for("cases.check", case_id=case.id))
    if action in closing.CLOSING_ACTIONS:  # final: only from the page that asks first, so nothing changes here
        return redirect(url_for("cases.close", case_id=case.id, action=action))
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
            uow.discard()
            if error.status == 403:
                return _refused(case, form, action, error)
            _place_error(form, error)
        except documents.DocumentError as error:  # a refused letter: the outcome is not recorded either
            uow.discard()
            status = error.status
            form.letter.errors = list(form.letter.errors) + [error.message]
        else:
            record_request("case_action", target_type="case", target_id=case.id, case_action=action)
            if letter is not None:
                documents.audit_upload(letter, actor=current_user, ip=client_ip())
            flash(_("Recorded: %(what)s.", what=labels.EVENT_NAMES.get(action, action)), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    case = load_case(case_id)
    return render_template("cases/show.html", **_page_context(case, form, action)), status


def _refused(case: Case, form: ActionForm, action: str, error: Exception):
    """The case page with a role's refusal in its error summary, answered 403; the refusal is audited."""
    uow.discard()
    record_request("permission_denied", target_type="case", target_id=case.id, case_action=action)
    uow.checkpoint()  # the refusal is kept, the refused action is not
    _place_error(form, error)
    case = load_case(case.id)
    return render_template("cases/show.html", **_page_context(case, form, action)), 403


def _close_page(case: Case, form: CloseForm, action: str, status: int = 200):
    """The question before a case is withdrawn or rejected: the case, what will happen, the reason to give."""
    page = render_template(
        "cases/close.html",
        case=case,
        action=action,
        form=form,
        consequences=(consequences := closing.consequences(case, action, current_user.role)),
        stopping=list_text([labels.CLOCK_NAMES[name] for name in consequences.stopping_clocks]),
        error_items=form.error_items(is_shown=True, fields=CLOSE_FIELDS),
        labels=labels,
    )
    return page, status


@bp.route("/<int:case_id>/<any(withdraw, reject):action>", methods=["GET", "POST"])
@roles_required(*CASE_ROLES)
def close(case_id: int, action: str):
    """Withdraw (HR) or reject (officer), only on the "Yes" of the page that says what it will do."""
    case = load_case(case_id)
    if request.method == "POST" and (answer := unconfirmed(ConfirmForm())) is not None:
        return answer
    form = CloseForm(action=action)
    form.action.data = action  # from the address, whatever the post says
    if request.method == "GET":
        if (reason := closing.refusal(case, action, current_user.role)) is not None:
            flash(reason, "error")
            return redirect(url_for("cases.show", case_id=case.id))
        form.occurred_on.data = clock.today()
        return _close_page(case, form, action)
    status = 422
    if form.validate():
        try:
            services.take_action(
                case,
                action,
                role=current_user.role,
                actor=current_user,
                occurred_on=form.occurred_on.data,
                note=form.note.data or "",
            )
        except services.CaseActionError as error:
            uow.discard()
            status = error.status
            if error.status == 403:
                record_request("permission_denied", target_type="case", target_id=case.id, case_action=action)
                uow.checkpoint()  # the refusal is kept, the refused action is not
            _place_error(form, error)
        else:
            record_request("case_action", target_type="case", target_id=case.id, case_action=action)
            flash(_("Recorded: %(what)s.", what=labels.EVENT_NAMES[action]), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return _close_page(load_case(case_id), form, action, status)


@bp.route("/<int:case_id>/overrides", methods=["POST"])
@roles_required(Role.OFFICER)
def override(case_id: int):
    case = load_case(case_id)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.override_check(case, form.check_code.data, form.justification.data, officer=current_user)
        except services.CaseActionError as error:
            uow.discard()
            _place_error(form, error)
        else:
            record_request("eligibility_override", target_type="case", target_id=case.id, check=form.check_code.data)
            flash(_("The check is overridden; your justification is recorded."), "success")
            return redirect(url_for("cases.show", case_id=case.id) + "#eligibility")
    case = load_case(case_id)
    return render_template("cases/show.html", **_page_context(case, override_form=form)), 422


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """werkzeug refuses a body far over the limit before any form is read (so nothing typed can be kept): the case
    page again, with the limit at the letter of the action named in the form's address."""
    uow.discard()
    case = None
    if request.endpoint == "cases.act" and works_on_cases(current_user):
        case = get_visible(Case, (request.view_args or {}).get("case_id"), current_user)
    if case is None:  # raised before the view's own checks: show nothing of the case
        return render_error(413, too_large_message())
    action = request.args.get("action", "")
    form = ActionForm(formdata=None, action=action)
    form.letter.errors = [too_large_message()]
    return render_template("cases/show.html", **_page_context(case, form, action)), 413


bp.add_app_template_global(basis_text, "forecast_basis")


@bp.route("/<int:case_id>/travel-days", methods=["POST"])
@roles_required(Role.HR)
def travel_days(case_id: int):
    """HR set the days from the visa's issue to the first day at work, which set the expected start."""
    case = load_case(case_id)
    form = TravelForm()
    if case.forecast_row is None:
        flash(_("This case has no expected dates to change."), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    if not form.validate_on_submit():
        return render_template("cases/show.html", **_page_context(case, travel_form=form)), 422
    forecasting.set_travel_days(case, form.travel_days.data)
    flash(_("The expected start now allows %(num)d days for travel.", num=case.travel_days), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="forecast"))
