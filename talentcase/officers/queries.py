"""The officer home's figures and the all-cases list, each one set-based SQL over cases and their cached clock rows.

Every function issues one or two statements whatever the number of cases; rows come back already grouped (per
clock and state, per party, per company, per week, per month) or limited (the queues and the list's page), never one
per case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, Row, case, cast, func, literal, select

from talentcase.accounts.models import Company, User
from talentcase.cases import workflow
from talentcase.cases.models import Case, CaseEvent, Quota
from talentcase.common.paging import Page, page_count
from talentcase.common.tenancy import visible
from talentcase.extensions import db
from talentcase.officers.filters import (
    AGE_BUCKETS,
    CaseFilters,
    covering_label,
    filtered,
    last_officer_label,
    ordered,
    owner_label,
    waiting_party,
)
from talentcase.officers.models import STOPPED_OVERALL
from talentcase.officers.sql import days_between
from talentcase.officers.trends import VISA_ISSUED, histogram_median
from talentcase.sla.models import CaseClock
from talentcase.sla.queries import RUNNING_STATES, running_state, running_state_is

QUOTA_EXPIRY_WARNING_DAYS = 60
QUEUE_LIMIT = 15
LIST_COLUMNS = (
    Case.id,
    Case.reference,
    Case.full_name,
    Case.chinese_name,
    Case.tech_area,
    Case.status,
    Case.paused_party,
    Company.name.label("company"),
    Company.park,
)


@dataclass(frozen=True)
class QueueRow:
    """One running clock in the at-risk queue or the breaches list."""

    case_id: int
    reference: str
    full_name: str
    company: str
    status: str
    clock: str
    due_on: date
    days_left: int  # negative once breached
    # The party asked for information while the case is paused (a breached clock stays in the list, paused or not).
    paused_party: str | None = None


@dataclass(frozen=True)
class WaitingRow:
    """Open cases waiting on one party: how many, for how long, and the longest waits."""

    party: str
    cases: int = 0
    average_days: float = 0.0
    longest_days: int = 0
    longest: list[tuple[int, str, int]] = field(default_factory=list)  # (case id, reference, days)


@dataclass
class CompanyRow:
    """One company's line: open cases, visas in the last 90 days, and its valid quota places."""

    company_id: int
    name: str
    park: str
    open_cases: int = 0
    visas: int = 0
    visas_within_target: int = 0
    median_days: float | None = None
    places: int = 0
    reserved: int = 0
    used: int = 0
    expiring: int = 0

    @property
    def share_within_target(self) -> float | None:
        return self.visas_within_target / self.visas if self.visas else None

    @property
    def free(self) -> int:
        return max(self.places - self.reserved - self.used, 0)


def clock_state_counts(today: date) -> dict[str, dict[str, int]]:
    """Running clocks per clock and state today: {"review": {"on_track": 3, "at_risk": 1, ...}, ...}.

    The state of a running clock follows from its pause, cached state and dates alone (`running_state`), all columns
    of the running clocks' covering index, so the count reads that index and nothing else.
    """
    state = running_state(today).label("state")
    rows = db.session.execute(
        select(CaseClock.name, state, func.count())
        .where(CaseClock.is_running.is_(True))
        .group_by(CaseClock.name, state)
    )
    counts = {name: dict.fromkeys(RUNNING_STATES, 0) for name in ("review", "quota", "visa", "overall")}
    for name, state_value, count in rows:
        counts.setdefault(name, dict.fromkeys(RUNNING_STATES, 0))[state_value] = count
    return counts


def _queue(today: date, *conditions, order_by, limit: int) -> list[QueueRow]:
    stmt = (
        select(
            Case.id,
            Case.reference,
            Case.full_name,
            Company.name,
            Case.status,
            Case.paused_party,
            CaseClock.name,
            CaseClock.due_on,
        )
        .join(Case, Case.id == CaseClock.case_id)
        .join(Company, Company.id == Case.company_id)
        .where(CaseClock.is_running.is_(True), *conditions)
        .order_by(*order_by)
        .limit(limit)
    )
    return [
        QueueRow(case_id, reference or "", name, company, status, clock, due_on, (due_on - today).days, paused_party)
        for case_id, reference, name, company, status, paused_party, clock, due_on in db.session.execute(stmt)
    ]


def at_risk_queue(today: date, limit: int = QUEUE_LIMIT) -> list[QueueRow]:
    """Running clocks at risk today, the least time left first."""
    return _queue(today, running_state_is("at_risk", today), order_by=(CaseClock.due_on, CaseClock.id), limit=limit)


def breaches(today: date, limit: int = QUEUE_LIMIT) -> list[QueueRow]:
    """Running clocks past their due date, paused or not, the longest overdue first."""
    return _queue(today, running_state_is("breached", today), order_by=(CaseClock.due_on, CaseClock.id), limit=limit)


def waiting_on(today: date, longest_per_party: int = 3) -> dict[str, WaitingRow]:
    """Open, submitted cases by the party they wait on now, with days since the case's last event."""
    last_event_on = select(func.max(CaseEvent.occurred_on)).where(CaseEvent.case_id == Case.id).scalar_subquery()
    # Materialised once: inlined, the per-case last-event lookup ran again for the window's order, count and mean.
    # Read from the (status, submitted_on, paused_party) index alone; the references of the few longest waits are
    # joined at the end.
    waiting = (
        select(
            Case.id.label("case_id"),
            waiting_party().label("party"),
            days_between(literal(today), func.coalesce(last_event_on, Case.submitted_on)).label("days"),
        )
        .where(Case.status.in_(workflow.SUBMITTED_STATES))
        .cte("waiting")
        .prefix_with("MATERIALIZED")
    )
    ranked = select(
        waiting,
        func.row_number()
        .over(partition_by=waiting.c.party, order_by=(waiting.c.days.desc(), waiting.c.case_id))
        .label("rn"),
        func.count().over(partition_by=waiting.c.party).label("n"),
        func.avg(waiting.c.days).over(partition_by=waiting.c.party).label("mean"),
    ).subquery()
    rows = db.session.execute(
        select(ranked.c.party, ranked.c.n, ranked.c.mean, ranked.c.case_id, Case.reference, ranked.c.days)
        .join(Case, Case.id == ranked.c.case_id)
        .where(ranked.c.rn <= longest_per_party)
        .order_by(ranked.c.party, ranked.c.rn)
    )
    result = {party: WaitingRow(party) for party in workflow.WAITING_PARTIES}
    for party, count, mean, case_id, reference, days in rows:
        row = result.get(party) or WaitingRow(party)
        if not row.longest:
            row = WaitingRow(party, int(count), round(float(mean or 0), 1), int(days or 0), [])
            result[party] = row
        row.longest.append((case_id, reference or "", int(days or 0)))
    return result


def ageing(today: date) -> list[tuple[str, int]]:
    """Open, submitted cases by days since submission, in AGE_BUCKETS order."""
    age = days_between(literal(today), Case.submitted_on)
    bucket = case(
        *((age <= high, literal(label)) for label, _low, high in AGE_BUCKETS if high is not None),
        else_=literal(AGE_BUCKETS[-1][0]),
    ).label("bucket")
    rows = dict(
        db.session.execute(
            select(bucket, func.count()).where(Case.status.in_(workflow.SUBMITTED_STATES)).group_by(bucket)
        ).all()
    )
    return [(label, rows.get(label, 0)) for label, _low, _high in AGE_BUCKETS]


def case_page(user: User, filters: CaseFilters, today: date, *, page: int, per_page: int) -> Page[Row]:
    """A page of the all-cases list (a page past the end is the last one), in two statements: the count, then the
    page's rows with their company and last officer."""
    base = visible(Case, user)
    # count(*), not count(id): with no filter SQLite answers it from its smallest index without reading the rows.
    total = db.session.scalar(filtered(base.with_only_columns(func.count()).select_from(Case), filters, today)) or 0
    page = min(page, page_count(total, per_page))
    # The page's ids first, from the filters and the sort alone; the joins then fetch only those rows, instead of
    # joining every row that a deep page's OFFSET skips.
    page_ids = (
        ordered(filtered(select(Case.id), filters, today), filters)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = db.session.execute(
        ordered(
            select(
                *LIST_COLUMNS,
                last_officer_label().label("last_officer"),
                owner_label().label("owner"),
                covering_label(today).label("covering"),
            )
            .join(page_ids, page_ids.c.id == Case.id)
            .join(Company, Company.id == Case.company_id),
            filters,
        )
    ).all()
    return Page(items=rows, total=total, page=page, per_page=per_page)


def companies(today: date) -> list[CompanyRow]:
    """One row per company with open cases, recent visas or valid quota, the most open cases first."""
    rows: dict[int, CompanyRow] = {}

    def row(company_id: int) -> CompanyRow:
        return rows.setdefault(company_id, CompanyRow(company_id, "", ""))

    open_counts = select(Case.company_id, func.count()).where(Case.status.in_(workflow.OPEN_STATES))
    for company_id, count in db.session.execute(open_counts.group_by(Case.company_id)):
        row(company_id).open_cases = count
    _add_recent_visas(row, today)
    _add_quota_places(row, today)
    if rows:
        names = select(Company.id, Company.name, Company.park).where(Company.id.in_(list(rows)))
        for company_id, name, park in db.session.execute(names):
            rows[company_id].name, rows[company_id].park = name, park
    return sorted(rows.values(), key=lambda item: (-item.open_cases, -item.visas, item.name))


def _add_recent_visas(row: Callable[[int], CompanyRow], today: date) -> None:
    """Visas of the last 90 days as one histogram per company (days to visa, within target): count, share, median."""
    days = days_between(CaseClock.stopped_on, CaseClock.started_on)
    is_met = cast(CaseClock.state == "met", Integer)
    # The company comes from the case, so the visa check is the joined case's own state (its narrow index has both).
    visa_stats = (
        select(Case.company_id, days, is_met, func.count())
        .join(Case, Case.id == CaseClock.case_id)
        .where(STOPPED_OVERALL, CaseClock.stopped_on >= today - timedelta(days=90), Case.status.in_(VISA_ISSUED))
        .group_by(Case.company_id, days, is_met)
    )
    histograms: dict[int, dict[int, int]] = {}
    for company_id, day_count, met, count in db.session.execute(visa_stats):
        target = row(company_id)
        target.visas += count
        target.visas_within_target += count if met else 0
        histogram = histograms.setdefault(company_id, {})
        histogram[day_count] = histogram.get(day_count, 0) + count
    for company_id, histogram in histograms.items():
        median = histogram_median(histogram)
        row(company_id).median_days = None if median is None else round(median, 1)


def _add_quota_places(row: Callable[[int], CompanyRow], today: date) -> None:
    """Each company's places on valid quotas: reserved, used, and free ones on quotas that end soon."""
    # Only the places of valid quotas are read (through the quota index): their number is bounded by the places.
    valid_quotas = select(Quota.id).where(Quota.valid_until >= today, Quota.granted_on <= today)
    taken = (
        select(
            Case.quota_id,
            func.sum(cast(Case.quota_place == "reserved", Integer)).label("reserved"),
            func.sum(cast(Case.quota_place == "used", Integer)).label("used"),
        )
        .where(Case.quota_id.in_(valid_quotas), Case.quota_place.in_(("reserved", "used")))
        .group_by(Case.quota_id)
        .subquery()
    )
    reserved = func.coalesce(taken.c.reserved, 0)
    used = func.coalesce(taken.c.used, 0)
    expiring = case(
        (Quota.valid_until <= today + timedelta(days=QUOTA_EXPIRY_WARNING_DAYS), Quota.places - reserved - used),
        else_=0,
    )
    quota_stmt = (
        select(Quota.company_id, func.sum(Quota.places), func.sum(reserved), func.sum(used), func.sum(expiring))
        .outerjoin(taken, taken.c.quota_id == Quota.id)
        .where(Quota.valid_until >= today, Quota.granted_on <= today)
        .group_by(Quota.company_id)
    )
    for company_id, places, reserved_count, used_count, expiring_count in db.session.execute(quota_stmt):
        target = row(company_id)
        target.places, target.reserved, target.used = int(places or 0), int(reserved_count or 0), int(used_count or 0)
        target.expiring = max(int(expiring_count or 0), 0)
