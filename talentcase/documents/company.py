"""Company documents on file: the business registration certificate, each quota's approval letter and other
company papers, kept once per company (one row per version, one stored file) and used by every case of the
company whose checklist asks for them. Services flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentcase.accounts.models import Company
from talentcase.cases import quotas
from talentcase.cases.models import Case, Quota
from talentcase.cases.policy import Text
from talentcase.common import clock
from talentcase.common.dates import implausible_date_message, is_plausible_date
from talentcase.common.i18n import LocalDay
from talentcase.common.storage import get_storage
from talentcase.documents.models import Document
from talentcase.documents.validation import UploadRejected, validate_upload
from talentcase.extensions import db

STORAGE_NAMESPACE = "documents"  # the same namespace as case uploads: one file, whoever holds it

# What a company keeps on file, in the order of its page. Only the first two stand for checklist items.
COMPANY_KINDS: Mapping[str, Text] = MappingProxyType(
    {
        "br_certificate": _l("Business registration certificate"),
        "quota_approval_letter": _l("Quota Approval Letter"),
        "company_paper": _l("Other company paper"),
    }
)
ON_FILE_KINDS = frozenset({"br_certificate", "quota_approval_letter"})


class CompanyDocumentError(Exception):
    """A refused upload to the company's file; `field` names the form field it belongs to."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field


def on_file(company_id: int) -> list[Document]:
    """Every version of every document the company keeps on file, newest first."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.company_id == company_id, Document.case_id.is_(None))
            .order_by(Document.kind, Document.quota_id, Document.version.desc())
        )
    )


def current_on_file(company_id: int, kind: str, quota_id: int | None = None) -> Document | None:
    """The company's current version of a document on file (of one quota, for a Quota Approval Letter)."""
    return db.session.scalar(
        select(Document).where(
            Document.company_id == company_id,
            Document.case_id.is_(None),
            Document.kind == kind,
            Document.quota_id.is_(quota_id) if quota_id is None else Document.quota_id == quota_id,
            Document.is_current.is_(True),
        )
    )


def case_quota(case: Case) -> Quota | None:
    """The quota whose letter the case relies on: the one its place is in, else the company's valid quota with a
    free place today (the place the case will take at acceptance)."""
    if case.quota is not None:
        return case.quota
    return quotas.quota_standing(case.company_id, clock.today()).quota


def for_case_item(case: Case, kind: str) -> Document | None:
    """The company's document on file that stands for this checklist item of the case, or None."""
    if kind == "br_certificate":
        return current_on_file(case.company_id, kind)
    if kind == "quota_approval_letter":
        quota = case_quota(case)
        return current_on_file(case.company_id, kind, quota.id) if quota is not None else None
    return None


def expiry_problem(document: Document, needed_on: date | None = None) -> Text | None:
    """Why a document on file cannot be relied on: expired today, or running out before the day it is needed."""
    if document.expires_on is None:
        return None
    today = clock.today()
    if document.expires_on < today:
        return _l("Expired on %(day)s: upload the new one.", day=LocalDay(document.expires_on))
    if needed_on is not None and document.expires_on < needed_on:
        return _l(
            "Runs out on %(day)s, before %(needed)s: renew it first.",
            day=LocalDay(document.expires_on),
            needed=LocalDay(needed_on),
        )
    return None


def is_expired(document: Document) -> bool:
    return document.expires_on is not None and document.expires_on < clock.today()


def _company_quota(company: Company, quota_id: int | None) -> Quota:
    quota = db.session.get(Quota, quota_id) if quota_id else None
    if quota is None or quota.company_id != company.id:
        raise CompanyDocumentError(_("Choose the quota this letter was issued for."), field="quota_id")
    return quota


def _expiry(company: Company, kind: str, quota: Quota | None, expires_on: date | None) -> date | None:
    if quota is not None:
        return quota.valid_until  # the letter is good for as long as its quota
    if expires_on is None and kind == "br_certificate":
        expires_on = company.br_expiry_on
    if kind == "br_certificate" and expires_on is None:
        raise CompanyDocumentError(_("Enter the date the certificate expires."), field="expires_on")
    if expires_on is not None and not is_plausible_date(expires_on):
        raise CompanyDocumentError(str(implausible_date_message()), field="expires_on")
    return expires_on


def upload_on_file(
    company: Company,
    kind: str,
    data: bytes,
    filename: str,
    *,
    quota_id: int | None = None,
    expires_on: date | None = None,
    uploader=None,
) -> Document:
    """Validate and keep a company document as the new current version on file; the older versions stay."""
    if kind not in COMPANY_KINDS:
        raise CompanyDocumentError(_("Choose what the document is."), field="kind")
    quota = _company_quota(company, quota_id) if kind == "quota_approval_letter" else None
    try:
        checked = validate_upload(data, filename, max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    except UploadRejected as error:
        raise CompanyDocumentError(error.message, status=error.http_status, code=error.code, field="file") from error
    expires_on = _expiry(company, kind, quota, expires_on)
    get_storage().put(STORAGE_NAMESPACE, data)
    quota_key = quota.id if quota else None
    previous = current_on_file(company.id, kind, quota_key)
    if previous is not None:
        previous.is_current = False
    versions = db.session.scalars(
        select(Document.version).where(
            Document.company_id == company.id,
            Document.case_id.is_(None),
            Document.kind == kind,
            Document.quota_id.is_(None) if quota_key is None else Document.quota_id == quota_key,
        )
    ).all()
    document = Document(
        company_id=company.id,
        quota_id=quota_key,
        kind=kind,
        version=max(versions, default=0) + 1,
        is_current=True,
        sha256=checked.sha256,
        size=checked.size,
        mime_type=checked.mime_type,
        page_count=checked.page_count,
        display_name=checked.display_name,
        expires_on=expires_on,
        uploaded_by=uploader,
        uploaded_by_label=getattr(uploader, "email", "") or "",
        status="uploaded",
    )
    db.session.add(document)
    if kind == "br_certificate":
        company.br_expiry_on = expires_on  # the company record follows the certificate on file
    db.session.flush()
    return document


def company_quotas(company_id: int) -> list[Quota]:
    """The company's quotas, the latest valid first, for the letter's choice of quota."""
    return list(
        db.session.scalars(select(Quota).where(Quota.company_id == company_id).order_by(Quota.valid_until.desc()))
    )
