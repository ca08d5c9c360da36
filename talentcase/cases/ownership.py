"""Who owns a case: the owner chosen at submission by the park's rule, reassignment, and cover while an owner is away.

`effective_owner(case, on=day)` is the one answer to "whose is this case today": the owning officer, or the
colleague covering for them that day while the case is open. Queues, lists (`effective_owner_id(day)`, the same
answer as a SQL expression) and notices ask it, so a cover period moves the work and the notices together and
gives them back after its last day with no manual step. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, false, func, or_, select

from talentcase.accounts.models import User
from talentcase.audit.models import AuditEntry
from talentcase.cases import workflow
from talentcase.cases.errors import ActionInvalid
from talentcase.cases.models import Case
from talentcase.cases.ownership_models import (
    ALL_PARKS,
    BY_AREA,
    ROUND_ROBIN,
    AreaOfficer,
    AssignmentRule,
    CaseTaker,
    CoverPeriod,
)
from talentcase.common import clock
from talentcase.common.models import MAX_ID
from talentcase.common.roles import Role
from talentcase.extensions import db


class OwnerInvalid(ActionInvalid):
    """The officer asked for cannot own cases (not an active officer), or a cover period does not hold together."""


# --- pure choice ------------------------------------------------------------------------------------------------


def next_in_turn(officer_ids: Sequence[int], last_id: int | None) -> int | None:
    """Round robin: the officer after the last one given a case, in id order (the first when none was, or when the
    last one no longer takes cases)."""
    ordered = sorted(set(officer_ids))
    if not ordered:
        return None
    later = [officer_id for officer_id in ordered if last_id is not None and officer_id > last_id]
    return later[0] if later else ordered[0]


def choose_owner(
    rule: str, taker_ids: Sequence[int], last_id: int | None, area_officer_id: int | None = None
) -> int | None:
    """The owner of a new case: the area's officer under "by technology area" when one is named and still takes
    cases, else the next in turn among those who take cases."""
    if rule == BY_AREA and area_officer_id is not None and area_officer_id in taker_ids:
        return area_officer_id
    return next_in_turn(taker_ids, last_id)


# --- reading ----------------------------------------------------------------------------------------------------


def active_officers() -> list[User]:
    """Every enabled officer account, by name."""
    stmt = select(User).where(User.role == Role.OFFICER, User.is_enabled.is_(True))
    return list(db.session.scalars(stmt.order_by(User.name, User.email)))


def taker_ids(park: str) -> list[int]:
    """The enabled officers who take the park's new cases; every enabled officer when the park names none (a new
    installation, or a park nobody was set up for, still gets its cases owned)."""
    named = select(CaseTaker.user_id).join(User, User.id == CaseTaker.user_id)
    named = named.where(CaseTaker.park.in_((park, ALL_PARKS)), User.is_enabled.is_(True), User.role == Role.OFFICER)
    ids = list(db.session.scalars(named))
    return ids or [officer.id for officer in active_officers()]


def rule_of(park: str) -> AssignmentRule:
    """The park's assignment rule (round robin until an admin chooses), locked for the turn it is about to give."""
    rule = db.session.scalars(select(AssignmentRule).where(AssignmentRule.park == park).with_for_update()).first()
    if rule is None:
        rule = AssignmentRule(park=park, rule=ROUND_ROBIN)
        db.session.add(rule)
    return rule


def cover_on(officer_id: int, on: date) -> CoverPeriod | None:
    """The cover period for this officer on that day (the latest recorded when several overlap)."""
    stmt = select(CoverPeriod).where(
        CoverPeriod.officer_id == officer_id, CoverPeriod.starts_on <= on, CoverPeriod.ends_on >= on
    )
    return db.session.scalars(stmt.order_by(CoverPeriod.id.desc()).limit(1)).first()


def effective_owner(case: Case, on: date | None = None) -> User | None:
    """Whose the case is on that day (default today): the colleague covering for the owner while the owner is away
    and the case is open, else the owner; None before submission. Notices about the case go to this officer."""
    if case.owner_id is None:
        return None
    if case.status in workflow.OPEN_STATES:
        cover = cover_on(case.owner_id, on or clock.today())
        if cover is not None:
            return cover.covered_by
    return case.owner


def effective_owner_id(on: date) -> ColumnElement[int]:
    """`effective_owner(case, on).id` as a SQL expression over Case, for lists, filters and counts."""
    covering = (
        select(CoverPeriod.covered_by_id)
        .where(CoverPeriod.officer_id == Case.owner_id, CoverPeriod.starts_on <= on, CoverPeriod.ends_on >= on)
        .order_by(CoverPeriod.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    return case((Case.status.in_(workflow.OPEN_STATES), func.coalesce(covering, Case.owner_id)), else_=Case.owner_id)


def owned_by(officer_id: int, on: date) -> ColumnElement[bool]:
    """The case is this officer's on that day (their own and not covered, or covered by them); an id no integer
    column can hold is nobody's (PostgreSQL would raise "integer out of range")."""
    if not 0 < officer_id < MAX_ID:
        return false()
    return or_(Case.owner_id == officer_id, Case.owner_id.in_(_covered_for(officer_id, on))) & (
        effective_owner_id(on) == officer_id
    )


def _covered_for(officer_id: int, on: date):
    return select(CoverPeriod.officer_id).where(
        CoverPeriod.covered_by_id == officer_id, CoverPeriod.starts_on <= on, CoverPeriod.ends_on >= on
    )


# --- changing ---------------------------------------------------------------------------------------------------


def assign_owner(case: Case) -> User | None:
    """Give a newly submitted case its owner by its park's rule (kept when it already has one); flush."""
    if case.owner_id is not None:
        return case.owner
    park = case.company.park
    rule = rule_of(park)
    area_officer_id = None
    if rule.rule == BY_AREA:
        area_officer_id = db.session.scalar(
            select(AreaOfficer.user_id).where(AreaOfficer.park == park, AreaOfficer.tech_area == case.tech_area)
        )
    takers = taker_ids(park)
    owner_id = choose_owner(rule.rule, takers, rule.last_assigned_id, area_officer_id)
    if owner_id is None:
        return None  # no officer at all yet: the case waits unowned, shown as such, until one is assigned
    if owner_id != area_officer_id:
        rule.last_assigned_id = owner_id  # only a round-robin turn moves the turn on
    case.owner = db.session.get(User, owner_id)
    db.session.flush()
    return case.owner


def check_officer(officer: User | None) -> User:
    """The officer, if they can own cases; raises OwnerInvalid at the `owner` field otherwise."""
    if officer is None or officer.role != Role.OFFICER or not officer.is_enabled:
        raise OwnerInvalid(_("Choose an active park officer."), field="owner")
    return officer


def reassign(case: Case, officer: User | None) -> int | None:
    """Make the officer the case's owner; returns the previous owner's id. Only submitted cases have owners."""
    officer = check_officer(officer)
    if case.status == workflow.DRAFT:
        raise OwnerInvalid(_("A draft has no owner until the company submits it."), field="owner")
    previous = case.owner_id
    case.owner = officer
    db.session.flush()
    return previous


def record_cover(
    officer: User | None, covered_by: User | None, starts_on: date, ends_on: date, *, recorded_by: User | None
) -> CoverPeriod:
    """Record that the officer is away from one day to another (both included), covered by a colleague; flush."""
    officer = check_officer(officer)
    if covered_by is None or covered_by.role != Role.OFFICER or not covered_by.is_enabled:
        raise OwnerInvalid(_("Choose an active park officer to cover."), field="covered_by")
    if covered_by.id == officer.id:
        raise OwnerInvalid(_("Choose a colleague: an officer cannot cover for themself."), field="covered_by")
    if ends_on < starts_on:
        raise OwnerInvalid(_("The last day away cannot be before the first."), field="ends_on")
    period = CoverPeriod(
        officer_id=officer.id,
        covered_by_id=covered_by.id,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=getattr(recorded_by, "id", None),
    )
    db.session.add(period)
    db.session.flush()
    return period


def end_cover(period: CoverPeriod) -> None:
    """Remove a cover period (the officer is back, or it was recorded by mistake); flush."""
    db.session.delete(period)
    db.session.flush()


def covers_from(on: date) -> list[CoverPeriod]:
    """The cover periods that have not ended by that day, soonest first."""
    stmt = select(CoverPeriod).where(CoverPeriod.ends_on >= on)
    return list(db.session.scalars(stmt.order_by(CoverPeriod.starts_on, CoverPeriod.id)))


def set_rule(park: str, rule: str) -> AssignmentRule:
    """Choose how the park's new cases find their owner; flush."""
    row = rule_of(park)
    row.rule = rule
    db.session.flush()
    return row


def set_takers(officer: User, parks: Sequence[str]) -> None:
    """The parks whose new cases the officer takes (ALL_PARKS for every one; none: takes no new cases); flush."""
    check_officer(officer)
    wanted = set(parks)
    for row in db.session.scalars(select(CaseTaker).where(CaseTaker.user_id == officer.id)):
        if row.park in wanted:
            wanted.discard(row.park)
        else:
            db.session.delete(row)
    db.session.add_all(CaseTaker(user_id=officer.id, park=park) for park in sorted(wanted))
    db.session.flush()


def set_area_officer(park: str, tech_area: str, officer: User | None) -> None:
    """Name the officer who owns the park's new cases in the area (None: the area follows the round robin); flush."""
    row = db.session.scalars(
        select(AreaOfficer).where(AreaOfficer.park == park, AreaOfficer.tech_area == tech_area)
    ).first()
    if officer is None:
        if row is not None:
            db.session.delete(row)
    else:
        check_officer(officer)
        if row is None:
            row = AreaOfficer(park=park, tech_area=tech_area)
            db.session.add(row)
        row.user_id = officer.id
    db.session.flush()


@dataclass(frozen=True)
class OwnerPanel:
    """What the case page says of its owner: who, who covers today and until when, and the reassignments."""

    owner: User | None
    cover: CoverPeriod | None
    officers: list[tuple[int, str]]  # whom an officer may reassign to (empty for HR)
    history: list[tuple[AuditEntry, str, str]]  # (entry, from, to)


def owner_panel(case: Case, role: str, today: date) -> OwnerPanel:
    """The case page's owner section for this role (officers get the officers to choose and the history)."""
    cover = cover_on(case.owner_id, today) if case.owner_id and case.status in workflow.OPEN_STATES else None
    if role != Role.OFFICER:
        return OwnerPanel(case.owner, cover, [], [])
    entries = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "case_reassigned", AuditEntry.target_type == "case")
            .where(AuditEntry.target_id == case.id)
            .order_by(AuditEntry.id.desc())
            .limit(10)
        )
    )
    ids = {entry.detail.get(key) for entry in entries for key in ("from_owner", "to_owner")} - {None}
    names = {user.id: user.display_name for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    history = [
        (entry, names.get(entry.detail.get("from_owner"), "—"), names.get(entry.detail.get("to_owner"), "—"))
        for entry in entries
    ]
    officers = [(officer.id, officer.display_name) for officer in active_officers()]
    return OwnerPanel(case.owner, cover, officers, history)


def set_officer(officer: User, parks: Sequence[str], *, is_supervisor: bool) -> None:
    """The parks whose new cases the officer takes, and whether they supervise (hear of 75 % and breaches); flush."""
    set_takers(officer, parks)
    officer.is_supervisor = is_supervisor
    db.session.flush()


def taken_parks() -> dict[int, set[str]]:
    """Officer id → the parks whose new cases they take."""
    taken: dict[int, set[str]] = {}
    for user_id, park in db.session.execute(select(CaseTaker.user_id, CaseTaker.park)):
        taken.setdefault(user_id, set()).add(park)
    return taken


def area_officers() -> dict[tuple[str, str], int]:
    """(park, technology area) → the officer named for it."""
    return {(row.park, row.tech_area): row.user_id for row in db.session.scalars(select(AreaOfficer))}


def rules() -> dict[str, str]:
    """Park → its rule, for the parks an admin has set (the others go round robin)."""
    return {row.park: row.rule for row in db.session.scalars(select(AssignmentRule))}
