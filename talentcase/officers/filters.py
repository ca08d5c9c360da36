"""The all-cases list's filters, search and sort, parsed once and applied as SQL to both the page and the export.

One function builds the WHERE clause, so what the list shows and what the CSV export contains cannot drift apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, select
from werkzeug.datastructures import MultiDict

from talentcase.accounts.models import PARKS, Company, User
from talentcase.cases import labels, search, workflow
from talentcase.cases.models import Case
from talentcase.cases.policy import TECH_AREAS
from talentcase.cases.queries import id_is
from talentcase.sla import queries as states
from talentcase.sla.models import CaseClock

CLOCK_STATES = states.RUNNING_STATES


def next_due_on() -> ColumnElement[date]:
    """The case's earliest due date among its running, unpaused clocks (NULL when none runs)."""
    return (
        select(func.min(CaseClock.due_on))
        .where(CaseClock.case_id == Case.id, CaseClock.is_running.is_(True), CaseClock.is_paused.is_(False))
        .correlate(Case)
        .scalar_subquery()
    )


def last_officer_label() -> ColumnElement[str]:
    """The officer who last acted on the case (NULL when none), named as in the filter's list: the name, else the
    e-mail address; one primary-key seek on the cached last_officer_id."""
    return (
        select(func.coalesce(func.nullif(User.name, ""), User.email))
        .where(User.id == Case.last_officer_id)
        .correlate(Case)
        .scalar_subquery()
    )


def running_clock_state_is(state: str, today: date) -> ColumnElement[bool]:
    """A running clock is in this state today: `current_state(today) == state` for running rows, written as ranges
    on the running clocks' covering index (`talentcase.sla.queries.running_state_is`)."""
    return states.running_state_is(state, today)


def running_clock_in_state(state: str, today: date) -> ColumnElement[bool]:
    """The case has a running clock in this state today (as the API's `sla` filter), driven from the running clocks.

    An IN over the running clocks (indexed) rather than an EXISTS per case: its cost follows the open work, not the
    number of cases ever entered.
    """
    running = select(CaseClock.case_id).where(CaseClock.is_running.is_(True), running_clock_state_is(state, today))
    return Case.id.in_(running)


def status_rank() -> ColumnElement[int]:
    """A case's place in the case's life (draft first, then review, quota, visa, …, withdrawn last): the order an
    officer reads states in, not the codes' alphabetical one. A sort on it reads every filtered case; it is the one
    sort no index serves, asked for only when chosen."""
    return case(
        *((Case.status == status, rank) for rank, status in enumerate(workflow.STATES)), else_=len(workflow.STATES)
    )


# sort key: (label, ORDER BY). "recent" follows the primary key, so the default page needs no sort over all cases;
# the others each have an index in their order (officers/models.py), the due date through the cached sort key.
SORTS = {
    "recent": (_l("Most recently entered"), lambda: (Case.id.desc(),)),
    "due": (_l("Next due date"), lambda: (Case.due_order_on, Case.id)),
    "reference": (_l("Reference"), lambda: (Case.reference,)),
    "name": (_l("Candidate name"), lambda: (Case.full_name, Case.id)),
    "opened": (_l("Opened, oldest first"), lambda: (Case.opened_on, Case.id)),
    "status": (_l("Status"), lambda: (status_rank(), Case.id.desc())),
}


@dataclass(frozen=True)
class CaseFilters:
    """What the officer asked for; empty strings mean "any"."""

    q: str = ""
    status: str = ""
    sla: str = ""
    company: str = ""
    park: str = ""
    tech_area: str = ""
    officer: str = ""
    sort: str = "recent"

    @classmethod
    def from_args(cls, args: MultiDict) -> CaseFilters:
        """Read the query string, dropping anything that is not a known value (never an error, never a widening)."""

        def pick(name: str, allowed) -> str:
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""

        company = (args.get("company") or "").strip()
        officer = (args.get("officer") or "").strip()
        sort = (args.get("sort") or "recent").strip()
        return cls(
            q=(args.get("q") or "").strip()[:100],
            status=pick("status", labels.STATUS_NAMES),
            sla=pick("sla", CLOCK_STATES),
            company=company if company.isdigit() else "",
            park=pick("park", PARKS),
            tech_area=pick("tech_area", TECH_AREAS),
            officer=officer if officer.isdigit() else "",
            sort=sort if sort in SORTS else "recent",
        )

    def as_args(self, **changes: str) -> dict[str, str]:
        """The non-empty filters as query-string arguments (for pagination and the export link)."""
        values = {**asdict(self), **changes}
        return {key: value for key, value in values.items() if value and not (key == "sort" and value == "recent")}

    @property
    def is_filtered(self) -> bool:
        return any(value for key, value in asdict(self).items() if key != "sort")


def conditions(filters: CaseFilters, today: date) -> list[ColumnElement[bool]]:
    """The WHERE clauses for these filters."""
    where: list[ColumnElement[bool]] = []
    if filters.status:
        where.append(Case.status == filters.status)
    if filters.sla:
        where.append(running_clock_in_state(filters.sla, today))
    if filters.company:
        where.append(id_is(Case.company_id, int(filters.company)))
    if filters.park:
        where.append(Case.company_id.in_(select(Company.id).where(Company.park == filters.park)))
    if filters.tech_area:
        where.append(Case.tech_area == filters.tech_area)
    if filters.officer:
        where.append(id_is(Case.last_officer_id, int(filters.officer)))
    if filters.q:
        where.extend(search.matches(filters.q))
    return where


def filtered(stmt: Select, filters: CaseFilters, today: date) -> Select:
    """Apply the filters to a select over cases."""
    where = conditions(filters, today)
    return stmt.where(and_(*where)) if where else stmt


def ordered(stmt: Select, filters: CaseFilters) -> Select:
    """Apply the chosen sort."""
    return stmt.order_by(*SORTS[filters.sort][1]())
