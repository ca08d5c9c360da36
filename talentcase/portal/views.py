"""The expert's portal (by private link, no account); HR's link buttons are in links.py, the timeline in timeline.py.

Every portal route resolves the token first and acts only on that link's case; ids in a form never choose a case.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.audit.requests import record_request
from talentcase.cases import services as cases
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.common.errors import form_expired, render_error
from talentcase.common.i18n import browser_language, normalise_language
from talentcase.common.roles import Role
from talentcase.documents import services as documents
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.messages.expert import expert_conversation
from talentcase.messages.forms import AnswerForm, MessageForm
from talentcase.portal import services
from talentcase.portal.forms import ButtonForm, ContactForm, UploadForm
from talentcase.portal.links import links_bp
from talentcase.portal.start import start_bp
from talentcase.portal.timeline import EXPERT, hr_contact, timeline

bp = Blueprint("portal", __name__)
bp.register_blueprint(links_bp)  # HR's side lives with the portal it controls: endpoints portal.links.*
bp.register_blueprint(start_bp)  # the start page without a link: "Get a fresh link" (portal.fresh.start)


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
    """The expert's choice on this browser, then the case's language for the expert, then the browser's, then English.

    expert_language is "en" until someone chooses (the column's default), so only another language counts as a
    choice there; an expert who chose English on the contact form has it in the session as well."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalise_language(session.get("lang"))
    if chosen:
        return chosen
    for_expert = normalise_language(case.expert_language)
    if for_expert and for_expert != default:
        return for_expert
    return browser_language() or default


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


@bp.errorhandler(CSRFError)
def _form_expired(error: CSRFError):
    """A form sent without its session (the link opened in one browser, sent from another, or left open for hours):
    the expert's own page again with a plain message, not the staff error page that links to the sign-in."""
    if request.blueprint != "portal":  # HR's link buttons (a nested blueprint) keep the usual error page
        return form_expired(error)
    token = (request.view_args or {}).get("token", "")
    resolved = services.resolve(token)
    if resolved.problem is not None:
        return _link_problem(resolved.problem)
    with force_locale(_expert_locale(resolved.link.case)):
        flash(
            _("Nothing was sent: the page had been open too long or came from another browser. Please try again."),
            "error",
        )
        return render_home(resolved.link, token), 400


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


def render_home(
    link: ExpertLink,
    token: str,
    *,
    upload_form: UploadForm | None = None,
    posted_slug: str = "",
    contact_form: ContactForm | None = None,
    message_form: MessageForm | None = None,
    answer_form: AnswerForm | None = None,
):
    """The expert's page; a refused form comes back with its errors and what was typed."""
    case = link.case
    rows = [row for row in documents.checklist(case) if row.item.provider == EXPERT]
    upload_forms = {}
    for row in rows:
        slug = _slug(row)
        if upload_form is not None and slug == posted_slug:
            upload_forms[slug] = upload_form
        else:
            # The expiry the case already holds is filled in, so that a new copy of the passport needs no retyping.
            known = {"expires_on": case.passport_expiry_on} if row.item.kind == "passport" else {}
            upload_forms[slug] = UploadForm(
                formdata=None, prefix=slug, needs_expiry=row.item.kind == "passport", data=known
            )
    if contact_form is None:
        contact_form = ContactForm(formdata=None, prefix="contact", obj=case)
        contact_form.language.data = case.expert_language or "en"
    return render_template(
        "portal/home.html",
        case=case,
        token=token,
        steps=timeline(case),
        contact=hr_contact(case),
        rows=rows,
        not_sent=documents.not_sent,
        slug=_slug,
        upload_forms=upload_forms,
        posted_upload=upload_form,
        contact_form=contact_form,
        button_form=ButtonForm(formdata=None),
        can_upload=case.status not in workflow.FINAL_STATES,
        max_upload_mb=_max_upload_mb(),
        lang_next=url_for("portal.home", token=token),
        **expert_conversation(case, message_form=message_form, answer_form=answer_form),
    )


@bp.route("/portal/<token>")
@with_link
def home(link: ExpertLink, token: str):
    services.mark_opened(link)
    return render_home(link, token)


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
            uow.discard()
            status = error.status
            field = getattr(form, error.field or "", None)
            if error.field in ("file", "expires_on") and field is not None:
                field.errors = list(field.errors) + [error.message]
            else:
                form.form_errors.append(error.message)
        else:
            record_request("expert_uploaded", actor_label=EXPERT, target_type="case", target_id=case.id, kind=kind)
            flash(_("Thank you. We have received your file; it will now be checked."), "success")
            return redirect(url_for("portal.home", token=token) + "#documents")
    link = db.session.get(ExpertLink, link.id)
    return render_home(link, token, upload_form=form, posted_slug=slug[:60]), status


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
            cases.take_action(case, "provide_info", role=Role.EXPERT, actor_label=EXPERT)
        except cases.CaseActionError as error:
            uow.discard()
            flash(error.message, "error")
        else:
            record_request("expert_provided_info", actor_label=EXPERT, target_type="case", target_id=case.id)
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
            uow.discard()
            for name, message in error.errors.items():
                getattr(form, name).errors = list(getattr(form, name).errors) + [message]
        else:
            record_request("expert_contact_updated", actor_label=EXPERT, target_type="case", target_id=case.id)
            session["lang"] = case.expert_language
            with force_locale(case.expert_language):
                flash(_("Your contact details are saved."), "success")
            return redirect(url_for("portal.home", token=token) + "#contact")
    link = db.session.get(ExpertLink, link.id)
    return render_home(link, token, contact_form=form), 422
