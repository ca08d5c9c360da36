"""The console's figures as first written, in SQL over every row (window-function medians, months by string):
the oracle the faster queries in talentcase/officers/queries.py are compared with in test_scale.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


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
