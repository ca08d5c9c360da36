"""The expert's portal (by private link, no account) and HR's buttons that send, re-send and revoke the link.

Every portal route resolves the token first and acts only on that link's case; ids in a form never choose a case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.audit import services as audit
from talentcase.cases import services as cases
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.errors import render_error
from talentcase.common.http import client_ip
from talentcase.common.i18n import normalise_language
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services as documents
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.portal import services
from talentcase.portal.forms import ButtonForm, ContactForm, UploadForm
from talentcase.sla import services as sla

bp = Blueprint("portal", __name__)
# HR's side lives with the portal it controls: endpoints portal.links.*, under the case's address.
links_bp = Blueprint("links", __name__, url_prefix="/cases/<int:case_id>/expert-link")

EXPERT = "expert"


# --- the expert's timeline -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # done | current | to_come | stopped
    done_on: date | None = None
    text: str = ""
    expected_on: date | None = None


# (step, the event that completes it, title, words once done)
_STEPS = (
    (
        "submitted",
        "submit",
        _l("Your application goes to the park"),
        _l("Your employer sent your application to the park."),
    ),
    ("review", "accept", _l("The park checks your application"), _l("The park accepted your application.")),
    (
        "quota",
        "grant_quota",
        _l("A quota place from the Innovation and Technology Commission (ITC)"),
        _l("ITC gave your employer a quota place for your job."),
    ),
    (
        "visa_application",
        "lodge_visa",
        _l("Your visa application goes to the Immigration Department (ImmD)"),
        _l("Your employer applied for your visa with the Immigration Department."),
    ),
    ("visa_issued", "issue_visa", _l("Your visa is issued"), _l("The Immigration Department issued your visa.")),
    ("arrival", "record_arrival", _l("You arrive in Hong Kong"), _l("You arrived in Hong Kong. Welcome!")),
)
_CURRENT_STEP = {
    workflow.DRAFT: "submitted",
    workflow.REVIEW: "review",
    workflow.QUOTA_PREP: "quota",
    workflow.QUOTA: "quota",
    workflow.VISA_PREP: "visa_application",
    workflow.VISA: "visa_issued",
    workflow.APPROVED: "arrival",
}
_CURRENT_TEXT = {
    workflow.DRAFT: _l("Your employer is preparing your application."),
    workflow.REVIEW: _l("The park is checking that your application is complete and meets the rules."),
    workflow.QUOTA_PREP: _l("Your employer is preparing the quota application to ITC."),
    workflow.QUOTA: _l("ITC is considering your employer's quota application. It usually takes about two weeks."),
    workflow.VISA_PREP: _l("Your employer is preparing the visa application."),
    workflow.VISA: _l(
        "The Immigration Department is considering your visa application. It usually takes about two weeks "
        "once it has every document."
    ),
    workflow.APPROVED: _l("Your visa is ready. Your employer will record the day you arrive in Hong Kong."),
}
# The clock whose due date the expert may be told while a stage is under way.
_STAGE_CLOCK = {workflow.REVIEW: "review", workflow.QUOTA: "quota", workflow.VISA: "visa"}


def _quota_step_needed(case: Case) -> bool:
    if any(event.to_status in (workflow.QUOTA_PREP, workflow.QUOTA) for event in case.events):
        return True
    if case.status in (workflow.DRAFT, workflow.REVIEW):
        return case.quota_id is None and cases.quota_standing(case.company_id, clock.today()).quota is None
    return False


def timeline(case: Case) -> list[Step]:
    """The case's main steps, each done (with its date), current or still to come, in the expert's words."""
    done_on = {event.action: event.occurred_on for event in case.events}
    current = _CURRENT_STEP.get(case.status)
    stopped = case.status in (workflow.REJECTED, workflow.WITHDRAWN)
    expected_on = None
    clock_name = _STAGE_CLOCK.get(case.status)
    if clock_name and not case.is_paused:
        result = sla.compute_for_case(case).get(clock_name)
        if result is not None and result.is_running and result.state in ("on_track", "at_risk"):
            expected_on = result.due_on
    steps = []
    for key, action, title, done_text in _STEPS:
        if key == "quota" and not _quota_step_needed(case):
            continue
        if action in done_on:
            steps.append(Step(key, str(title), "done", done_on[action], str(done_text)))
        elif key == current:
            steps.append(Step(key, str(title), "current", None, str(_CURRENT_TEXT[case.status]), expected_on))
        else:
            steps.append(Step(key, str(title), "stopped" if stopped else "to_come"))
    return steps


def _request_to_expert(case: Case):
    """The open request for information addressed to the expert (the latest one), if the case waits on them."""
    if case.paused_party != EXPERT:
        return None
    requests = [event for event in case.events if event.action == "request_info" and event.party == EXPERT]
    return requests[-1] if requests else None


# --- resolving the link --------------------------------------------------------------------------------------------


def _slug(row: documents.ChecklistRow) -> str:
    return row.item.kind if row.item.dependant_id is None else f"{row.item.kind}-{row.item.dependant_id}"


def _parse_slug(slug: str) -> tuple[str, int | None]:
    kind, _sep, number = slug.rpartition("-")
    if kind and number.isdigit():
        return kind, int(number)
    return slug, None


def _link_problem(problem: str):
    status = 404 if problem == "unknown" else 410
    return render_template("portal/link_problem.html", problem=problem), status


def _expert_locale(case: Case) -> str:
    return normalise_language(session.get("lang")) or normalise_language(case.expert_language) or "en"


def with_link(view: Callable) -> Callable:
    """Resolve the token (else the friendly "link no longer works" page) and render in the expert's language."""

    @wraps(view)
    def wrapped(token: str, **kwargs):
        resolved = services.resolve(token)
        if resolved.problem is not None:
            return _link_problem(resolved.problem)
        with force_locale(_expert_locale(resolved.link.case)):
            return view(resolved.link, token, **kwargs)

    return wrapped


def _max_upload_mb() -> int:
    return max(current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024), 1)


@bp.after_app_request
def _private_headers(response):
    # The token is in the address: keep it out of caches and out of the Referer header of any outgoing link.
    if request.path.startswith("/portal/") or request.path == "/portal":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    if request.blueprint != "portal":  # HR's link buttons (a nested blueprint) keep the usual error page
        return render_error(413)
    token = (request.view_args or {}).get("token", "")
    resolved = services.resolve(token)
    if resolved.problem is not None:
        return _link_problem(resolved.problem)
    return render_template(
        "portal/too_large.html",
        token=token,
        max_upload_mb=_max_upload_mb(),
        lang_next=url_for("portal.home", token=token),
    ), 413


# --- the portal ----------------------------------------------------------------------------------------------------


def _render_home(
    link: ExpertLink,
    token: str,
    *,
    upload_form: UploadForm | None = None,
    posted_slug: str = "",
    contact_form: ContactForm | None = None,
):
    case = link.case
    rows = [row for row in documents.checklist(case) if row.item.provider == EXPERT]
    upload_forms = {}
    for row in rows:
        slug = _slug(row)
        if upload_form is not None and slug == posted_slug:
            upload_forms[slug] = upload_form
        else:
            upload_forms[slug] = UploadForm(formdata=None, prefix=slug, needs_expiry=row.item.kind == "passport")
    if contact_form is None:
        contact_form = ContactForm(formdata=None, prefix="contact", obj=case)
        contact_form.language.data = case.expert_language or "en"
    return render_template(
        "portal/home.html",
        case=case,
        token=token,
        steps=timeline(case),
        request_event=_request_to_expert(case),
        rows=rows,
        slug=_slug,
        upload_forms=upload_forms,
        posted_upload=upload_form,
        contact_form=contact_form,
        button_form=ButtonForm(formdata=None),
        can_upload=case.status not in workflow.FINAL_STATES,
        max_upload_mb=_max_upload_mb(),
        lang_next=url_for("portal.home", token=token),
    )


@bp.route("/portal/<token>")
@with_link
def home(link: ExpertLink, token: str):
    services.mark_opened(link)
    db.session.commit()
    return _render_home(link, token)


@bp.route("/portal/<token>/documents/<slug>", methods=["POST"])
@with_link
def upload(link: ExpertLink, token: str, slug: str):
    case = link.case
    kind, dependant_id = _parse_slug(slug[:60])
    form = UploadForm(prefix=slug[:60], needs_expiry=kind == "passport")
    status = 422
    if form.validate_on_submit():
        storage = form.file.data
        try:
            documents.upload(
                case,
                kind,
                storage.read(),
                storage.filename or "",
                dependant_id=dependant_id,
                uploader_label=EXPERT,
                provider_only=EXPERT,
                expires_on=form.expires_on.data if form.needs_expiry else None,
            )
        except documents.DocumentError as error:
            db.session.rollback()
            status = error.status
            field = getattr(form, error.field or "", None)
            if error.field in ("file", "expires_on") and field is not None:
                field.errors = list(field.errors) + [error.message]
            else:
                form.form_errors.append(error.message)
        else:
            audit.record(
                "expert_uploaded", actor_label=EXPERT, target_type="case", target_id=case.id, ip=client_ip(), kind=kind
            )
            db.session.commit()
            flash(_("Thank you. We have received your file; it will now be checked."), "success")
            return redirect(url_for("portal.home", token=token) + "#documents")
    link = db.session.get(ExpertLink, link.id)
    return _render_home(link, token, upload_form=form, posted_slug=slug[:60]), status


@bp.route("/portal/<token>/provided", methods=["POST"])
@with_link
def provided(link: ExpertLink, token: str):
    case = link.case
    form = ButtonForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
    elif case.paused_party != EXPERT:
        flash(_("Nothing is being asked of you right now."), "info")
    else:
        try:
            cases.take_action(case, "provide_info", role=EXPERT, actor_label=EXPERT)
        except cases.CaseActionError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            audit.record(
                "expert_provided_info", actor_label=EXPERT, target_type="case", target_id=case.id, ip=client_ip()
            )
            db.session.commit()
            flash(_("Thank you. Your employer and the park can now see that you have sent what was asked."), "success")
    return redirect(url_for("portal.home", token=token))


@bp.route("/portal/<token>/contact", methods=["POST"])
@with_link
def contact(link: ExpertLink, token: str):
    case = link.case
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        try:
            services.update_contact(
                case, email=form.email.data, phone=form.phone.data or "", language=form.language.data
            )
        except services.InvalidContact as error:
            db.session.rollback()
            for name, message in error.errors.items():
                getattr(form, name).errors = list(getattr(form, name).errors) + [message]
        else:
            audit.record(
                "expert_contact_updated", actor_label=EXPERT, target_type="case", target_id=case.id, ip=client_ip()
            )
            db.session.commit()
            session["lang"] = case.expert_language
            with force_locale(case.expert_language):
                flash(_("Your contact details are saved."), "success")
            return redirect(url_for("portal.home", token=token) + "#contact")
    link = db.session.get(ExpertLink, link.id)
    return _render_home(link, token, contact_form=form), 422


# --- HR: send, re-send, revoke -------------------------------------------------------------------------------------


@bp.app_template_global()
def expert_link_status(case: Case) -> dict:
    """What the HR case page shows about the expert's link, and which buttons the signed-in user gets."""
    latest = max(
        db.session.scalars(select(ExpertLink).where(ExpertLink.case_id == case.id)).all(),
        key=lambda link: (link.created_at, link.id),
        default=None,
    )
    is_hr = getattr(current_user, "role", None) == "hr" and current_user.company_id == case.company_id
    return {
        "active": services.active_link(case),
        "latest": latest,
        "can_manage": is_hr,
        "can_invite": is_hr and case.status not in workflow.FINAL_STATES,
    }


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


@links_bp.route("")
@roles_required("hr", "officer")
def show(case_id: int):
    return render_template("portal/hr_link.html", case=_load_case(case_id))


def _send(case_id: int, audit_action: str, *, is_resend: bool):
    case = _load_case(case_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
    elif case.status in workflow.FINAL_STATES:
        flash(_("The case is closed, so no new link can be sent."), "error")
    else:
        link, _token = services.invite(case, by=current_user)  # the token goes only to the expert's email
        audit.record(
            audit_action,
            actor=current_user,
            target_type="case",
            target_id=case.id,
            ip=client_ip(),
            sent_to=link.sent_to,
            link_id=link.id,
        )
        db.session.commit()
        jobs.dispatch_quietly()
        if is_resend:
            flash(
                _("A new link was emailed to %(email)s. Earlier links no longer work.", email=link.sent_to), "success"
            )
        else:
            flash(_("A private link was emailed to %(email)s.", email=link.sent_to), "success")
    return redirect(url_for("cases.show", case_id=case_id) + "#expert-link")


@links_bp.route("/invite", methods=["POST"])
@roles_required("hr")
def invite(case_id: int):
    return _send(case_id, "expert_link_sent", is_resend=False)


@links_bp.route("/resend", methods=["POST"])
@roles_required("hr")
def resend(case_id: int):
    return _send(case_id, "expert_link_resent", is_resend=True)


@links_bp.route("/revoke", methods=["POST"])
@roles_required("hr")
def revoke(case_id: int):
    case = _load_case(case_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
    else:
        count = services.revoke_links(case)
        audit.record(
            "expert_link_revoked",
            actor=current_user,
            target_type="case",
            target_id=case.id,
            ip=client_ip(),
            count=count,
        )
        db.session.commit()
        flash(_("The expert's link no longer works."), "success")
    return redirect(url_for("cases.show", case_id=case.id) + "#expert-link")


bp.register_blueprint(links_bp)
