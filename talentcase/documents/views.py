"""Document screens: the checklist as a task list with uploads, version history and downloads, the officer's
review, and the case's dependants. Views stay thin: load through tenancy, parse a form, call documents.services,
commit once, then redirect (or show the page again with an error summary)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.auth import roles_required
from talentcase.common.http import client_ip
from talentcase.common.roles import CASE_ROLES, Role, can_review_documents
from talentcase.common.security import no_store, private_download
from talentcase.common.tenancy import get_visible_or_404
from talentcase.documents import services
from talentcase.documents.display import content_disposition, document_summary, slug, too_large_message, upload_limit
from talentcase.documents.forms import DependantForm, RemoveForm, ReviewForm, UploadForm
from talentcase.documents.models import Dependant, Document
from talentcase.documents.services import ChecklistRow, DocumentError
from talentcase.documents.validation import human_size
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("documents", __name__, url_prefix="/cases")
bp.after_request(no_store)  # case pages are never kept: Back shows the case as it is now

UPLOAD_FIELDS = ("file", "expires_on")  # the visible fields of an item's upload form
DEPENDANT_FIELDS = ("relationship", "full_name", "date_of_birth")


@dataclass
class Group:
    """A heading of the task list and its items."""

    id: str
    title: str
    rows: list[ChecklistRow] = field(default_factory=list)
    dependant: Dependant | None = None


@dataclass
class PageErrors:
    """What went wrong, by the id of the element to link to from the error summary (None: no field)."""

    items: list[tuple[str | None, str]] = field(default_factory=list)
    open_slug: str | None = None  # the checklist item whose upload form must be shown open

    def add(self, element_id: str | None, message: object) -> None:
        self.items.append((element_id, str(message)))

    def by_id(self) -> dict[str, str]:
        return {element_id: message for element_id, message in self.items if element_id}

    def __bool__(self) -> bool:
        return bool(self.items)


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _load_document(case: Case, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not services.belongs_to_case(document, case):
        abort(404)
    return document


def _groups(case: Case, rows: list[ChecklistRow]) -> list[Group]:
    company = Group("company", _("From the company"))
    expert = Group("expert", _("From the expert"))
    other = Group("other", _("Other documents (optional)"))
    per_dependant = {
        dependant.id: Group(
            f"dependant-{dependant.id}",
            _("For %(name)s (%(relationship)s)", name=dependant.full_name, relationship=relationship_name(dependant)),
            dependant=dependant,
        )
        for dependant in case.dependants
    }
    for row in rows:
        item = row.item
        if item.kind in services.EXTRA_KINDS:
            other.rows.append(row)
        elif item.dependant_id is not None and item.dependant_id in per_dependant:
            per_dependant[item.dependant_id].rows.append(row)
        elif item.provider == "hr":
            company.rows.append(row)
        else:
            expert.rows.append(row)
    return [company, expert, *per_dependant.values(), other]


def relationship_name(dependant: Dependant) -> str:
    return _("spouse or partner") if dependant.relationship_kind == "spouse" else _("child")


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
            groups=_groups(case, rows),
            accepted_count=sum(row.is_done for row in required),
            required_count=len(required),
            passport_warning=services.passport_warning(case),
            errors=errors,
            error_by_id=errors.by_id(),
            dependant_form=dependant_form or DependantForm(formdata=None),
            dependant_ids_with_documents={d.dependant_id for d in case.documents if d.dependant_id},
            can_review=can_review_documents(current_user),
            upload_limit=upload_limit(),
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
    """A request far over the limit is refused by werkzeug before any view runs; say so in plain words."""
    uow.discard()
    case_id = (request.view_args or {}).get("case_id")
    back = url_for("documents.index", case_id=case_id) if case_id else None
    return render_template("documents/too_large.html", message=too_large_message(), back=back), 413


bp.add_app_template_global(document_summary)


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    return human_size(size)
