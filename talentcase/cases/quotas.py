"""Quota places: which valid quota of a company has a free place, and a case reserving or releasing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, func, select

from talentcase.cases.models import Case, Quota
from talentcase.extensions import db


@dataclass(frozen=True)
class QuotaStanding:
    quota: Quota | None
    free_places: int
    reserved: int
    used: int


def places_taken() -> Subquery:
    """Per quota, how many places cases hold (reserved or used): (quota_id, taken)."""
    return (
        select(Case.quota_id, func.count(Case.id).label("taken"))
        .where(Case.quota_place.in_(("reserved", "used")))
        .group_by(Case.quota_id)
        .subquery()
    )


def quota_standing(company_id: int, on: date) -> QuotaStanding:
    """The company's valid quota with the most free places on a date (None when it has none valid)."""
    taken = places_taken()
    rows = db.session.execute(
        select(Quota, func.coalesce(taken.c.taken, 0))
        .outerjoin(taken, taken.c.quota_id == Quota.id)
        .where(Quota.company_id == company_id, Quota.valid_until >= on, Quota.granted_on <= on)
        .order_by(Quota.valid_until)
    ).all()
    best: tuple[Quota, int] | None = None
    for quota, held in rows:
        free = quota.places - held
        if free > 0 and best is None:
            best = (quota, free)
    if best is None:
        return QuotaStanding(None, 0, 0, 0)
    quota = best[0]
    reserved = db.session.scalar(
        select(func.count(Case.id)).where(Case.quota_id == quota.id, Case.quota_place == "reserved")
    )
    used = db.session.scalar(select(func.count(Case.id)).where(Case.quota_id == quota.id, Case.quota_place == "used"))
    return QuotaStanding(quota, best[1], reserved or 0, used or 0)


def reserve_place(case: Case, quota: Quota) -> None:
    """The case holds a place of this quota until its visa uses it (or it closes and releases it)."""
    case.quota = quota
    case.quota_place = "reserved"


def release_place(case: Case) -> None:
    """A reserved place goes back to the quota (a used one stays used)."""
    if case.quota_place == "reserved":
        case.quota = None
        case.quota_place = None
