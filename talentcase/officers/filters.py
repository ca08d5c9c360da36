"""The all-cases list's filters, search and sort, parsed once and applied as SQL to both the page and the export.

One function builds the WHERE clause, so what the list shows and what the CSV export contains cannot drift apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from werkzeug.datastructures import MultiDict

from talentcase.accounts.models import PARKS, Company, User
from talentcase.cases import labels, ownership, search, workflow
from talentcase.cases.models import Case
from talentcase.cases.policy import TECH_AREAS
from talentcase.cases.queries import id_is
from talentcase.officers.sql import days_between
from talentcase.sla import queries as states
from talentcase.sla.models import CaseClock

CLOCK_STATES = states.RUNNING_STATES
CLOCKS = ("review", "quota", "visa", "overall")
# Ageing of open, submitted cases by days since submission: (label, lowest day, highest day or None).
AGE_BUCKETS = (
    ("0–7", 0, 7),
    ("8–14", 8, 14),
    ("15–21", 15, 21),
    ("22–28", 22, 28),
    ("29–42", 29, 42),
    ("43+", 43, None),
)
# The owner filter's words besides an officer's id: the viewer's own cases, and cases nobody owns yet.
OWNER_ME = "me"
OWNER_NONE = "none"


def waiting_party() -> ColumnElement[str]:
    """Whom a case waits on now: the party asked while paused, else its stage's owner (the park officer in review,
    the company preparing, the authority deciding)."""
    stage_owner = case(
        *((Case.status == status, literal(owner)) for status, owner in workflow.STAGE_OWNER.items()),
        else_=literal("company"),
    )
    return func.coalesce(Case.paused_party, stage_owner)


def age_in(bucket: int, today: date) -> ColumnElement[bool]:
    """An open, submitted case submitted within the AGE_BUCKETS bucket's days before today."""
    _label, low, high = AGE_BUCKETS[bucket]
    age = days_between(literal(today), Case.submitted_on)
    in_bucket = age >= low if high is None else and_(age >= low, age <= high)
    return and_(Case.status.in_(workflow.SUBMITTED_STATES), in_bucket)


def owner_label() -> ColumnElement[str]:
    """The owning officer's name, else e-mail address (NULL before submission)."""
    return (
        select(func.coalesce(func.nullif(User.name, ""), User.email))
        .where(User.id == Case.owner_id)
        .correlate(Case)
        .scalar_subquery()
    )


def covering_label(today: date) -> ColumnElement[str]:
    """The colleague covering for the owner today while the case is open (NULL when nobody is)."""
    covering = ownership.effective_owner_id(today)
    label = select(func.coalesce(func.nullif(User.name, ""), User.email)).where(User.id == covering)
    return case((covering != Case.owner_id, label.scalar_subquery()), else_=None)


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


def running_clock_in_state(state: str, today: date, clock: str = "") -> ColumnElement[bool]:
    """The case has a running clock in this state today (as the API's `sla` filter), of that name when one is given
    (any state when none is), driven from the running clocks.

    An IN over the running clocks (indexed) rather than an EXISTS per case: its cost follows the open work, not the
    number of cases ever entered.
    """
    running = select(CaseClock.case_id).where(CaseClock.is_running.is_(True))
    if state:
        running = running.where(running_clock_state_is(state, today))
    if clock:
        running = running.where(CaseClock.name == clock)
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
    owner: str = ""
    clock: str = ""
    waiting: str = ""
    age: str = ""
    open: str = ""
    drafts: str = ""
    sort: str = "recent"
    # The signed-in officer, for owner=me: not a filter of its own (never in the query string).
    viewer_id: int | None = None

    @classmethod
    def from_args(cls, args: MultiDict, viewer_id: int | None = None) -> CaseFilters:
        """Read the query string, dropping anything that is not a known value (never an error, never a widening)."""

        def pick(name: str, allowed) -> str:
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""

        company = (args.get("company") or "").strip()
        officer = (args.get("officer") or "").strip()
        sort = (args.get("sort") or "recent").strip()
        owner = (args.get("owner") or "").strip()
        return cls(
            q=(args.get("q") or "").strip()[:100],
            status=pick("status", labels.STATUS_NAMES),
            sla=pick("sla", CLOCK_STATES),
            company=company if company.isdigit() else "",
            park=pick("park", PARKS),
            tech_area=pick("tech_area", TECH_AREAS),
            officer=officer if officer.isdigit() else "",
            owner=owner if owner.isdigit() or owner == OWNER_NONE or (owner == OWNER_ME and viewer_id) else "",
            clock=pick("clock", CLOCKS),
            waiting=pick("waiting", workflow.WAITING_PARTIES),
            age=pick("age", [str(bucket) for bucket in range(len(AGE_BUCKETS))]),
            open=pick("open", ("1",)),
            drafts=pick("drafts", ("1",)),
            sort=sort if sort in SORTS else "recent",
            viewer_id=viewer_id,
        )

    def as_args(self, **changes: str) -> dict[str, str]:
        """The non-empty filters as query-string arguments (for pagination and the export link)."""
        values = {**asdict(self), **changes}
        values.pop("viewer_id")
        return {key: value for key, value in values.items() if value and not (key == "sort" and value == "recent")}

    @property
    def is_filtered(self) -> bool:
        return any(value for key, value in asdict(self).items() if key not in ("sort", "viewer_id"))

    @property
    def shows_drafts(self) -> bool:
        """Drafts are the companies' own until submitted: listed only when asked for (the filter, or the state)."""
        return self.drafts == "1" or self.status == workflow.DRAFT


def conditions(filters: CaseFilters, today: date) -> list[ColumnElement[bool]]:
    """The WHERE clauses for these filters."""
    where: list[ColumnElement[bool]] = []
    if filters.status:
        where.append(Case.status == filters.status)
    if not filters.shows_drafts:
        where.append(Case.status != workflow.DRAFT)
    if filters.open:
        where.append(Case.status.in_(workflow.OPEN_STATES))
    if filters.sla or filters.clock:
        where.append(running_clock_in_state(filters.sla, today, filters.clock))
    if filters.waiting:
        where.append(and_(Case.status.in_(workflow.SUBMITTED_STATES), waiting_party() == filters.waiting))
    if filters.age:
        where.append(age_in(int(filters.age), today))
    where.extend(_owner_conditions(filters, today))
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


def _owner_conditions(filters: CaseFilters, today: date) -> list[ColumnElement[bool]]:
    """The owner filter: whose the case is today (covering included), or no owner yet."""
    if filters.owner == OWNER_NONE:
        return [Case.owner_id.is_(None)]
    if filters.owner == OWNER_ME and filters.viewer_id:
        return [ownership.owned_by(filters.viewer_id, today)]
    if filters.owner.isdigit():
        return [ownership.owned_by(int(filters.owner), today)]
    return []


def filtered(stmt: Select, filters: CaseFilters, today: date) -> Select:
    """Apply the filters to a select over cases."""
    where = conditions(filters, today)
    return stmt.where(and_(*where)) if where else stmt


def ordered(stmt: Select, filters: CaseFilters) -> Select:
    """Apply the chosen sort."""
    return stmt.order_by(*SORTS[filters.sort][1]())
