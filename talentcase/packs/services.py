"""Asking for a pack: the completeness gate, the content hash that makes packs cacheable, and the job."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from talentcase.audit import services as audit
from talentcase.cases.models import Case
from talentcase.cases.schema import FIELDS
from talentcase.common import clock
from talentcase.common.pdf import PROJECT_DIR
from talentcase.common.roles import Role, sees_all_tenants
from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.documents.models import Document
from talentcase.documents.validation import PAGE_PROBLEM_TEXTS
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.packs import content, stages
from talentcase.packs.models import Pack, PackSignature

LANGUAGES = ("en", "zh_Hant_HK")
PDF_TEMPLATES = PROJECT_DIR / "templates" / "pdf"


class PackRefused(Exception):
    """A submission pack asked for while documents are missing or rejected (409 with the list)."""

    def __init__(self, message: str, missing: list[dict]) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


class PackForbidden(Exception):
    """A pack option the asker's role may not use (the internal annex is for park officers): 403."""


class SignatureRefused(Exception):
    """A signature that cannot be taken: not HR of the company, the name not the account's, or the pack outdated."""


@cache
def template_version() -> str:
    """A hash of the pack templates: a template change makes every pack new."""
    digest = hashlib.sha256()
    for path in sorted(Path(PDF_TEMPLATES).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _document_inputs(case: Case) -> list[list]:
    # The case's own current documents and the company's documents on file that its checklist uses (one review or a
    # new version of those changes every pack of the company's cases), with whether each has expired.
    rows = documents.checklist(case)
    expired = {row.current.id for row in rows if row.current is not None and getattr(row, "is_expired", False)}
    used = {d.id: d for d in case.documents if d.is_current}
    used.update({row.current.id: row.current for row in rows if row.current is not None})
    return [
        [d.id, d.kind, d.dependant_id, d.version, d.sha256, d.status, d.id in expired]
        for d in sorted(used.values(), key=lambda d: d.id)
    ]


def pack_inputs(
    case: Case, *, draft: bool, language: str, stage: str = "visa", internal_annex: bool = False, signature=None
) -> dict:
    """Everything that goes into the pack, as plain values (the pack is keyed by their hash)."""
    company = case.company
    return {
        "stage": stage,
        "internal_annex": internal_annex,
        "signatory": [company.signatory_name, company.signatory_title],
        "signature": _signature_inputs(signature),
        "case": {spec.attr: _plain(getattr(case, spec.attr)) for spec in FIELDS},
        "reference": case.reference,
        "company": [case.company.id, case.company.name, case.company.br_number, _plain(case.company.br_expiry_on)],
        "status": case.status,
        "policy": case.policy_code,
        "events": [[e.action, e.occurred_on.isoformat(), e.party, e.note] for e in case.events],
        "overrides": [[o.check_code, o.justification] for o in case.overrides],
        "dependants": [[d.id, d.relationship_kind, d.full_name, _plain(d.date_of_birth)] for d in case.dependants],
        "documents": _document_inputs(case),
        # The clocks and eligibility are shown "as of" a day: a new day is a new pack.
        "as_of": clock.today().isoformat(),
        "template": template_version(),
        "language": language,
        "draft": draft,
    }


def _signature_inputs(signature: PackSignature | None) -> list | None:
    if signature is None:
        return None
    signed_at = signature.signed_at.isoformat()
    return [signature.id, signature.typed_name, signature.signer_title, signature.document_sha256, signed_at]


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def content_hash(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class PackRequest:
    pack: Pack
    job_id: str
    cached: bool


def request_pack(
    case: Case,
    *,
    draft: bool,
    language: str = "en",
    stage: str | None = None,
    internal_annex: bool = False,
    by=None,
    signature: PackSignature | None = None,
) -> PackRequest:
    """Queue the pack for a stage (by default the one the case needs next), or return the existing one when nothing
    changed; a submission pack needs every required document of the stage accepted; the internal annex is for
    park officers."""
    stage = stage or stages.default_stage(case.status)
    if language not in LANGUAGES or stage not in stages.STAGES:
        raise ValueError(f"unknown language {language!r} or stage {stage!r}")
    if internal_annex and not sees_all_tenants(by):
        raise PackForbidden(_("Only park officers can add the internal annex."))
    if not draft:
        _refuse_when_incomplete(case, stage)
    inputs = pack_inputs(
        case, draft=draft, language=language, stage=stage, internal_annex=internal_annex, signature=signature
    )
    digest = content_hash(inputs)
    pack = db.session.scalar(select(Pack).where(Pack.case_id == case.id, Pack.content_hash == digest))
    job_id = f"pack-{case.id}-{digest[:40]}"
    if pack is not None:
        pack.requested_at = clock.now()
    if pack is not None and pack.status == "ready" and pack.storage_key and get_storage().exists(pack.storage_key):
        return PackRequest(pack, pack.job_id, cached=True)
    if pack is None:
        parameters = {"language": language, "draft": draft, "as_of": inputs["as_of"], "stage": stage}
        if signature is not None:
            parameters["signature_id"] = signature.id
        pack = Pack(
            case_id=case.id,
            content_hash=digest,
            language=language,
            is_draft=draft,
            stage=stage,
            has_internal_annex=internal_annex,
            job_id=job_id,
            template_version=inputs["template"],
            parameters=parameters,
            requested_by_id=getattr(by, "id", None),
        )
        db.session.add(pack)
        db.session.flush()
    pack.status = "pending"
    pack.error = ""
    jobs.want(job_id, "talentcase.packs.tasks.render_pack", "packs", [pack.id], case_id=case.id)
    return PackRequest(pack, job_id, cached=False)


def _refuse_when_incomplete(case: Case, stage: str) -> None:
    """PackRefused listing the stage's required documents that are not accepted yet."""
    missing = [item for item in documents.outstanding(case) if stages.in_stage(stages.BY_CODE[stage], item["kind"])]
    if missing:
        raise PackRefused(
            ngettext(
                "The pack cannot be made for submission yet: %(num)d required document is not accepted.",
                "The pack cannot be made for submission yet: %(num)d required documents are not accepted.",
                len(missing),
            ),
            missing,
        )


def _visible(query, viewer):
    """HR never see a pack with the park's internal annex."""
    if viewer is not None and not sees_all_tenants(viewer):
        return query.where(Pack.has_internal_annex.is_(False))
    return query


def pack_tabs(pack: Pack, case: Case) -> list[content.Tab]:
    """The pack's enclosures with their page counts, as its index lists them."""
    from talentcase.packs.builder import load_pages

    tabs = content.tabs_for(case, stages.BY_CODE[pack.stage], draft=pack.is_draft)
    for tab in tabs:
        if not tab.is_missing:
            load_pages(tab)
    return tabs


def latest_pack(case: Case, viewer=None) -> Pack | None:
    """The ready pack asked for last (a pack asked for again with nothing changed counts as asked for then)."""
    return db.session.scalar(
        _visible(select(Pack), viewer)
        .where(Pack.case_id == case.id, Pack.status == "ready")
        .order_by(Pack.requested_at.desc(), Pack.id.desc())
        .limit(1)
    )


def ready_pack(case: Case, pack_id: int, viewer=None) -> Pack | None:
    """The case's pack with this id, when it is ready (None for another case's pack)."""
    return db.session.scalar(
        _visible(select(Pack), viewer).where(Pack.id == pack_id, Pack.case_id == case.id, Pack.status == "ready")
    )


def pack_history(case: Case) -> list[Pack]:
    """The case's packs, the one asked for last first."""
    return list(
        db.session.scalars(
            select(Pack).where(Pack.case_id == case.id).order_by(Pack.requested_at.desc(), Pack.id.desc())
        )
    )


def failure_advice(pack: Pack) -> str | None:
    """For a pack that failed on one of its documents, what to do, in the reader's language (None otherwise)."""
    if pack.status != "failed" or not pack.error:
        return None
    try:
        detail = json.loads(pack.error)
    except ValueError:
        return None
    problem = detail.get("problem") if isinstance(detail, dict) else None
    document = db.session.get(Document, detail.get("document_id") or 0) if problem in PAGE_PROBLEM_TEXTS else None
    if document is None or document.case_id != pack.case_id:
        return None
    case = db.session.get(Case, pack.case_id)
    try:
        title = str(documents.find_row(case, document.kind, document.dependant_id).item.label)
    except documents.DocumentError:  # the item left the checklist since (a dependant removed, say)
        title = document.kind
    return _(
        "“%(document)s” (%(file)s) cannot go into the pack: %(problem)s. Upload a new copy of it (print or export it"
        " to PDF again), then ask for the pack again.",
        document=title,
        file=document.display_name,
        problem=PAGE_PROBLEM_TEXTS[problem],
    )


def set_signatory(company, name: str, title: str) -> None:
    """Who signs the company's cover letters and declarations, as printed in its packs."""
    company.signatory_name = " ".join((name or "").split())[:200]
    company.signatory_title = " ".join((title or "").split())[:200]
    db.session.flush()


def sign_pack(reviewed: Pack, *, typed_name: str, by, title: str | None = None, ip: str | None = None) -> PackSignature:
    """HR sign the declaration of a final pack they reviewed: the signature (typed name, time, the reviewed file's
    SHA-256) is kept and audited, and the signed pack is queued, made from the very same inputs."""
    case = db.session.get(Case, reviewed.case_id)
    _check_signable(reviewed, case, typed_name, by)
    inputs = pack_inputs(case, draft=False, language=reviewed.language, stage=reviewed.stage)
    if content_hash(inputs) != reviewed.content_hash:
        raise SignatureRefused(
            _("The case has changed since this pack was made. Make the pack again, review it, then sign.")
        )
    signature = PackSignature(
        pack_id=reviewed.id,
        signer_id=by.id,
        typed_name=" ".join(typed_name.split()),
        signer_title=" ".join((title if title is not None else case.company.signatory_title).split())[:200],
        document_sha256=hashlib.sha256(get_storage().read(reviewed.storage_key)).hexdigest(),
        signed_at=clock.now(),
    )
    db.session.add(signature)
    db.session.flush()
    result = request_pack(
        case, draft=False, language=reviewed.language, stage=reviewed.stage, by=by, signature=signature
    )
    signature.signed_pack_id = result.pack.id
    audit.record(
        "pack_signed",
        actor=by,
        target_type="case",
        target_id=case.id,
        ip=ip,
        pack_id=reviewed.id,
        signed_pack_id=result.pack.id,
        typed_name=signature.typed_name,
        signed_at=signature.signed_at.isoformat(),
        sha256=signature.document_sha256,
    )
    db.session.flush()
    return signature


def _check_signable(reviewed: Pack, case: Case, typed_name: str, by) -> None:
    if getattr(by, "role", None) != Role.HR or by.company_id != case.company_id:
        raise SignatureRefused(_("Only HR of the company can sign its declaration."))
    if (
        reviewed.status != "ready"
        or reviewed.is_draft
        or reviewed.has_internal_annex
        or reviewed.parameters.get("signature_id")
    ):
        raise SignatureRefused(_("Only a finished pack for submission, not yet signed, can be signed."))
    expected = " ".join((by.name or "").split())
    if not expected or " ".join((typed_name or "").split()).casefold() != expected.casefold():
        raise SignatureRefused(_("Type your name as your account shows it: %(name)s.", name=expected or by.email))


def signature_of(pack: Pack) -> PackSignature | None:
    """The signature a signed pack was made with (None for an unsigned pack)."""
    signature_id = (pack.parameters or {}).get("signature_id")
    return db.session.get(PackSignature, signature_id) if signature_id else None


def may_sign(pack: Pack, case: Case, user) -> bool:
    """Whether to offer this user the signature of this pack (HR of the company, a final unsigned pack)."""
    try:
        _check_signable(pack, case, getattr(user, "name", "") or "", user)
    except SignatureRefused:
        return False
    return True


# The pack's language as its file name says it (BCP 47, as the API takes it).
FILE_LANGUAGES = {"en": "en", "zh_Hant_HK": "zh-Hant"}


def file_name(pack: Pack, case: Case) -> str:
    """TC-2026-000081-visa-zh-Hant.pdf: the case, the stage and the language, then what kind of copy it is."""
    parts = [case.reference, pack.stage, FILE_LANGUAGES.get(pack.language, pack.language)]
    if pack.is_draft:
        parts.append("draft")
    if pack.has_internal_annex:
        parts.append("internal")
    if (pack.parameters or {}).get("signature_id"):
        parts.append("signed")
    return "-".join(parts) + ".pdf"
