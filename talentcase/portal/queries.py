"""What the HR case page shows about the expert's link."""

from __future__ import annotations

from sqlalchemy import select

from talentcase.cases.models import Case
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db


def latest_link(case: Case) -> ExpertLink | None:
    """The case's most recent link to the expert, whether it still works or not."""
    return db.session.scalars(
        select(ExpertLink)
        .where(ExpertLink.case_id == case.id)
        .order_by(ExpertLink.created_at.desc(), ExpertLink.id.desc())
        .limit(1)
    ).first()
