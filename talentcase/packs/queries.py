"""What the pack screens read besides the case's own packs: the pack a job is building."""

from __future__ import annotations

from sqlalchemy import select

from talentcase.extensions import db
from talentcase.packs.models import Pack


def pack_for_job(job_id: str) -> Pack | None:
    """The latest pack the job builds or built, if any."""
    return db.session.scalars(select(Pack).where(Pack.job_id == job_id).order_by(Pack.id.desc()).limit(1)).first()
