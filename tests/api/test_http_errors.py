"""HTTP errors in the API keep what the protocol says: the Allow header on a 405, wording for programs."""

from __future__ import annotations


def test_a_method_not_allowed_names_the_allowed_ones(api, case_a):
    response = api("hr_a", "delete", f"/api/v1/cases/{case_a.id}")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert "Allow header" in response.json["error"]["message"]
    assert {"GET", "PATCH"} <= {method.strip() for method in response.headers["Allow"].split(",")}


def test_an_unknown_api_address_points_to_the_openapi_document(api, frozen):
    response = api("hr_a", "get", "/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == {
        "code": "not_found",
        "message": "No such resource. The endpoints are listed in /api/v1/openapi.json.",
    }


def test_a_page_answered_with_405_also_says_allow(client, auth, people):
    auth.as_user(people["hr_a"])
    response = client.put("/cases/new")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
