"""The pack job."""

from __future__ import annotations

import json
import time

from flask import Flask
from rq import get_current_job

from talentcase.cases.models import Case
from talentcase.common import clock, pdf
from talentcase.common.storage import get_storage
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.jobs import uow
from talentcase.jobs.queue import job, preload
from talentcase.packs import services as packs
from talentcase.packs.builder import UnusableDocument, build_pack
from talentcase.packs.models import Pack

STALE_PART_SECONDS = 3600


@preload
def _warm_up(app: Flask) -> None:
    """WeasyPrint's import and first font set-up (1-2 s here) and the pack template's compile, once per worker.

    The RQ worker forks a work horse for each job; what the worker process holds, every job starts with.
    """
    pdf.warm_up()
    with app.app_context():
        app.jinja_env.get_template("pdf/pack.html")


def _clear_stale_parts(folder) -> None:
    """Remove temporary files that a killed job may have left (they were never visible under a final name)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_PART_SECONDS
    for part in folder.glob(".tmp-*.part"):
        if part.stat().st_mtime < cutoff:
            part.unlink(missing_ok=True)


def _pack_failed(pack_id: int, *, error: Exception) -> None:
    """The pack will not be made: say so in its row, naming the document at fault when one is (see failure_advice)."""
    pack = db.session.get(Pack, pack_id)
    if pack is None or pack.status == "ready":
        return
    pack.status = "failed"
    pack.finished_at = clock.now()
    if isinstance(error, UnusableDocument):
        pack.error = json.dumps({"document_id": error.document_id, "problem": error.problem})
    else:
        pack.error = json.dumps({"error": f"{type(error).__name__}: {error}"[:1000]})


@job("packs", on_failure=_pack_failed)
def render_pack(pack_id: int) -> str:
    """Render and store a pack; a pack already stored returns at once (a retried or repeated job is harmless)."""
    pack = db.session.get(Pack, pack_id)
    if pack is None:
        return "missing"
    storage = get_storage()
    key = f"packs/{pack.case_id}/{pack.content_hash}.pdf"
    if pack.status == "ready" and pack.storage_key and storage.exists(pack.storage_key):
        return "cached"
    current = get_current_job()
    job_id = current.id if current else None
    _clear_stale_parts(storage.path(key).parent)

    def progress(percent: int, message: str) -> None:
        jobs.report_progress(job_id, percent, message)

    case = db.session.get(Case, pack.case_id)
    data, pages = build_pack(pack, case, progress, signature=packs.signature_of(pack))
    storage.write_atomic(key, [data])
    pack.storage_key = key
    pack.page_count = pages
    pack.size = len(data)
    pack.status = "ready"
    pack.finished_at = clock.now()
    uow.checkpoint()  # the pack is ready before its job says so
    progress(100, "Ready")
    return "rendered"
