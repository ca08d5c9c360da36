"""Officer console fixtures: a frozen Hong Kong day and cases walked to chosen states through the real services."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import event

from tests.cases.helpers import act, make_case, walk_to

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def case_at(db, people, company, status: str, *, start: date = date(2026, 3, 2), step_days: int = 1, **values):
    """A case of the company walked along the main line to `status` (HR of company A acts for either company)."""
    case = make_case(company, opened_on=min(start, date(2026, 3, 1)), **values)
    if status != "draft":
        walk_to(case, status, people, start=start, step_days=step_days)
    db.session.commit()
    return case


def count_queries(db, client, path: str) -> int:
    """How many SQL statements one GET issues, its streamed body included (a CSV export queries as it is read)."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(path)
        response.get_data()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200, path
    return len(statements)


__all__ = ["TODAY", "act", "case_at", "count_queries"]
