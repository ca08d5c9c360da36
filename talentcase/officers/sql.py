"""Small SQL constructs the console needs on both SQLite and PostgreSQL: day differences, months, medians."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801  (reads as a SQL function)
    """Whole days from `earlier` to `later` (dates): later - earlier."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return f"(CAST({compiler.process(later, **kw)} AS DATE) - CAST({compiler.process(earlier, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}) AS INTEGER)"


class year_month(FunctionElement):  # noqa: N801
    """A date's month as 'YYYY-MM'."""

    type = String()
    inherit_cache = True
    name = "year_month"


@compiles(year_month)
def _year_month_default(element, compiler, **kw) -> str:
    (value,) = list(element.clauses)
    return f"to_char({compiler.process(value, **kw)}, 'YYYY-MM')"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw) -> str:
    (value,) = list(element.clauses)
    return f"strftime('%Y-%m', {compiler.process(value, **kw)})"


def median_by(group: ColumnElement[Any], value: ColumnElement[Any], *where: ColumnElement[bool]) -> Select:
    """SELECT group, median(value) ... GROUP BY group, with window functions (SQLite has no percentile function).

    Each group's rows are numbered in value order; the median is the mean of the one or two middle rows, which are
    those whose number r satisfies n <= 2r <= n + 2.
    """
    ranked = (
        select(
            group.label("grp"),
            value.label("val"),
            func.row_number().over(partition_by=group, order_by=value).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(*where)
        .subquery()
    )
    return (
        select(ranked.c.grp, func.avg(ranked.c.val))
        .where(and_(ranked.c.rn * 2 >= ranked.c.n, ranked.c.rn * 2 <= ranked.c.n + 2))
        .group_by(ranked.c.grp)
    )
