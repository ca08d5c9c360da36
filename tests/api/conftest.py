"""Fixtures of the JSON API tests: a frozen "today", a token per role, and a caller per role."""

from __future__ import annotations

import pytest
import time_machine

from talentcase.cases.models import Case
from tests.api import NOON_TODAY, TODAY, bearer, issue_tokens, make_case


@pytest.fixture
def frozen():
    """Hong Kong "today" is TODAY for the whole test."""
    with time_machine.travel(NOON_TODAY, tick=False):
        yield TODAY


@pytest.fixture
def tokens(db, people) -> dict[str, str | None]:
    tokens = issue_tokens(people)
    db.session.commit()
    return tokens


@pytest.fixture
def api(client, tokens):
    """Call the API as a role: api("hr_a", "get", "/api/v1/cases", json=...)."""

    def call(role: str, method: str, path: str, **kwargs):
        return client.open(path, method=method.upper(), headers=bearer(tokens[role]), **kwargs)

    return call


@pytest.fixture
def case_a(db, people, frozen) -> Case:
    """A draft of company A."""
    case = make_case(people["company_a"])
    db.session.commit()
    return case
