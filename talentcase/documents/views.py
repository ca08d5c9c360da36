"""Document screens: the checklist as a task list with uploads, version history and downloads, the officer's
review, and the case's dependants. Views stay thin: load through tenancy, parse a form, call documents.services,
commit once, then redirect (or show the page again with an error summary)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.auth import roles_required
from talentcase.common.http import client_ip
from talentcase.common.roles import CASE_ROLES, Role, can_review_documents
from talentcase.common.security import no_store, private_download
from talentcase.common.tenancy import get_visible, get_visible_or_404
from talentcase.documents import multi_upload, services
from talentcase.documents.display import content_disposition, document_summary, slug, too_large_message, upload_limit
from talentcase.documents.forms import DependantForm, RemoveForm, ReviewForm, UploadForm
from talentcase.documents.models import Dependant, Document
from talentcase.documents.page import PageErrors, groups, relationship_name
from talentcase.documents.services import DocumentError
from talentcase.documents.validation import human_size
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("documents", __name__, url_prefix="/cases")
bp.after_request(no_store)  # case pages are never kept: Back shows the case as it is now

UPLOAD_FIELDS = ("file", "expires_on")  # the visible fields of an item's upload form
DEPENDANT_FIELDS = ("relationship", "full_name", "date_of_birth")


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _load_document(case: Case, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not services.belongs_to_case(document, case):
        abort(404)
    return document


def _render(
    case: Case,
    errors: PageErrors | None = None,
    *,
    dependant_form: DependantForm | None = None,
    status: int = 200,
):
    rows = services.checklist(case)
    required = [row for row in rows if row.item.required]
    errors = errors or PageErrors()
    return (
        render_template(
            "documents/index.html",
            case=case,
            groups=groups(case, rows),
            accepted_count=sum(row.is_done for row in required),
            required_count=len(required),
            passport_warning=services.passport_warning(case),
            errors=errors,
            error_by_id=errors.by_id(),
            dependant_form=dependant_form or DependantForm(formdata=None),
            dependant_ids_with_documents={d.dependant_id for d in case.documents if d.dependant_id},
            can_review=can_review_documents(current_user),
            upload_limit=upload_limit(),
            max_upload_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            guesses=json.dumps(multi_upload.guess_table(rows), ensure_ascii=False),
            slug=slug,
            relationship_name=relationship_name,
        ),
        status,
    )


def _items_anchor(case: Case, item_slug: str | None = None) -> str:
    return url_for("documents.index", case_id=case.id) + (f"#item-{item_slug}" if item_slug else "")


@bp.route("/<int:case_id>/documents")
@roles_required(*CASE_ROLES)
def index(case_id: int):
    return _render(_load_case(case_id))


@bp.route("/<int:case_id>/documents", methods=["POST"])
@roles_required(*CASE_ROLES)
def upload(case_id: int):
    case = _load_case(case_id)
    form = UploadForm()
    dependant_raw = form.dependant_id.data or ""
    item_slug = slug(form.kind.data or "", int(dependant_raw) if dependant_raw.isdigit() else None)
    errors = PageErrors(open_slug=item_slug)
    status = 422
    if form.validate_on_submit():
        chosen = form.file.data
        try:
            document = services.upload(
                case,
                form.kind.data or "",
                chosen.read(),
                chosen.filename or "",
                dependant_id=form.dependant,
                uploader=current_user._get_current_object(),
                expires_on=form.expiry,
            )
        except DocumentError as error:
            uow.discard()
            status = error.status
            target = error.field if error.field in UPLOAD_FIELDS else "file" if error.field is None else None
            errors.add(f"{target}-{item_slug}" if target else None, error.message)
        else:
            services.audit_upload(document, actor=current_user, ip=client_ip())
            flash(
                _(
                    "%(name)s is uploaded (version %(n)d) and waits for review.",
                    name=document.display_name,
                    n=document.version,
                ),
                "success",
            )
            return redirect(_items_anchor(case, item_slug))
    else:
        for name, messages in form.errors.items():
            for message in messages:
                errors.add(f"{name}-{item_slug}" if name in UPLOAD_FIELDS else None, message)
    return _render(case, errors, status=status)


@bp.route("/<int:case_id>/documents/many", methods=["POST"])
@roles_required(*CASE_ROLES)
def upload_many(case_id: int):
    """Several files from the drop area (or its plain form), each with the item chosen for it or guessed."""
    case = _load_case(case_id)
    form = RemoveForm()  # only the CSRF token: the files and their items are lists
    errors = PageErrors()
    if not form.validate_on_submit():
        errors.add("drop-files", _("Your form expired. Reload the page and try again."))
        return _render(case, errors, status=400)
    files = request.files.getlist("file")
    items = request.form.getlist("item")
    chosen = [
        (items[index] if index < len(items) else "", upload.read(), upload.filename)
        for index, upload in enumerate(files)
        if upload.filename
    ]
    if not chosen:
        errors.add("drop-files", _("Choose the files to upload."))
        return _render(case, errors, status=422)
    outcome = multi_upload.upload_many(case, chosen, uploader=current_user._get_current_object())
    for document in outcome.stored:
        services.audit_upload(document, actor=current_user, ip=client_ip())
    if not outcome.refused:
        flash(_n_uploaded(len(outcome.stored)), "success")
        return redirect(_items_anchor(case))
    for item_slug, message in outcome.refused:
        errors.add(f"file-{item_slug}" if item_slug else "drop-files", message)
    if outcome.stored:
        uow.checkpoint()  # the good files are kept although the answer reports the refused ones
        flash(_n_uploaded(len(outcome.stored)), "success")
    else:
        uow.discard()
    return _render(case, errors, status=422)


def _n_uploaded(count: int) -> str:
    return ngettext(
        "%(num)d file is uploaded and waits for review.", "%(num)d files are uploaded and wait for review.", count
    )


@bp.route("/<int:case_id>/documents/<int:document_id>/review", methods=["POST"])
@roles_required(Role.OFFICER)
def review(case_id: int, document_id: int):
    case = _load_case(case_id)
    document = _load_document(case, document_id)
    item_slug = slug(document.kind, document.dependant_id)
    form = ReviewForm()
    errors = PageErrors(open_slug=item_slug)
    status = 422
    if form.validate_on_submit():
        decision = form.decision.data or ""
        try:
            services.review(document, decision, reviewer=current_user._get_current_object(), reason=form.reason.data)
        except DocumentError as error:
            uow.discard()
            status = error.status
            errors.add(f"reason-{document_id}" if error.field == "reason" else f"item-{item_slug}", error.message)
        else:
            services.audit_review(document, actor=current_user, ip=client_ip())
            if decision == "accept":
                flash(_("%(name)s is accepted.", name=document.display_name), "success")
            else:
                flash(
                    _("%(name)s is rejected; the reason is shown with the document.", name=document.display_name),
                    "success",
                )
            return redirect(_items_anchor(case, item_slug))
    else:
        for messages in form.errors.values():
            for message in messages:
                errors.add(f"item-{item_slug}", message)
    return _render(_load_case(case_id), errors, status=status)


@bp.route("/<int:case_id>/documents/<int:document_id>/file")
@roles_required(*CASE_ROLES)
def download(case_id: int, document_id: int):
    case = _load_case(case_id)
    document = _load_document(case, document_id)
    response = Response(services.read_file(document), mimetype=document.mime_type)
    response.headers["Content-Disposition"] = content_disposition(document.display_name)
    return private_download(response)


@bp.route("/<int:case_id>/dependants", methods=["POST"])
@roles_required(*CASE_ROLES)
def add_dependant(case_id: int):
    case = _load_case(case_id)
    form = DependantForm()
    errors = PageErrors()
    status = 422
    if form.validate_on_submit():
        try:
            dependant = services.add_dependant(
                case, form.relationship.data or "", form.full_name.data or "", form.birthday
            )
        except DocumentError as error:
            uow.discard()
            status = error.status
            errors.add(f"dependant-{error.field}" if error.field in DEPENDANT_FIELDS else None, error.message)
        else:
            record_request(
                "dependant_added",
                target_type="case",
                target_id=case.id,
                dependant_id=dependant.id,
                relationship=dependant.relationship_kind,
            )
            flash(
                _("%(name)s is added. Their documents are now on the checklist.", name=dependant.full_name), "success"
            )
            return redirect(url_for("documents.index", case_id=case.id) + f"#dependant-{dependant.id}")
    else:
        for name, messages in form.errors.items():
            for message in messages:
                errors.add(f"dependant-{name}" if name in DEPENDANT_FIELDS else None, message)
    return _render(case, errors, dependant_form=form, status=status)


@bp.route("/<int:case_id>/dependants/<int:dependant_id>/remove", methods=["POST"])
@roles_required(*CASE_ROLES)
def remove_dependant(case_id: int, dependant_id: int):
    case = _load_case(case_id)
    dependant = db.session.get(Dependant, dependant_id)
    if dependant is None or dependant.case_id != case.id:
        abort(404)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
        return redirect(url_for("documents.index", case_id=case.id) + "#dependants")
    name = dependant.full_name
    try:
        services.remove_dependant(dependant)
    except DocumentError as error:
        uow.discard()
        flash(error.message, "error")
    else:
        record_request("dependant_removed", target_type="case", target_id=case.id, dependant_id=dependant_id)
        flash(_("%(name)s is removed from the case.", name=name), "success")
    return redirect(url_for("documents.index", case_id=case.id) + "#dependants")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """A request far over the limit is refused by werkzeug before any view runs: the documents page comes back with
    the refusal at the item the form named in its address (or at the drop area), never a dead end."""
    uow.discard()
    case_id = (request.view_args or {}).get("case_id")
    signed_in = current_user.is_authenticated  # a stale session reaches here before the sign-in check
    case = get_visible(Case, case_id, current_user) if case_id and signed_in else None
    if case is None:
        back = url_for("documents.index", case_id=case_id) if case_id else None
        return render_template("documents/too_large.html", message=too_large_message(), back=back), 413
    item_slug = (request.args.get("item") or "")[:60]
    row = next((r for r in services.checklist(case) if slug(r.item.kind, r.item.dependant_id) == item_slug), None)
    errors = PageErrors(open_slug=item_slug if row else None)
    if row is not None:
        errors.add(f"file-{item_slug}", _("%(item)s: %(message)s", item=row.item.label, message=too_large_message()))
    else:
        errors.add("drop-files", too_large_message())
    return _render(case, errors, status=413)


bp.add_app_template_global(document_summary)


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    return human_size(size)
