"""The one pager: the page number from the query string, and a page of a statement's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from talentcase.accounts.models import User
from talentcase.common.paging import Page, page_arg, paginate


@pytest.mark.parametrize(
    ("args", "page"),
    [
        ({}, 1),
        ({"page": "3"}, 3),
        ({"page": "0"}, 1),
        ({"page": "-2"}, 1),
        ({"page": "x"}, 1),
        ({"page": ""}, 1),
        ({"page": "999999999"}, 100_000),
    ],
)
def test_page_arg_reads_a_page_number_and_falls_back_to_the_first(args, page):
    assert page_arg(args) == page


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (25, 1), (26, 2), (50, 2), (51, 3)])
def test_an_empty_list_still_has_one_page(total, pages):
    assert Page(items=[], total=total, page=1, per_page=25).pages == pages


def test_paginate_reads_one_page_and_a_page_past_the_end_shows_the_last(db, people):
    stmt = select(User).order_by(User.email)
    emails = sorted(user.email for user in db.session.scalars(select(User)))
    assert len(emails) == 4  # hr_a, hr_b, officer, admin
    first = paginate(stmt, page=1, per_page=3)
    assert [user.email for user in first.items] == emails[:3] and first.total == 4 and first.pages == 2
    last = paginate(stmt, page=99, per_page=3)
    assert last.page == 2 and [user.email for user in last.items] == emails[3:]
    beyond = paginate(stmt, page=99, per_page=3, clamp=False)
    assert beyond.page == 99 and list(beyond.items) == [] and beyond.total == len(emails)
