"""Pack screens: ask for a pack, follow its progress bar, download it; the job status as JSON for the bar."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.auth import roles_required
from talentcase.common.roles import CASE_ROLES, sees_all_tenants
from talentcase.common.security import no_store, private_download
from talentcase.common.storage import get_storage
from talentcase.common.tenancy import get_visible, get_visible_or_404
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.jobs.models import JobRecord
from talentcase.packs import queries, stages
from talentcase.packs import services as packs
from talentcase.packs.models import Pack

bp = Blueprint("packs", __name__)
bp.after_request(no_store)  # case pages are never kept: Back shows the case as it is now


@bp.app_context_processor
def pack_choices() -> dict:
    """What the case page's pack section offers: the stage a case needs next, by default."""
    return {"default_pack_stage": stages.default_stage}


def job_json(row: JobRecord | None, pack: Pack | None = None) -> dict:
    """The job status as the API and the progress bar read it."""
    if row is None or (pack is not None and pack.status == "ready"):
        # A cached or finished pack: nothing left to wait for.
        body = {"status": "finished", "progress": 100, "message": ""}
        if pack is not None and pack.status == "ready":
            body["download_url"] = url_for("packs.download", case_id=pack.case_id, pack_id=pack.id)
        return body
    status = "queued" if row.status == "wanted" else row.status
    body = {"status": status, "progress": row.progress if status != "finished" else 100, "message": row.message}
    if status == "failed" and row.error:
        body["error"] = row.error
    advice = packs.failure_advice(pack) if status == "failed" and pack is not None else None
    if advice:
        body["advice"] = advice
    if pack is not None and pack.status == "ready":
        body["download_url"] = url_for("packs.download", case_id=pack.case_id, pack_id=pack.id)
    return body


@bp.route("/cases/<int:case_id>/packs", methods=["POST"])
@roles_required(*CASE_ROLES)
def create(case_id: int):
    case = get_visible_or_404(Case, case_id, current_user)
    draft = request.form.get("kind", "draft") != "final"
    language = request.form.get("language", "en")
    if language not in packs.LANGUAGES:
        language = "en"
    stage = request.form.get("stage") if request.form.get("stage") in stages.STAGES else None
    annex = request.form.get("internal_annex") == "yes"
    try:
        result = packs.request_pack(
            case, draft=draft, language=language, stage=stage, internal_annex=annex, by=current_user
        )
    except packs.PackForbidden:
        abort(403)
    except packs.PackRefused as refused:
        uow.discard()
        # The refusal at the top of the page the person lands on, each missing item a link to where it is uploaded.
        flash(Markup(render_template("packs/_refused.html", case=case, refused=refused)), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    record_request("pack_requested", target_type="case", target_id=case.id, draft=draft, stage=result.pack.stage)
    if result.cached:
        flash(_("Nothing has changed since the last pack: here it is."), "info")
    return redirect(url_for("packs.progress", case_id=case.id, pack_id=result.pack.id))


def pack_of(case_id: int, pack_id: int) -> tuple[Case, Pack]:
    """The case and its pack for the signed-in user (404 for a pack they may not see: HR never see the annex)."""
    case = get_visible_or_404(Case, case_id, current_user)
    pack = db.session.get(Pack, pack_id)
    if pack is None or pack.case_id != case.id or (pack.has_internal_annex and not sees_all_tenants(current_user)):
        abort(404)
    return case, pack


@bp.route("/cases/<int:case_id>/packs/<int:pack_id>")
@roles_required(*CASE_ROLES)
def progress(case_id: int, pack_id: int):
    case, pack = pack_of(case_id, pack_id)
    row = db.session.get(JobRecord, pack.job_id)
    state = job_json(row if pack.status != "ready" else None, pack)
    can_sign = packs.may_sign(pack, case, current_user)
    return render_template("packs/progress.html", case=case, pack=pack, job=state, can_sign=can_sign)


@bp.route("/cases/<int:case_id>/packs/<int:pack_id>.pdf")
@roles_required(*CASE_ROLES)
def download(case_id: int, pack_id: int):
    case, pack = pack_of(case_id, pack_id)
    if pack.status != "ready" or not pack.storage_key:
        abort(404)
    return pdf_response(pack, case)


def pdf_response(pack: Pack, case: Case) -> Response:
    """The pack's PDF as a download (screens and API): it holds passport scans, so no cache may keep it."""
    data = get_storage().read(pack.storage_key)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{packs.file_name(pack, case)}"'
    return private_download(response)


@bp.route("/jobs/<job_id>")
@roles_required(*CASE_ROLES)
def job_status(job_id: str):
    """The status of a job for the progress bar (session-authenticated)."""
    row = db.session.get(JobRecord, job_id)
    if row is None or row.case_id is None or get_visible(Case, row.case_id, current_user) is None:
        abort(404)
    pack = queries.pack_for_job(job_id)
    return jsonify(job_json(row, pack))


from talentcase.packs import signing_views  # noqa: E402,F401  (registers the signature and company pages on bp)
