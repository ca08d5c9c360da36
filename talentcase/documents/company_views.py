"""The company documents page: what a company keeps on file for all its cases (HR upload new versions; officers read
and review). HR of another company get a 404, as for a case they may not see."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentcase.accounts.models import Company
from talentcase.common.auth import roles_required
from talentcase.common.errors import render_error
from talentcase.common.http import client_ip
from talentcase.common.roles import CASE_ROLES, Role, can_review_documents, is_company_hr, sees_all_tenants
from talentcase.common.security import no_store, private_download
from talentcase.documents import company as on_file
from talentcase.documents import services
from talentcase.documents.display import content_disposition, too_large_message, upload_limit
from talentcase.documents.forms import CompanyUploadForm, ReviewForm
from talentcase.documents.models import Document
from talentcase.documents.services import DocumentError
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("company_documents", __name__, url_prefix="/companies")
bp.after_request(no_store)

FORM_FIELDS = ("kind", "file", "expires_on", "quota_id")


def _load_company(company_id: int) -> Company:
    company = db.session.get(Company, company_id)
    if company is None or not (sees_all_tenants(current_user) or is_company_hr(current_user, company_id)):
        abort(404)
    return company


def _load_document(company: Company, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or document.company_id != company.id or document.case_id is not None:
        abort(404)
    return document


def _render(company: Company, form: CompanyUploadForm | None = None, errors=None, status: int = 200):
    documents = on_file.on_file(company.id)
    return (
        render_template(
            "documents/company.html",
            company=company,
            current=[d for d in documents if d.is_current],
            earlier=[d for d in documents if not d.is_current],
            kinds=on_file.COMPANY_KINDS,
            quotas=on_file.company_quotas(company.id),
            form=form or CompanyUploadForm(formdata=None),
            errors=errors or [],
            error_by_field={name: message for name, message in (errors or []) if name},
            can_upload=is_company_hr(current_user, company.id),
            can_review=can_review_documents(current_user),
            upload_limit=upload_limit(),
            expiry_problem=on_file.expiry_problem,
        ),
        status,
    )


@bp.route("/<int:company_id>/documents")
@roles_required(*CASE_ROLES)
def index(company_id: int):
    return _render(_load_company(company_id))


@bp.route("/<int:company_id>/documents", methods=["POST"])
@roles_required(*CASE_ROLES)
def upload(company_id: int):
    company = _load_company(company_id)
    if not is_company_hr(current_user, company.id):
        abort(403)  # officers read the company's file; its HR keep it
    form = CompanyUploadForm()
    errors: list[tuple[str | None, str]] = []
    status = 422
    if form.validate_on_submit():
        chosen = form.file.data
        try:
            document = on_file.upload_on_file(
                company,
                form.kind.data or "",
                chosen.read(),
                chosen.filename or "",
                quota_id=form.quota,
                expires_on=form.expiry,
                uploader=current_user._get_current_object(),
            )
        except on_file.CompanyDocumentError as error:
            uow.discard()
            status = error.status
            errors.append((error.field if error.field in FORM_FIELDS else None, error.message))
        else:
            services.audit_upload(document, actor=current_user, ip=client_ip(), via="company")
            flash(_("%(name)s is on file for the company and waits for review.", name=document.display_name), "success")
            return redirect(url_for("company_documents.index", company_id=company.id) + f"#doc-{document.id}")
    else:
        errors.extend((name, str(message)) for name, messages in form.errors.items() for message in messages)
    return _render(company, form, errors, status)


@bp.route("/<int:company_id>/documents/<int:document_id>/review", methods=["POST"])
@roles_required(Role.OFFICER)
def review(company_id: int, document_id: int):
    company = _load_company(company_id)
    document = _load_document(company, document_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
        return redirect(url_for("company_documents.index", company_id=company.id))
    try:
        services.review(
            document, form.decision.data or "", reviewer=current_user._get_current_object(), reason=form.reason.data
        )
    except DocumentError as error:
        uow.discard()
        flash(error.message, "error")
    else:
        services.audit_review(document, actor=current_user, ip=client_ip(), via="company")
        flash(
            _("Your decision on %(name)s holds for every case of the company.", name=document.display_name), "success"
        )
    return redirect(url_for("company_documents.index", company_id=company.id) + f"#doc-{document.id}")


@bp.route("/<int:company_id>/documents/<int:document_id>/file")
@roles_required(*CASE_ROLES)
def download(company_id: int, document_id: int):
    document = _load_document(_load_company(company_id), document_id)
    response = Response(services.read_file(document), mimetype=document.mime_type)
    response.headers["Content-Disposition"] = content_disposition(document.display_name)
    return private_download(response)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """A file far over the limit is refused before the view runs: the company page comes back with it at the file."""
    uow.discard()
    company_id = (request.view_args or {}).get("company_id")
    company = db.session.get(Company, company_id) if company_id else None
    if company is None or not is_company_hr(current_user, company.id):
        return render_error(413, too_large_message())
    return _render(company, errors=[("file", too_large_message())], status=413)
