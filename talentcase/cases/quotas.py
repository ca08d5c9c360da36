"""Quota places: which valid quota of a company has a free place, and a case reserving or releasing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Subquery, func, select

from talentcase.cases import policy
from talentcase.cases.errors import ActionInvalid
from talentcase.cases.models import Case, Quota
from talentcase.common.i18n import day_text
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


MAX_PLACES_A_YEAR = 100  # quota places a company may be granted in a year (TechTAS)


def grant_details(case: Case, occurred_on: date, detail: dict[str, Any]) -> tuple[int, date, str]:
    """The places, validity and reference of a quota granted on a day, checked against the scheme's rules."""
    try:
        raw_places = detail.get("quota_places")
        places = 1 if raw_places is None or raw_places == "" else int(raw_places)
    except (TypeError, ValueError) as error:
        raise ActionInvalid(_("The number of quota places must be a whole number."), field="quota_places") from error
    if not 1 <= places <= MAX_PLACES_A_YEAR:
        raise ActionInvalid(_("A quota has between 1 and 100 places."), field="quota_places")
    version = policy.policy_by_code(case.policy_code) if case.policy_code else policy.policy_in_force(occurred_on)
    valid_until = detail.get("quota_valid_until") or policy.quota_valid_until(occurred_on, version)
    if isinstance(valid_until, str):
        try:
            valid_until = date.fromisoformat(valid_until)
        except ValueError as error:
            raise ActionInvalid(_("Use a date in the form YYYY-MM-DD."), field="quota_valid_until") from error
    if valid_until <= occurred_on:
        raise ActionInvalid(_("The quota must be valid after the day it was granted."), field="quota_valid_until")
    longest = policy.quota_valid_until(occurred_on, version)
    if valid_until > longest:
        raise ActionInvalid(
            _(
                "Under the policy in force a quota is valid for %(months)d months at most: until %(day)s.",
                months=version.quota_validity_months,
                day=day_text(longest),
            ),
            field="quota_valid_until",
        )
    year_before = occurred_on - timedelta(days=365)
    granted = db.session.scalar(
        select(func.coalesce(func.sum(Quota.places), 0)).where(
            Quota.company_id == case.company_id, Quota.granted_on > year_before, Quota.granted_on <= occurred_on
        )
    )
    if granted + places > MAX_PLACES_A_YEAR:
        raise ActionInvalid(
            _(
                "A company is granted at most %(max)d quota places a year; %(n)d were granted in the twelve months "
                "up to this grant.",
                max=MAX_PLACES_A_YEAR,
                n=granted,
            ),
            field="quota_places",
        )
    reference = str(detail.get("quota_reference") or "").strip()
    if len(reference) > 60:
        raise ActionInvalid(
            _("The quota letter reference is too long (at most 60 characters)."), field="quota_reference"
        )
    return places, valid_until, reference
