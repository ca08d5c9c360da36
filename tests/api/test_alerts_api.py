"""GET /api/v1/cases/<id>/alerts: the SLA alerts the sweep raised for a case, to whoever may see the case."""

from __future__ import annotations

from datetime import date

import pytest

from talentcase.sla.sweep import sweep
from tests.api import ROLES, TODAY, make_case


@pytest.fixture
def late_case(db, people, frozen):
    """Company A's case submitted on 2 March and never accepted: by TODAY (20 March) the 3-working-day review is
    long breached and the 28-day overall clock has passed 50 %; the sweep raises those alerts."""
    case = make_case(people["company_a"], steps=[("submit", date(2026, 3, 2))])
    db.session.commit()
    sweep(TODAY)
    return case


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, (401, 200, 404, 200, 200), strict=True)))
def test_who_may_read_a_cases_alerts(api, late_case, role, expected):
    response = api(role, "get", f"/api/v1/cases/{late_case.id}/alerts")
    assert response.status_code == expected
    if expected != 200:
        assert set(response.json["error"]) >= {"code", "message"}


def test_the_alerts_are_the_thresholds_crossed_oldest_first(api, late_case):
    response = api("hr_a", "get", f"/api/v1/cases/{late_case.id}/alerts")
    alerts = response.json
    assert isinstance(alerts, list)
    crossed = {(alert["clock"], alert["threshold"]) for alert in alerts}
    # Every review threshold was crossed on one sweep (recorded, the most severe announced); overall only its 50 %.
    assert crossed == {
        ("review", "50pct"),
        ("review", "75pct"),
        ("review", "due-2d"),
        ("review", "breach"),
        ("overall", "50pct"),
    }
    for alert in alerts:
        assert set(alert) == {"clock", "threshold", "cycle", "threshold_on", "due_on", "created_at"}
        assert alert["cycle"] == 1
        assert alert["created_at"].startswith("2026-03-20T12:00:00+08:00")
    breach = next(alert for alert in alerts if alert["threshold"] == "breach")
    assert (breach["due_on"], breach["threshold_on"]) == ("2026-03-05", "2026-03-06")
    overall = next(alert for alert in alerts if alert["clock"] == "overall")
    assert (overall["due_on"], overall["threshold_on"]) == ("2026-03-30", "2026-03-16")


def test_a_case_with_no_alert_gives_an_empty_list(api, db, people, frozen):
    case = make_case(people["company_a"])  # a draft: no clock, no alert
    db.session.commit()
    response = api("officer", "get", f"/api/v1/cases/{case.id}/alerts")
    assert (response.status_code, response.json) == (200, [])


def test_an_unknown_case_is_404(api, frozen):
    response = api("officer", "get", "/api/v1/cases/999999/alerts")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
