"""The case lists of the HR screens and the API: the same filters, the same search, the same clock badges.

Callers validate their own input (the page ignores a bad value, the API answers 422 naming it) and pass clean values.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, select
from sqlalchemy.orm import selectinload

from talentcase.accounts.models import Company
from talentcase.cases import ownership, search, todo, workflow
from talentcase.cases.models import Case, CaseEvent
from talentcase.common.models import MAX_ID
from talentcase.common.paging import Page, paginate
from talentcase.common.tenancy import visible
from talentcase.extensions import db
from talentcase.sla.engine import CLOCKS, CLOSING_ACTIONS
from talentcase.sla.models import CaseClock
from talentcase.sla.queries import STATES, case_has_running_clock_in_state, current_state, state_counts


def case_list(
    user,
    *,
    today: date,
    status: str | None = None,
    sla_state: str | None = None,
    company_id: int | None = None,
    query: str = "",
    waiting: str | None = None,
    now: datetime | None = None,
    owner_id: int | None = None,
) -> Select:
    """The cases `user` may see that match every given filter (search: each word starts a reference, passport
    number or name word of the case, through the search-terms index; `waiting`: one of todo.WAITING, judged at
    `now`)."""
    stmt = visible(Case, user)
    if status:
        stmt = stmt.where(Case.status == status)
    if sla_state:
        stmt = stmt.where(case_has_running_clock_in_state(Case.id, sla_state, today))
    if company_id is not None:
        stmt = stmt.where(id_is(Case.company_id, company_id))
    if query.strip():
        stmt = stmt.where(*search.matches(query))
    if waiting and now is not None:
        stmt = stmt.where(todo.waiting_on(waiting, now))
    if owner_id is not None:
        stmt = stmt.where(ownership.owned_by(owner_id, today))
    return stmt


# The HR list's orders; an unknown sort is the newest first.
SORTS = {
    "newest": (Case.opened_on.desc(), Case.id.desc()),
    "oldest": (Case.opened_on.asc(), Case.id.asc()),
    "reference": (Case.reference.asc(),),
    "name": (Case.full_name.asc(), Case.id.asc()),
    "status": (Case.status.asc(), Case.id.desc()),
}


def case_page(stmt: Select, *, sort: str, page: int, per_page: int) -> Page[Case]:
    """A page of the list in the order chosen, each case with its company and its expected dates."""
    ordered = stmt.options(selectinload(Case.company), selectinload(Case.forecast_row)).order_by(
        *SORTS.get(sort, SORTS["newest"])
    )
    return paginate(ordered, page=page, per_page=per_page)


def id_is(column: ColumnElement[int], value: int) -> ColumnElement[bool]:
    """The column equals this id; an id no integer column can hold matches nothing (rather than overflowing the
    database's integer: PostgreSQL raises "integer out of range")."""
    return column == value if 0 < value < MAX_ID else false()


def ended_early() -> ColumnElement[bool]:
    """The clock was stopped by a rejection or a withdrawal (the engine's `ClockResult.is_ended_early`), read from the
    events: a closing action on the day it stopped, and not its own stop action that day (which came first)."""

    def event_on_stop_day(action) -> ColumnElement[bool]:
        return exists().where(
            CaseEvent.case_id == CaseClock.case_id, CaseEvent.occurred_on == CaseClock.stopped_on, action
        )

    own_stop = case(*((CaseClock.name == spec.name, spec.stop_action) for spec in CLOCKS))
    return and_(
        CaseClock.stopped_on.is_not(None),
        event_on_stop_day(CaseEvent.action.in_(CLOSING_ACTIONS)),
        ~event_on_stop_day(CaseEvent.action == own_stop),
    )


def shown_state(today: date) -> ColumnElement[str]:
    """A clock's state today as the screens show it: `current_state`, with "stopped" for a met clock that a
    rejection or withdrawal ended (it reached no target)."""
    state = current_state(today)
    return case((and_(state == "met", ended_early()), "stopped"), else_=state)


def clock_badges(case_ids: list[int], today: date) -> dict[int, list[tuple[str, str, date, bool]]]:
    """Each case's clocks in order as (name, state today, due date, is paused), in one query for a page of cases.
    A clock a rejection or withdrawal stopped shows as "stopped": `met` by the design's rule, but it reached no
    target. A breached clock may be paused too: the badge says so beside the breach."""
    badges: dict[int, list[tuple[str, str, date, bool]]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        rows = db.session.execute(
            select(CaseClock.case_id, CaseClock.name, CaseClock.due_on, shown_state(today), CaseClock.is_paused)
            .where(CaseClock.case_id.in_(case_ids))
            .order_by(CaseClock.case_id, CaseClock.position)
        )
        for case_id, name, due_on, state, is_paused in rows:
            badges[case_id].append((name, state, due_on, is_paused))
    return badges


def _zero_counts() -> dict[str, dict[str, int]]:
    return {spec.name: dict.fromkeys(STATES, 0) for spec in CLOCKS}


def sla_summary(user, today: date) -> tuple[dict[str, dict[str, int]], list[dict]]:
    """The SLA summary of the cases the user sees: counts per clock and state, and per company (with its open cases)."""
    case_ids = visible(Case, user).with_only_columns(Case.id)
    clocks = _zero_counts()
    for name, counts in state_counts(today, case_ids).items():
        clocks[name].update(counts)
    state = current_state(today).label("state")
    per_company: dict[int, dict[str, dict[str, int]]] = {}
    for company_id, name, state_value, count in db.session.execute(
        select(Case.company_id, CaseClock.name, state, func.count())
        .join(Case, Case.id == CaseClock.case_id)
        .where(Case.id.in_(case_ids))
        .group_by(Case.company_id, CaseClock.name, state)
    ):
        per_company.setdefault(company_id, _zero_counts())[name][state_value] = count
    open_cases = (
        select(Company.id, Company.name, func.count(Case.id))
        .outerjoin(Case, and_(Case.company_id == Company.id, Case.status.in_(workflow.OPEN_STATES)))
        .group_by(Company.id, Company.name)
        .order_by(Company.name)
    )
    companies = [
        {"id": company_id, "name": name, "open_cases": count, "clocks": per_company.get(company_id, _zero_counts())}
        for company_id, name, count in db.session.execute(open_cases)
    ]
    return clocks, companies
