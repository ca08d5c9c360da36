"""The SLA alerts raised for one case, over JSON: what the sweep recorded, each threshold once per clock run."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user
from sqlalchemy import select

from talentcase.api import bp
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.tenancy import get_visible_or_404
from talentcase.extensions import db
from talentcase.sla.models import SlaAlert


def alert_json(alert: SlaAlert) -> dict[str, Any]:
    """One alert as the API shows it."""
    return {
        "clock": alert.clock_name,
        "threshold": alert.threshold,
        "cycle": alert.cycle,
        "threshold_on": alert.threshold_on.isoformat(),
        "due_on": alert.due_on.isoformat(),
        "created_at": clock.isoformat(alert.created_at),
    }


@bp.get("/cases/<int:case_id>/alerts")
def case_alerts(case_id: int):
    case = get_visible_or_404(Case, case_id, current_user)
    alerts = db.session.scalars(
        select(SlaAlert).where(SlaAlert.case_id == case.id).order_by(SlaAlert.created_at, SlaAlert.id)
    )
    return jsonify([alert_json(alert) for alert in alerts])
