"""Schemathesis against the generated /api/v1/openapi.json, with the path parameters pinned to a real case, its
uploaded document and its pack job, so that the generated bodies reach the endpoints' real answers (200, 201, 409,
422) rather than 404s: none is a server error, and every answer fits the schema it was generated from. Bounded so
that it takes seconds."""

from __future__ import annotations

import contextvars
import io

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api import case_body
from tests.documents.test_document_views import make_pdf
from tests.security.test_schemathesis import CHECKS  # what the API promises, declared once

MAX_EXAMPLES = 8


@pytest.fixture
def pinned(app, api, frozen) -> dict[str, str]:
    """A draft of company A opened through the API, with one upload: the ids every generated request is sent to."""
    case_id = api("hr_a", "post", "/api/v1/cases", json=case_body()).json["id"]
    upload = api(
        "hr_a",
        "post",
        f"/api/v1/cases/{case_id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(make_pdf()), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.json
    return {"case_id": str(case_id), "document_id": str(upload.json["id"])}


@pytest.mark.parametrize("role", ["hr_a", "officer"])
def test_generated_requests_on_a_real_case_fit_the_generated_document(app, tokens, pinned, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case) -> None:
            case.headers = {**(case.headers or {}), **headers}
            if case.path_parameters:
                case.path_parameters = {name: pinned.get(name, value) for name, value in case.path_parameters.items()}
            response = contextvars.Context().run(case.call)  # each call in its own app context, as in production
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # every operation's problem, then one failure with all of them
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
