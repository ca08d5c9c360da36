"""The case lists of the HR screens and the API: the same filters, the same search, the same clock badges.

Callers validate their own input (the page ignores a bad value, the API answers 422 naming it) and pass clean values.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, select
from sqlalchemy.orm import selectinload

from talentcase.cases import search
from talentcase.cases.models import Case, CaseEvent
from talentcase.common.models import MAX_ID
from talentcase.common.paging import Page, paginate
from talentcase.common.tenancy import visible
from talentcase.extensions import db
from talentcase.sla.engine import CLOCKS, CLOSING_ACTIONS
from talentcase.sla.models import CaseClock
from talentcase.sla.queries import case_has_running_clock_in_state, current_state


def case_list(
    user,
    *,
    today: date,
    status: str | None = None,
    sla_state: str | None = None,
    company_id: int | None = None,
    query: str = "",
) -> Select:
    """The cases `user` may see that match every given filter (search: each word starts a reference, passport
    number or name word of the case, through the search-terms index)."""
    stmt = visible(Case, user)
    if status:
        stmt = stmt.where(Case.status == status)
    if sla_state:
        stmt = stmt.where(case_has_running_clock_in_state(Case.id, sla_state, today))
    if company_id is not None:
        stmt = stmt.where(id_is(Case.company_id, company_id))
    if query.strip():
        stmt = stmt.where(*search.matches(query))
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
    """A page of the list in the order chosen, each case with its company."""
    ordered = stmt.options(selectinload(Case.company)).order_by(*SORTS.get(sort, SORTS["newest"]))
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
