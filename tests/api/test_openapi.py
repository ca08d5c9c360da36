"""/api/v1/openapi.json: a valid OpenAPI 3.1 document that names every route, and real responses fit its schemas."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import jsonschema  # noqa: E402
import pytest
import referencing  # noqa: E402
import time_machine

from tests.api import NOON_TODAY, bearer, case_body, issue_tokens, make_case

DOC_URI = "urn:talentcase:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@pytest.fixture
def spec(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def _operations(spec: dict[str, Any]):
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method], item


def _refs(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_document_is_valid_openapi_3_1(spec):
    import openapi_spec_validator as validator

    validator.validate(spec)


def test_document_structure(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": "/api/v1"}]
    schemas = spec["components"]["schemas"]
    for name in ("Case", "CaseList", "CaseInput", "Event", "EventInput", "Clock", "SlaSummary", "Error"):
        assert schemas[name]["type"] == "object" or "allOf" in schemas[name], name
    for ref in _refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    operation_ids = [operation["operationId"] for _, _, operation, _ in _operations(spec)]
    assert len(operation_ids) == len(set(operation_ids))
    for path, method, operation, item in _operations(spec):
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        if path in ("/openapi.json",):
            continue
        assert "401" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "422"} <= set(responses), (method, path)
        if "{case_id}" in path:
            names = {parameter["name"] for parameter in item.get("parameters", []) + operation.get("parameters", [])}
            assert "case_id" in names and "404" in responses, (method, path)
    list_parameters = {p["name"] for p in spec["paths"]["/cases"]["get"]["parameters"]}
    assert list_parameters == {"status", "sla", "company", "waiting", "owner", "q", "page", "per_page"}
    case_input = schemas["CaseInput"]["properties"]
    assert set(case_input) == {"candidate", "position", "opened_on"}
    assert set(schemas["CandidateInput"]["properties"]) >= {"full_name", "nationality", "email", "years_experience"}


def test_every_api_route_is_documented(app, spec):
    documented = {(path, method) for path, method, _, _ in _operations(spec)}
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    assert routes, "no API routes found"
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations without a route"


class ResponseChecker:
    """Validates real responses against the document's response schemas, resolving $ref inside the document."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = referencing.Resource.from_contents(spec, default_specification=referencing.jsonschema.DRAFT202012)
        self.registry = referencing.Registry().with_resource(DOC_URI, resource)
        self.seen: set[tuple[str, str, str]] = set()

    def check(self, path: str, method: str, response) -> None:
        status = str(response.status_code)
        operation = self.spec["paths"][path][method]
        assert status in operation["responses"], f"{method.upper()} {path} answered {status}, not documented"
        assert response.is_json, f"{method.upper()} {path} {status} is not JSON"
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("paths", path, method, "responses", status, "content", "application/json", "schema")
        )
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{DOC_URI}#/{pointer}"},
            registry=self.registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(response.json), key=lambda error: list(error.absolute_path))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        self.seen.add((path, method, status))


def test_real_responses_match_the_schemas(app, client, db, people, spec):
    checker = ResponseChecker(spec)
    with time_machine.travel(NOON_TODAY, tick=False):
        tokens = issue_tokens(people)
        steps = [("submit", date(2026, 3, 16)), ("request_info", date(2026, 3, 17), "company")]
        paused = make_case(people["company_b"], chinese_name="陳", steps=steps)
        make_case(people["company_b"], steps=[("submit", date(2026, 3, 17))])
        db.session.commit()

        def call(role: str, method: str, url: str, path: str, **kwargs) -> dict[str, Any]:
            response = client.open(url, method=method.upper(), headers=bearer(tokens[role]), **kwargs)
            checker.check(path, method, response)
            return response.json

        created = call("hr_a", "post", "/api/v1/cases", "/cases", json={**case_body(), "opened_on": "2026-03-02"})
        one = f"/api/v1/cases/{created['id']}"
        call("hr_a", "post", "/api/v1/cases", "/cases", json=case_body(email="nope"))  # 422
        call("officer", "post", "/api/v1/cases", "/cases", json=case_body())  # 403
        call("hr_a", "post", "/api/v1/cases", "/cases", data="x", content_type="text/plain")  # 400
        call("anonymous", "get", "/api/v1/cases", "/cases")  # 401
        call("officer", "get", "/api/v1/cases?per_page=2", "/cases")
        call("officer", "get", "/api/v1/cases?sla=late", "/cases")  # 422

        call("hr_a", "get", one, "/cases/{case_id}")
        call("hr_b", "get", one, "/cases/{case_id}")  # 404
        call("officer", "get", f"/api/v1/cases/{paused.id}", "/cases/{case_id}")
        call("hr_a", "patch", one, "/cases/{case_id}", json={"candidate": {"date_of_birth": "1990-01-31"}})
        call("hr_a", "patch", one, "/cases/{case_id}", json={"candidate": {"date_of_birth": "yesterday"}})  # 422
        call("admin", "patch", one, "/cases/{case_id}", json={})  # 403

        events = "/cases/{case_id}/events"
        call("hr_a", "post", f"{one}/events", events, json={"action": "submit", "occurred_on": "2026-03-02"})
        call("hr_a", "patch", one, "/cases/{case_id}", json={})  # 409: under review
        call("officer", "post", f"{one}/events", events, json={"action": "lodge_quota"})  # 409
        call("hr_a", "post", f"{one}/events", events, json={"action": "accept"})  # 403
        call("officer", "post", f"{one}/events", events, json={"action": "accept", "occurred_on": "2027-01-01"})
        call("officer", "post", f"{one}/events", events, json={"action": "accept", "occurred_on": "2026-03-05"})
        call("hr_a", "post", f"{one}/events", events, json={"action": "lodge_quota", "occurred_on": "2026-03-06"})
        grant = {"action": "grant_quota", "occurred_on": "2026-03-13", "quota_places": 2}
        call("hr_a", "post", f"{one}/events", events, json=grant)
        call("hr_a", "post", f"{one}/events", events, data="[", content_type="application/json")  # 400
        draft = make_case(people["company_a"], degree_level="bachelor", years_experience=0)
        db.session.commit()
        call("hr_a", "post", f"/api/v1/cases/{draft.id}/events", events, json={"action": "submit"})  # 409 ineligible

        call("officer", "get", "/api/v1/sla/summary", "/sla/summary")
        call("hr_a", "get", "/api/v1/sla/summary", "/sla/summary")  # 403

    expected = {
        ("/cases", "post", "201"),
        ("/cases", "post", "400"),
        ("/cases", "post", "403"),
        ("/cases", "post", "422"),
        ("/cases", "get", "200"),
        ("/cases", "get", "401"),
        ("/cases", "get", "422"),
        ("/cases/{case_id}", "get", "200"),
        ("/cases/{case_id}", "get", "404"),
        ("/cases/{case_id}", "patch", "200"),
        ("/cases/{case_id}", "patch", "403"),
        ("/cases/{case_id}", "patch", "409"),
        ("/cases/{case_id}", "patch", "422"),
        ("/cases/{case_id}/events", "post", "201"),
        ("/cases/{case_id}/events", "post", "400"),
        ("/cases/{case_id}/events", "post", "403"),
        ("/cases/{case_id}/events", "post", "409"),
        ("/cases/{case_id}/events", "post", "422"),
        ("/sla/summary", "get", "200"),
        ("/sla/summary", "get", "403"),
    }
    assert expected <= checker.seen


def test_schemas_refuse_what_the_api_never_sends(spec):
    """The response schemas are strict enough to catch a drifting serializer."""
    checker = ResponseChecker(spec)
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{DOC_URI}#/components/schemas/Event"},
        registry=checker.registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    good = {
        "sequence": 1,
        "action": "submit",
        "occurred_on": "2026-03-02",
        "recorded_at": "2026-03-02T10:00:00+08:00",
        "actor": "hr@alpha.test",
        "actor_role": "hr",
        "note": "",
        "party": None,
        "from_status": "draft",
        "to_status": "review",
        "detail": {},
    }
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "occurred_on": "02/03/2026"})
    assert not validator.is_valid({**good, "surprise": 1})
    assert not validator.is_valid({key: value for key, value in good.items() if key != "recorded_at"})
