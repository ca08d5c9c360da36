"""One pager for every list: the page asked for in the query string, and a page of a statement's rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select

from talentcase.extensions import db

T = TypeVar("T")
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, the size of the whole list, its number, and how many pages there are."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def page_arg(args: Mapping[str, str], name: str = "page") -> int:
    """The page number in the query string; anything that is not one (missing, text, zero) is the first page."""
    try:
        return min(max(int(args.get(name, 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def page_count(total: int, per_page: int) -> int:
    """How many pages the rows fill; at least one, so that an empty list reads "page 1 of 1"."""
    return max(-(-total // per_page), 1)


def paginate(stmt: Select, *, page: int, per_page: int, clamp: bool = True) -> Page[Any]:
    """A page of the statement's entities, through Flask-SQLAlchemy's paginate (the rows, then one COUNT).

    clamp: a page past the end shows the last page (the screens); without it, it is empty (the API's contract)."""
    found = db.paginate(stmt, page=page, per_page=per_page, max_per_page=None, error_out=False)
    result = Page(items=found.items, total=found.total or 0, page=found.page, per_page=per_page)
    if clamp and result.page > result.pages:
        found = db.paginate(stmt, page=result.pages, per_page=per_page, max_per_page=None, error_out=False)
        result = Page(items=found.items, total=found.total or 0, page=found.page, per_page=per_page)
    return result
