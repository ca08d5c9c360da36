"""Document rules: the checklist with its statuses, uploads (validated, stored by hash, versioned), reviews,
dependants and completeness. Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from talentcase.audit import services as audit
from talentcase.cases.models import Case
from talentcase.cases.workflow import FINAL_STATES
from talentcase.common import clock
from talentcase.common.dates import implausible_date_message, is_plausible_date
from talentcase.common.roles import can_review_documents
from talentcase.common.signals import document_reviewed
from talentcase.common.storage import get_storage
from talentcase.documents import checklist as rules
from talentcase.documents import company as on_file
from talentcase.documents.models import Dependant, Document
from talentcase.documents.validation import UploadRejected, validate_upload
from talentcase.extensions import db

EXTRA_KINDS = ("visa_label", "other")  # may be uploaded at any time, never required
EXTRA_HINTS = {
    "visa_label": _l("The visa label the Immigration Department (ImmD) issues, once it has issued the visa."),
    "other": _l("Anything else that supports the application, for example a letter answering the park's question."),
}
STORAGE_NAMESPACE = "documents"


class DocumentError(Exception):
    """A refused document operation; `status` is the HTTP status for the API."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field


@dataclass
class ChecklistRow:
    item: rules.ChecklistItem
    current: Document | None = None
    history: list[Document] = field(default_factory=list)
    source: str = "case"  # "company" when the company's document on file stands for the item
    expiry_problem: rules.Text | None = None  # a document on file expired, or running out before it is needed
    is_expired: bool = False

    @property
    def status(self) -> str:
        return self.current.status if self.current else "missing"

    @property
    def is_done(self) -> bool:
        return self.status == "accepted" and not self.is_expired

    @property
    def key(self) -> str:
        return f"{self.item.kind}:{self.item.dependant_id or ''}"


def belongs_to_case(document: Document, case: Case) -> bool:
    """The case's own document, or one its company keeps on file (read and reviewed through any of its cases)."""
    return document.case_id == case.id or (document.case_id is None and document.company_id == case.company_id)


def storage_key(document: Document) -> str:
    return f"{STORAGE_NAMESPACE}/{document.sha256[:2]}/{document.sha256}"


def checklist_facts(case: Case) -> rules.ChecklistFacts:
    return rules.ChecklistFacts(
        degree_level=case.degree_level,
        is_mainland_resident=case.is_mainland_resident,
        dependants=tuple(
            rules.DependantFacts(d.id, d.relationship_kind, d.full_name, d.date_of_birth) for d in case.dependants
        ),
        quota_needed=on_file.case_quota(case) is None,
        visa_lodged=bool(case.visa_lodged),
    )


def checklist(case: Case) -> list[ChecklistRow]:
    """The case's checklist in order, each item with its current upload and the older versions."""
    rows = [ChecklistRow(item) for item in rules.build_checklist(checklist_facts(case))]
    by_key = {row.key: row for row in rows}
    for kind in EXTRA_KINDS:
        if f"{kind}:" in by_key:
            continue  # already on the checklist (the visa label once the visa is lodged)
        label, hint = rules.DOCUMENT_KINDS[kind], EXTRA_HINTS[kind]
        extra = ChecklistRow(rules.ChecklistItem(kind, label, False, "hr", None, hint=hint, staff_hint=hint))
        rows.append(extra)
        by_key[extra.key] = extra
    for document in sorted(case.documents, key=lambda d: (d.version, d.id)):
        row = by_key.get(f"{document.kind}:{document.dependant_id or ''}")
        if row is None:
            continue  # an item no longer on the checklist (e.g. the case facts changed): kept, not shown
        if document.is_current:
            row.current = document
        else:
            row.history.append(document)
    for row in rows:
        row.history.sort(key=lambda d: d.version, reverse=True)
        if row.current is None and row.item.dependant_id is None:
            _use_company_file(case, row)
    return rows


def _use_company_file(case: Case, row: ChecklistRow) -> None:
    """Let the company's document on file stand for an item the case has no upload of its own for."""
    document = on_file.for_case_item(case, row.item.kind)
    if document is None:
        return
    row.current, row.source = document, "company"
    row.is_expired = on_file.is_expired(document)
    row.expiry_problem = on_file.expiry_problem(document, case.intended_start_on)


def document_for(case: Case, kind: str, dependant_id: int | None = None) -> Document | None:
    """The document that stands for one checklist item of the case: its own current upload, else the company's
    document on file (the pack reads documents through checklist(), which gives the same answer)."""
    row = next((r for r in checklist(case) if r.item.kind == kind and r.item.dependant_id == dependant_id), None)
    return row.current if row else None


def not_sent(rows: list[ChecklistRow]) -> list[ChecklistRow]:
    """The required items of a checklist still to be sent: never uploaded, or rejected and waiting for a new copy."""
    return [row for row in rows if row.item.required and row.status in ("missing", "rejected")]


def outstanding(case: Case) -> list[dict]:
    """Required items not yet accepted: what stops a submission pack, in plain words."""
    problems = []
    for row in checklist(case):
        if not row.item.required or row.is_done:
            continue
        reason = {
            "missing": _("not uploaded"),
            "uploaded": _("uploaded, waiting for review"),
            "rejected": _("rejected: %(reason)s", reason=row.current.review_reason if row.current else ""),
            "accepted": row.expiry_problem or "",  # accepted but expired: only a document on file gets here
        }[row.status]
        problems.append(
            {
                "kind": row.item.kind,
                "dependant_id": row.item.dependant_id,
                "label": str(row.item.label),
                "status": "expired" if row.is_expired else row.status,
                "reason": str(reason),
            }
        )
    return problems


def find_row(case: Case, kind: str, dependant_id: int | None) -> ChecklistRow:
    """The checklist row for a kind of document (of one dependant, when given); DocumentError naming what is wrong."""
    for row in checklist(case):
        if row.item.kind == kind and row.item.dependant_id == dependant_id:
            return row
    if dependant_id is not None and dependant_id not in {dependant.id for dependant in case.dependants}:
        raise DocumentError(_("This case has no dependant with the id %(id)s.", id=dependant_id), field="dependant_id")
    raise DocumentError(_("This case has no checklist item %(kind)s.", kind=kind), field="kind")


def upload(
    case: Case,
    kind: str,
    data: bytes,
    filename: str,
    *,
    dependant_id: int | None = None,
    uploader=None,
    uploader_label: str = "",
    provider_only: str | None = None,
    expires_on: date | None = None,
) -> Document:
    """Validate and store an upload as the new current version of its checklist item; older versions stay."""
    if case.status in FINAL_STATES:
        raise DocumentError(_("The case is closed; no more documents can be added."), status=409, code="conflict")
    row = find_row(case, kind, dependant_id)
    if provider_only and row.item.provider != provider_only:
        raise DocumentError(_("This document is provided by the company, not by you."), status=403, code="forbidden")
    try:
        checked = validate_upload(data, filename, max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    except UploadRejected as error:
        raise DocumentError(error.message, status=error.http_status, code=error.code, field="file") from error
    if expires_on is not None and not is_plausible_date(expires_on):  # it becomes the case's passport expiry
        raise DocumentError(str(implausible_date_message()), field="expires_on")
    get_storage().put(STORAGE_NAMESPACE, data)
    previous = row.current if row.source == "case" else None  # the company's file stays as it is
    if previous is not None:
        previous.is_current = False
    versions = [d.version for d in case.documents if d.kind == kind and d.dependant_id == dependant_id]
    document = Document(
        case=case,
        kind=kind,
        dependant_id=dependant_id,
        version=max(versions, default=0) + 1,
        is_current=True,
        sha256=checked.sha256,
        size=checked.size,
        mime_type=checked.mime_type,
        page_count=checked.page_count,
        display_name=checked.display_name,
        expires_on=expires_on,
        uploaded_by=uploader,
        uploaded_by_label=uploader_label or getattr(uploader, "email", "") or "",
        status="uploaded",
    )
    db.session.add(document)
    if kind == "passport" and expires_on is not None:
        case.passport_expiry_on = expires_on
    db.session.flush()
    return document


def review(document: Document, decision: str, *, reviewer, reason: str = "") -> Document:
    """An officer accepts a document, or rejects it with a reason that goes back to whoever must re-upload."""
    if decision not in ("accept", "reject"):
        raise DocumentError(_("Decide accept or reject."), field="decision")
    if not document.is_current:
        raise DocumentError(_("Only the latest version of a document can be reviewed."), status=409, code="conflict")
    reason = (reason or "").strip()
    if decision == "reject" and len(reason) < 3:
        raise DocumentError(_("Say why the document is rejected, so it can be put right."), field="reason")
    if len(reason) > 2000:
        raise DocumentError(_("The reason is too long (at most 2000 characters)."), field="reason")
    document.status = "accepted" if decision == "accept" else "rejected"
    document.review_reason = reason if decision == "reject" else ""
    document.reviewed_by = reviewer
    document.reviewed_at = clock.now()
    db.session.flush()
    document_reviewed.send(document, decision=decision)  # notifications tell whoever must replace it
    return document


# The letter that records an authority's outcome, kept with the case's documents when it comes with the action.
OUTCOME_LETTERS = {"grant_quota": "quota_approval_letter", "issue_visa": "visa_label"}


def store_outcome_letter(case: Case, action: str, data: bytes, filename: str, *, recorder) -> Document | None:
    """Keep the letter that came with an ITC / ImmD outcome (None for an action that has none); raises DocumentError
    when the file is refused. A letter an officer records needs no review: it is accepted at once."""
    kind = OUTCOME_LETTERS.get(action)
    if kind is None:
        return None
    document = upload(case, kind, data, filename, uploader=recorder)
    if can_review_documents(recorder):
        review(document, "accept", reviewer=recorder)
    return document


def audit_upload(document: Document, *, actor, ip: str | None, via: str | None = None) -> None:
    """Audit an upload by a signed-in user (the page and the API alike; the portal audits the expert's own way)."""
    audit.record(
        "document_uploaded",
        actor=actor,
        target_type="document",
        target_id=document.id,
        ip=ip,
        case_id=document.case_id,
        kind=document.kind,
        version=document.version,
        via=via,
    )


def audit_review(document: Document, *, actor, ip: str | None, via: str | None = None) -> None:
    """Audit an officer's decision on a document (the page and the API alike)."""
    audit.record(
        f"document_{document.status}",
        actor=actor,
        target_type="document",
        target_id=document.id,
        ip=ip,
        case_id=document.case_id,
        kind=document.kind,
        reason=document.review_reason or None,
        via=via,
    )


def read_file(document: Document) -> bytes:
    return get_storage().read(storage_key(document))


def add_dependant(case: Case, relationship: str, full_name: str, date_of_birth: date | None) -> Dependant:
    """Add a spouse/partner or a child (who must be under 18) to the case."""
    full_name = " ".join((full_name or "").split())
    if relationship not in ("spouse", "child"):
        raise DocumentError(_("Choose spouse or partner, or child."), field="relationship")
    if not full_name or len(full_name) > 200:
        raise DocumentError(_("Enter the dependant's full name (at most 200 characters)."), field="full_name")
    today = clock.today()
    if date_of_birth is not None and date_of_birth >= today:
        raise DocumentError(_("The date of birth must be in the past."), field="date_of_birth")
    if relationship == "child":
        if date_of_birth is None:
            raise DocumentError(_("Enter the child's date of birth."), field="date_of_birth")
        problem = rules.child_dependant_problem(date_of_birth, today)
        if problem:
            raise DocumentError(str(problem), field="date_of_birth")
    if case.status in FINAL_STATES:
        raise DocumentError(_("The case is closed."), status=409, code="conflict")
    if relationship == "spouse" and any(other.relationship_kind == "spouse" for other in case.dependants):
        raise DocumentError(_("Only one spouse or partner can be listed."), field="relationship")
    if any(
        other.full_name.casefold() == full_name.casefold() and other.relationship_kind == relationship
        for other in case.dependants
    ):
        raise DocumentError(_("%(name)s is already listed.", name=full_name), field="full_name")
    dependant = Dependant(case=case, relationship_kind=relationship, full_name=full_name, date_of_birth=date_of_birth)
    db.session.add(dependant)
    db.session.flush()
    return dependant


def remove_dependant(dependant: Dependant) -> None:
    """Remove a dependant who has no documents yet."""
    if any(d.dependant_id == dependant.id for d in dependant.case.documents):
        raise DocumentError(
            _("This dependant already has documents and cannot be removed."), status=409, code="conflict"
        )
    db.session.delete(dependant)
    db.session.flush()


def passport_warning(case: Case) -> str | None:
    """A warning when the passport expires within six months of the intended start date."""
    if case.passport_expiry_on and case.intended_start_on:
        warning = rules.passport_expiry_warning(case.passport_expiry_on, case.intended_start_on)
        return str(warning) if warning else None
    return None
