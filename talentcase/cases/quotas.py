"""Quota places: which valid quota of a company has a free place, and a case reserving or releasing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Subquery, func, select

from talentcase.cases import policy
from talentcase.cases.errors import ActionInvalid, QuotaExpired
from talentcase.cases.labels import quota_name
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


# --- a reserved place on a quota that has ended -------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiredPlace:
    """The quota of a case's reserved place that had ended by a day, and the valid quota with a free place it could
    move to (None when the company has none)."""

    quota: Quota
    replacement: Quota | None


def _ended_quota(case: Case, on: date) -> Quota | None:
    """The quota of the case's reserved place when it had ended by the day (its last valid day is still usable)."""
    quota = case.quota
    return quota if case.quota_place == "reserved" and quota is not None and quota.valid_until < on else None


def place_expired(case: Case, on: date) -> bool:
    """Whether the case's reserved place is on a quota that had ended by the day."""
    return _ended_quota(case, on) is not None


def expired_place(case: Case, on: date) -> ExpiredPlace | None:
    """The case's expired place and where it could go, or None while the place is usable (or none is held)."""
    quota = _ended_quota(case, on)
    return ExpiredPlace(quota, quota_standing(case.company_id, on).quota) if quota is not None else None


def check_place_usable(case: Case, on: date) -> None:
    """Refuse a visa step taken on a day when the case's reserved place is on a quota that had ended."""
    quota = _ended_quota(case, on)
    if quota is None:
        return
    raise QuotaExpired(
        _(
            "This case's place is on %(quota)s, which ended on %(until)s, so it cannot be used on %(on)s. Replace the "
            "expired quota place: the case moves to a free place on another valid quota of the company, or back to "
            "the quota application when none has one.",
            quota=quota_name(quota.reference, quota.granted_on),
            until=day_text(quota.valid_until),
            on=day_text(on),
        ),
        quota={"id": quota.id, "reference": quota.reference, "valid_until": quota.valid_until.isoformat()},
    )


def replace_expired_place(case: Case, replacement: Quota | None) -> dict[str, int | None]:
    """Give up the expired place and reserve one on the replacement quota (if any); the event's detail says which."""
    released = case.quota_id
    release_place(case)
    if replacement is not None:
        reserve_place(case, replacement)
    return {"released_quota_id": released, "reserved_quota_id": replacement.id if replacement else None}


def grant(case: Case, occurred_on: date, detail: dict[str, Any]) -> dict[str, Any]:
    """Record the Quota Approval Letter on the company and reserve a place of it; the event's detail as stored."""
    places, valid_until, reference = grant_details(case, occurred_on, detail)
    quota = Quota(
        company_id=case.company_id, places=places, granted_on=occurred_on, valid_until=valid_until, reference=reference
    )
    db.session.add(quota)
    reserve_place(case, quota)
    return {"quota_places": places, "quota_valid_until": valid_until.isoformat(), "quota_reference": reference}


# --- granting --------------------------------------------------------------------------------------------------------


MAX_PLACES_A_YEAR = 100  # quota places a company may be granted in a year (TechTAS)


def _places(raw: Any) -> int:
    """The number of places as typed (empty: one); raises ValueError with the message for a refused one."""
    try:
        places = 1 if raw is None or raw == "" else int(raw)
    except (TypeError, ValueError) as error:
        raise ValueError(_("The number of quota places must be a whole number.")) from error
    if not 1 <= places <= MAX_PLACES_A_YEAR:
        raise ValueError(_("A quota has between 1 and 100 places."))
    return places


def _valid_until(raw: Any, occurred_on: date, version: policy.PolicyVersion) -> date:
    """The last day of validity as typed (empty: the longest the policy allows); raises ValueError with the message."""
    longest = policy.quota_valid_until(occurred_on, version)
    valid_until = raw or longest
    if isinstance(valid_until, str):
        try:
            valid_until = date.fromisoformat(valid_until)
        except ValueError as error:
            raise ValueError(_("Use a date in the form YYYY-MM-DD.")) from error
    if valid_until <= occurred_on:
        raise ValueError(_("The quota must be valid after the day it was granted."))
    if valid_until > longest:
        raise ValueError(
            _(
                "Under the policy in force a quota is valid for %(months)d months at most: until %(day)s.",
                months=version.quota_validity_months,
                day=day_text(longest),
            )
        )
    return valid_until


def _yearly_cap_problem(company_id: int, occurred_on: date, places: int) -> str | None:
    year_before = occurred_on - timedelta(days=365)
    granted = db.session.scalar(
        select(func.coalesce(func.sum(Quota.places), 0)).where(
            Quota.company_id == company_id, Quota.granted_on > year_before, Quota.granted_on <= occurred_on
        )
    )
    if granted + places <= MAX_PLACES_A_YEAR:
        return None
    return _(
        "A company is granted at most %(max)d quota places a year; %(n)d were granted in the twelve months "
        "up to this grant.",
        max=MAX_PLACES_A_YEAR,
        n=granted,
    )


def grant_details(case: Case, occurred_on: date, detail: dict[str, Any]) -> tuple[int, date, str]:
    """The places, validity and reference of a quota granted on a day, checked against the scheme's rules; every
    problem is reported at once (ActionInvalid with the message at each field)."""
    problems: dict[str, str] = {}
    places = valid_until = None
    version = policy.policy_by_code(case.policy_code) if case.policy_code else policy.policy_in_force(occurred_on)
    try:
        places = _places(detail.get("quota_places"))
    except ValueError as error:
        problems["quota_places"] = str(error)
    try:
        valid_until = _valid_until(detail.get("quota_valid_until"), occurred_on, version)
    except ValueError as error:
        problems["quota_valid_until"] = str(error)
    if places is not None and (cap := _yearly_cap_problem(case.company_id, occurred_on, places)):
        problems["quota_places"] = cap
    reference = str(detail.get("quota_reference") or "").strip()
    if len(reference) > 60:
        problems["quota_reference"] = _("The quota letter reference is too long (at most 60 characters).")
    if problems:
        # field: the first input in error, for callers that place one message.
        raise ActionInvalid(" ".join(problems.values()), field=next(iter(problems)), fields=problems)
    return places, valid_until, reference
