"""Packs and jobs in the API: queue a pack (202), follow its job, download the latest pack."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user

from talentcase.api import bp, forbidden, load
from talentcase.api.openapi import documented
from talentcase.audit.requests import record_request
from talentcase.cases.models import Case
from talentcase.common.errors import json_error
from talentcase.common.roles import sees_all_tenants, works_on_cases
from talentcase.common.tenancy import get_visible
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.jobs.models import JobRecord
from talentcase.packs import queries as pack_queries
from talentcase.packs import services as packs
from talentcase.packs.schemas import JobStatusSchema, PackChoiceSchema, PackQueuedSchema, PackRequestSchema
from talentcase.packs.views import job_json, pdf_response


def _case_or_error(case_id: int):
    case = get_visible(Case, case_id, current_user)
    if case is None:
        return None, json_error(404, "No such case.")
    if not works_on_cases(current_user):
        raise forbidden("Your role cannot make packs.")
    return case, None


@bp.post("/cases/<int:case_id>/pack")
@documented(
    "createPack",
    "Queue the submission pack",
    answer=PackQueuedSchema,
    status=202,
    description="Queued (or already made)",
    body=PackRequestSchema,
    body_required=False,
    errors={
        400: "Not a JSON object",
        401: "No valid token",
        403: "Role cannot make packs, or `internal_annex` asked for by a role other than officer",
        404: "No such case",
        409: "Required documents missing or not accepted (`missing` lists them)",
        422: "Invalid fields",
    },
)
def create_pack(case_id: int):
    case, error = _case_or_error(case_id)
    if error:
        return error
    body: Any = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        return json_error(400, "Send a JSON object (or no body).")
    wanted = load(PackRequestSchema(), body)
    draft, language = wanted["draft"], wanted["language"]
    try:
        result = packs.request_pack(
            case,
            draft=draft,
            language=language,
            stage=wanted["stage"],
            internal_annex=wanted["internal_annex"],
            by=current_user,
        )
    except packs.PackForbidden as refused:
        uow.discard()
        raise forbidden(str(refused)) from refused
    except packs.PackRefused as refused:
        uow.discard()
        return json_error(409, refused.message, code="incomplete", missing=refused.missing)
    record_request("pack_requested", target_type="case", target_id=case.id, draft=draft, stage=result.pack.stage)
    status_url = url_for("api.get_job", job_id=result.job_id)
    return jsonify(
        PackQueuedSchema().dump({"job_id": result.job_id, "status_url": status_url, "cached": result.cached})
    ), 202


@bp.get("/jobs/<job_id>")
@documented(
    "getJob",
    "A background job's status",
    answer=JobStatusSchema,
    description="The job",
    errors={401: "No valid token", 404: "No such job"},
)
def get_job(job_id: str):
    row = db.session.get(JobRecord, job_id)
    if row is None or (row.case_id is not None and get_visible(Case, row.case_id, current_user) is None):
        return json_error(404, "No such job.")
    if row.case_id is None and not sees_all_tenants(current_user):
        return json_error(404, "No such job.")
    pack = pack_queries.pack_for_job(job_id)
    body = job_json(row, pack)
    if pack is not None and pack.status == "ready":
        body["status"] = "finished"
        body["progress"] = 100
        # This job's pack, not whichever was asked for last (a cached request returns an older pack's job).
        body["download_url"] = url_for("api.latest_pack", case_id=pack.case_id, pack=pack.id)
    body["job_id"] = job_id
    return jsonify(JobStatusSchema().dump(body))


@bp.get("/cases/<int:case_id>/pack.pdf")
@documented(
    "getPackPdf",
    "The latest pack (the one asked for last), or the pack a finished job's download_url names",
    answer={"type": "string", "format": "binary"},
    media="application/pdf",
    description="The PDF",
    query=PackChoiceSchema,
    errors={
        401: "No valid token",
        403: "Role cannot read packs",
        404: "No such case, no pack yet, or no such ready pack of this case",
        422: "`pack` is not a pack id",
    },
)
def latest_pack(case_id: int):
    case, error = _case_or_error(case_id)
    if error:
        return error
    wanted = load(PackChoiceSchema(), request.args.to_dict()).get("pack")
    viewer = current_user
    pack = packs.latest_pack(case, viewer) if wanted is None else packs.ready_pack(case, wanted, viewer)
    if pack is None:
        return json_error(404, "No pack has been made for this case yet." if wanted is None else "No such pack.")
    return pdf_response(pack, case)
