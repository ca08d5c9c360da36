"""The SLA alerts raised for one case, over JSON: what the sweep recorded, each threshold once per clock run."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import select

from talentcase.api import bp
from talentcase.api.openapi import documented
from talentcase.api.schemas import CaseErrorSchema
from talentcase.cases.models import Case
from talentcase.common.tenancy import get_visible_or_404
from talentcase.extensions import db
from talentcase.sla.models import SlaAlert
from talentcase.sla.schemas import AlertSchema


@bp.get("/cases/<int:case_id>/alerts")
@documented(
    "listCaseAlerts",
    "The SLA alerts raised for the case, oldest first",
    answer=AlertSchema(many=True),
    description="The alerts",
    errors={401: "No valid API token", 404: "No such case, or another tenant's case"},
    error_schema=CaseErrorSchema,
)
def case_alerts(case_id: int):
    case = get_visible_or_404(Case, case_id, current_user)
    alerts = db.session.scalars(
        select(SlaAlert).where(SlaAlert.case_id == case.id).order_by(SlaAlert.created_at, SlaAlert.id)
    )
    return jsonify(AlertSchema(many=True).dump(alerts))
