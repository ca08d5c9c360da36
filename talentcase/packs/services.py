"""Asking for a pack: the completeness gate, the content hash that makes packs cacheable, and the job."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from talentcase.cases.models import Case
from talentcase.cases.schema import FIELDS
from talentcase.common import clock
from talentcase.common.pdf import PROJECT_DIR
from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.documents.models import Document
from talentcase.documents.validation import PAGE_PROBLEM_TEXTS
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.packs.models import Pack

LANGUAGES = ("en", "zh_Hant_HK")
PDF_TEMPLATES = PROJECT_DIR / "templates" / "pdf"


class PackRefused(Exception):
    """A submission pack asked for while documents are missing or rejected (409 with the list)."""

    def __init__(self, message: str, missing: list[dict]) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


@cache
def template_version() -> str:
    """A hash of the pack templates: a template change makes every pack new."""
    digest = hashlib.sha256()
    for path in sorted(Path(PDF_TEMPLATES).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pack_inputs(case: Case, *, draft: bool, language: str) -> dict:
    """Everything that goes into the pack, as plain values (the pack is keyed by their hash)."""
    return {
        "case": {spec.attr: _plain(getattr(case, spec.attr)) for spec in FIELDS},
        "reference": case.reference,
        "company": [case.company.id, case.company.name, case.company.br_number, _plain(case.company.br_expiry_on)],
        "status": case.status,
        "policy": case.policy_code,
        "events": [[e.action, e.occurred_on.isoformat(), e.party, e.note] for e in case.events],
        "overrides": [[o.check_code, o.justification] for o in case.overrides],
        "dependants": [[d.id, d.relationship_kind, d.full_name, _plain(d.date_of_birth)] for d in case.dependants],
        "documents": [
            [d.id, d.kind, d.dependant_id, d.version, d.sha256, d.status]
            for d in sorted(case.documents, key=lambda d: d.id)
            if d.is_current
        ],
        # The clocks and eligibility are shown "as of" a day: a new day is a new pack.
        "as_of": clock.today().isoformat(),
        "template": template_version(),
        "language": language,
        "draft": draft,
    }


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


def request_pack(case: Case, *, draft: bool, language: str = "en", by=None) -> PackRequest:
    """Queue the pack (or return the existing one when nothing changed); a submission pack needs every
    required document accepted."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if not draft:
        missing = documents.outstanding(case)
        if missing:
            raise PackRefused(
                _(
                    "The pack cannot be made for submission yet: %(n)d required document(s) are not accepted.",
                    n=len(missing),
                ),
                missing,
            )
    inputs = pack_inputs(case, draft=draft, language=language)
    digest = content_hash(inputs)
    pack = db.session.scalar(select(Pack).where(Pack.case_id == case.id, Pack.content_hash == digest))
    job_id = f"pack-{case.id}-{digest[:40]}"
    if pack is not None:
        pack.requested_at = clock.now()
    if pack is not None and pack.status == "ready" and pack.storage_key and get_storage().exists(pack.storage_key):
        return PackRequest(pack, pack.job_id, cached=True)
    if pack is None:
        pack = Pack(
            case_id=case.id,
            content_hash=digest,
            language=language,
            is_draft=draft,
            job_id=job_id,
            template_version=inputs["template"],
            parameters={"language": language, "draft": draft, "as_of": inputs["as_of"]},
            requested_by_id=getattr(by, "id", None),
        )
        db.session.add(pack)
        db.session.flush()
    pack.status = "pending"
    pack.error = ""
    jobs.want(job_id, "talentcase.packs.tasks.render_pack", "packs", [pack.id], case_id=case.id)
    return PackRequest(pack, job_id, cached=False)


def latest_pack(case: Case) -> Pack | None:
    """The ready pack asked for last (a pack asked for again with nothing changed counts as asked for then)."""
    return db.session.scalar(
        select(Pack)
        .where(Pack.case_id == case.id, Pack.status == "ready")
        .order_by(Pack.requested_at.desc(), Pack.id.desc())
        .limit(1)
    )


def ready_pack(case: Case, pack_id: int) -> Pack | None:
    """The case's pack with this id, when it is ready (None for another case's pack)."""
    return db.session.scalar(select(Pack).where(Pack.id == pack_id, Pack.case_id == case.id, Pack.status == "ready"))


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
