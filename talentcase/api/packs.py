"""Packs and jobs in the API: queue a pack (202), follow its job, download the latest pack."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user

from talentcase.api import bp, forbidden
from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.errors import json_error
from talentcase.common.models import MAX_ID
from talentcase.common.tenancy import get_visible
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.packs import queries as pack_queries
from talentcase.packs import services as packs
from talentcase.packs.views import job_json, pdf_response

PACK_ROLES = ("hr", "officer")


def _case_or_error(case_id: int):
    case = get_visible(Case, case_id, current_user)
    if case is None:
        return None, json_error(404, "No such case.")
    if current_user.role not in PACK_ROLES:
        raise forbidden("Your role cannot make packs.")
    return case, None


@bp.post("/cases/<int:case_id>/pack")
def create_pack(case_id: int):
    case, error = _case_or_error(case_id)
    if error:
        return error
    body: Any = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        return json_error(400, "Send a JSON object (or no body).")
    unknown = set(body) - {"draft", "language"}
    if unknown:
        return json_error(422, "Unknown fields.", fields={name: "Unknown field." for name in sorted(unknown)})
    draft = body.get("draft", False)
    language = body.get("language", "en")
    fields = {}
    if not isinstance(draft, bool):
        fields["draft"] = "Must be true or false."
    if language not in ("en", "zh-Hant", "zh_Hant_HK", "zh-Hant-HK"):
        fields["language"] = "Must be en or zh-Hant."
    if fields:
        return json_error(422, "Invalid pack request.", fields=fields)
    language = "en" if language == "en" else "zh_Hant_HK"
    try:
        result = packs.request_pack(case, draft=draft, language=language, by=current_user)
    except packs.PackRefused as refused:
        db.session.rollback()
        return json_error(409, refused.message, code="incomplete", missing=refused.missing)
    record_request("pack_requested", target_type="case", target_id=case.id, draft=draft)
    db.session.commit()
    jobs.dispatch_quietly()
    status_url = url_for("api.get_job", job_id=result.job_id)
    return jsonify({"job_id": result.job_id, "status_url": status_url, "cached": result.cached}), 202


@bp.get("/jobs/<job_id>")
def get_job(job_id: str):
    row = db.session.get(JobRecord, job_id)
    if row is None or (row.case_id is not None and get_visible(Case, row.case_id, current_user) is None):
        return json_error(404, "No such job.")
    if row.case_id is None and current_user.role not in ("officer", "admin"):
        return json_error(404, "No such job.")
    pack = pack_queries.pack_for_job(job_id)
    body = job_json(row, pack)
    if pack is not None and pack.status == "ready":
        body["status"] = "finished"
        body["progress"] = 100
        # This job's pack, not whichever was asked for last (a cached request returns an older pack's job).
        body["download_url"] = url_for("api.latest_pack", case_id=pack.case_id, pack=pack.id)
    body["job_id"] = job_id
    return jsonify(body)


@bp.get("/cases/<int:case_id>/pack.pdf")
def latest_pack(case_id: int):
    case, error = _case_or_error(case_id)
    if error:
        return error
    wanted = request.args.get("pack")
    if wanted is None:
        pack = packs.latest_pack(case)
    elif wanted.isdigit() and int(wanted) <= MAX_ID:
        pack = packs.ready_pack(case, int(wanted))
    else:
        return json_error(422, "Invalid pack.", fields={"pack": "Must be a pack id."})
    if pack is None:
        return json_error(404, "No pack has been made for this case yet." if wanted is None else "No such pack.")
    return pdf_response(pack, case)
