"""A draft's eligibility preview (the case page, check your answers, the API) is judged on the day its submission
will carry, under the policy in force that day, exactly as the submission itself: for a case entered with its real
past dates that is the day it opened; for a draft opened on the day it was entered, today."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from markupsafe import escape

from talentcase.cases import services
from talentcase.cases.policy import POLICY_VERSIONS, PolicyVersion, policy_in_force
from tests import factories
from tests.cases.helpers import act, make_case

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def outside_the_parks(db):
    """A company that is no park tenant: not eligible under the 2018 rules, eligible since 2020."""
    return factories.CompanyFactory(name="Gamma Quantum Limited", park="other")


def _back_dated(company, version: PolicyVersion):
    """A draft entered today with its real opening day, a week into the version's time. Quantum technology is an
    eligible area only since 28 December 2022, so the four versions judge it three different ways."""
    return make_case(company, opened_on=version.effective_from + timedelta(days=7), tech_area="quantum")


def _blocking(report: services.EligibilityReport) -> list[str]:
    return [row.result.code for row in report.blocking]


@pytest.mark.parametrize("version", POLICY_VERSIONS, ids=lambda version: version.code)
def test_the_preview_of_a_back_dated_draft_is_what_its_submission_decides(people, outside_the_parks, version):
    case = _back_dated(outside_the_parks, version)
    preview = services.eligibility_report(case)
    assert preview.policy == version

    if _blocking(preview):
        with pytest.raises(services.EligibilityBlocked) as blocked:
            act(case, "submit", None, people)
        assert [failure["check"] for failure in blocked.value.extra["failures"]] == _blocking(preview)
        assert case.status == "draft"
    else:
        event = act(case, "submit", None, people)
        assert (case.status, case.policy_code, event.occurred_on) == ("review", version.code, preview.checked_on)
        assert _blocking(services.eligibility_report(case)) == []


def test_the_versions_really_disagree_about_this_case(people, outside_the_parks):
    """The parametrised test above means something only if the versions judge the case differently."""
    verdicts = {
        version.code: _blocking(services.eligibility_report(_back_dated(outside_the_parks, version)))
        for version in POLICY_VERSIONS
    }
    assert verdicts == {
        "2018-06-25": ["company_eligible", "tech_area"],
        "2020-01-01": ["tech_area"],
        "2022-12-28": [],
        "2025-12-24": [],
    }


@pytest.mark.parametrize("version", POLICY_VERSIONS, ids=lambda version: version.code)
def test_check_your_answers_previews_and_submits_on_the_same_day(client, auth, db, people, outside_the_parks, version):
    case = _back_dated(outside_the_parks, version)
    hr = factories.UserFactory(role="hr", company=outside_the_parks)
    db.session.commit()
    auth.as_user(hr)
    page = client.get(f"/cases/{case.id}/check").get_data(as_text=True)
    proposed = re.search(r'name="occurred_on" value="([^"]*)"', page).group(1)
    assert proposed == case.opened_on.isoformat()
    assert str(escape(version.title)) in page
    preview_blocked = "Not met:" in page

    response = client.post(f"/cases/{case.id}/check", data={"action": "submit", "occurred_on": proposed})
    assert (response.status_code == 422) == preview_blocked
    db.session.expire_all()
    assert (case.status, case.policy_code) == (("draft", None) if preview_blocked else ("review", version.code))


def test_a_draft_opened_on_the_day_it_was_entered_is_previewed_and_submitted_today(people, outside_the_parks):
    """Left in draft across a change of the rules, it is judged by today's rules: it will be submitted today."""
    with time_machine.travel(date(2025, 12, 20), tick=False):
        case = make_case(outside_the_parks, tech_area="quantum")
    preview = services.eligibility_report(case)
    assert (preview.policy, preview.checked_on) == (policy_in_force(TODAY), TODAY)
    assert act(case, "submit", None, people).occurred_on == TODAY
    assert case.policy_code == "2025-12-24"


def test_a_submission_dated_by_hand_and_refused_shows_the_checks_of_that_date(client, auth, db, people):
    company = factories.CompanyFactory(name="Delta Labs Limited", br_expiry_on=date(2023, 1, 10))
    case = make_case(company, opened_on=date(2023, 1, 4))
    hr = factories.UserFactory(role="hr", company=company)
    db.session.commit()
    auth.as_user(hr)
    assert "Not met:" not in client.get(f"/cases/{case.id}/check").get_data(as_text=True)

    response = client.post(f"/cases/{case.id}/check", data={"action": "submit", "occurred_on": "2023-01-20"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not met:</strong> Company is eligible" in page
    assert 'name="occurred_on" value="2023-01-20"' in page
