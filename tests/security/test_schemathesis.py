"""Schemathesis against /api/v1/openapi.json: generated requests find no server error and no response that
breaks the schema (bounded examples so that it fits in `make test`)."""

from __future__ import annotations

import contextvars

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from talentcase.accounts.services import issue_token
from talentcase.cases import services
from tests.packs.helpers import VALUES

MAX_EXAMPLES = 12
# What the API promises: no server error, documented status codes and content types, bodies that fit the schema.
# (Business rules a schema cannot say, such as "a date of birth in the past", may still answer 422.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api(app, db, people):
    case = services.open_case(people["company_a"], VALUES, creator=people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"])
    tokens = {role: issue_token(people[user])[1] for role, user in (("hr", "hr_a"), ("officer", "officer"))}
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), tokens


def _operations(schema) -> list:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "every endpoint of the API should be in the document"
    return operations


@pytest.mark.parametrize("role", ["hr", "officer"])
def test_generated_requests_never_error_and_always_match_the_schema(api, role):
    schema, tokens = api
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    failures: list[str] = []
    for operation in _operations(schema):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case) -> None:
            # Our token replaces the generated one; each call gets its own app context, as in production.
            case.headers = {**(case.headers or {}), **headers}
            response = contextvars.Context().run(case.call)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # collect every operation's problem, then fail once with all of them
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
