"""The company's declarations over JSON: `null` until answered (never a default of true), true / false / null
accepted by POST and PATCH, and a submit refused (422) naming each one still unanswered."""

from __future__ import annotations

from datetime import date

from tests.api import case_body

DECLARATIONS = {
    "candidate": ("is_stem_degree", "is_top100_university"),
    "position": ("is_full_time", "is_principally_rd", "local_hire_confirmed"),
}


def _unanswered_body() -> dict:
    body = case_body()
    for group, names in DECLARATIONS.items():
        for name in names:
            body[group].pop(name, None)
    return body


def _declarations(case: dict) -> dict[str, bool | None]:
    return {f"{group}.{name}": case[group][name] for group, names in DECLARATIONS.items() for name in names}


def test_a_case_opened_without_declarations_shows_them_as_null(api, frozen):
    created = api("hr_a", "post", "/api/v1/cases", json=_unanswered_body())
    assert created.status_code == 201
    assert set(_declarations(created.json).values()) == {None}
    eligibility = {row["code"]: row for row in created.json["eligibility"]}
    assert eligibility["degree"]["passed"] is False
    assert eligibility["degree"]["answered"] is False
    assert eligibility["nationality"]["answered"] is True


def test_patch_takes_true_false_and_null(api, frozen):
    url = api("hr_a", "post", "/api/v1/cases", json=_unanswered_body()).headers["Location"]
    patched = api(
        "hr_a", "patch", url, json={"candidate": {"is_stem_degree": True}, "position": {"is_full_time": False}}
    )
    assert patched.status_code == 200
    assert (patched.json["candidate"]["is_stem_degree"], patched.json["position"]["is_full_time"]) == (True, False)
    cleared = api("hr_a", "patch", url, json={"candidate": {"is_stem_degree": None}})
    assert cleared.json["candidate"]["is_stem_degree"] is None
    refused = api("hr_a", "patch", url, json={"candidate": {"is_stem_degree": "yes"}})
    assert refused.status_code == 422
    assert "candidate.is_stem_degree" in refused.json["error"]["fields"]


def test_submit_is_refused_naming_each_missing_declaration(api, frozen):
    body = _unanswered_body()
    body["opened_on"] = "2019-03-01"  # the 2018 rules ask for the local-hire commitment too
    body["position"]["is_full_time"] = True
    url = api("hr_a", "post", "/api/v1/cases", json=body).headers["Location"]

    response = api("hr_a", "post", f"{url}/events", json={"action": "submit", "occurred_on": "2019-03-04"})

    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [
        "candidate.is_stem_degree",
        "candidate.is_top100_university",
        "position.is_principally_rd",
        "position.local_hire_confirmed",
    ]
    assert "candidate.is_stem_degree" in error["message"]
    after = api("hr_a", "get", url).json
    assert (after["status"], after["events"]) == ("draft", [])


def test_once_answered_the_case_is_submitted(api, frozen):
    body = _unanswered_body()
    url = api("hr_a", "post", "/api/v1/cases", json=body).headers["Location"]
    answers = {group: dict.fromkeys(names, True) for group, names in DECLARATIONS.items()}
    answers["position"]["local_hire_confirmed"] = None  # not asked since 28 December 2022
    assert api("hr_a", "patch", url, json=answers).status_code == 200
    response = api("hr_a", "post", f"{url}/events", json={"action": "submit"})
    assert response.status_code == 201, response.json
    assert api("hr_a", "get", url).json["submitted_on"] == date(2026, 3, 20).isoformat()
