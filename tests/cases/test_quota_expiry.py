"""A quota place is usable only while its quota is valid on the day of the action: an expired place refuses the visa
steps, the eligibility check says so, and replace_quota moves the case to another valid quota or back to the quota
application, so that the case is never stuck."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from talentcase.cases import quotas, services
from talentcase.cases.models import Case, Quota
from talentcase.common.i18n import day_text
from talentcase.extensions import db
from talentcase.sla import engine
from tests.cases.helpers import act, make_case, walk_to

TODAY = date(2026, 3, 31)
GRANTED_ON = date(2026, 3, 10)
ENDED_ON = date(2026, 3, 20)


@pytest.fixture
def today(people):
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def _holding(people, reference: str = "ITC/TTA/2026/0042", *, lodge_visa_on: date | None = None) -> Case:
    """A case of company A granted a one-place quota on 10 March 2026 that ends on 20 March (its place reserved)."""
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "quota", people, start=date(2026, 3, 2))
    detail = {"quota_places": 1, "quota_valid_until": ENDED_ON.isoformat(), "quota_reference": reference}
    act(case, "grant_quota", GRANTED_ON, people, detail=detail)
    if lodge_visa_on is not None:
        act(case, "lodge_visa", lodge_visa_on, people)
    assert (case.quota.valid_until, case.quota_place) == (ENDED_ON, "reserved")
    return case


def _another_quota(people, places: int = 2) -> Quota:
    quota = Quota(
        company_id=people["company_a"].id,
        places=places,
        granted_on=date(2026, 3, 18),
        valid_until=date(2028, 3, 17),
        reference="ITC/TTA/2026/0099",
    )
    db.session.add(quota)
    db.session.flush()
    return quota


def _replayed(case: Case) -> tuple[str, bool]:
    """The status and visa flag the SLA engine derives from the case's event log."""
    state = engine.replay_status(engine.Event(e.action, e.occurred_on, e.party, e.to_status) for e in case.events)
    return state.status, state.visa_lodged


# --- the refusal ---------------------------------------------------------------------------------------------------


def test_lodging_the_visa_on_a_place_whose_quota_has_ended_is_refused_naming_the_quota(people, today):
    case = _holding(people)
    with pytest.raises(services.ActionConflict) as refused:
        act(case, "lodge_visa", date(2026, 3, 21), people)
    assert refused.value.status == 409 and refused.value.code == "quota_expired"
    message = refused.value.message
    assert "ITC/TTA/2026/0042" in message and day_text(ENDED_ON) in message
    assert "Replace the expired quota place" in message
    db.session.refresh(case)
    assert (case.status, case.visa_lodged, case.quota_place) == ("visa_prep", False, "reserved")
    assert [event.action for event in case.events][-1] == "grant_quota"


def test_a_quota_without_a_reference_is_named_by_the_day_it_was_granted(people, today):
    case = _holding(people, reference="")
    with pytest.raises(
        services.ActionConflict,
        match=f"the quota granted on {day_text(GRANTED_ON)}, which ended on {day_text(ENDED_ON)}",
    ):
        act(case, "lodge_visa", date(2026, 3, 21), people)


def test_the_last_day_of_the_quota_still_counts(people, today):
    case = _holding(people)
    act(case, "lodge_visa", ENDED_ON, people)
    act(case, "issue_visa", ENDED_ON, people)
    assert (case.status, case.quota_place) == ("approved", "used")


def test_issuing_the_visa_after_the_quota_ended_is_refused(people, today):
    case = _holding(people, lodge_visa_on=date(2026, 3, 19))
    with pytest.raises(
        services.ActionConflict, match=f"ITC/TTA/2026/0042, which ended on {day_text(ENDED_ON)}"
    ) as refused:
        act(case, "issue_visa", date(2026, 3, 23), people)
    assert refused.value.code == "quota_expired"
    db.session.refresh(case)
    assert (case.status, case.quota_place) == ("visa", "reserved")
    # A visa that ImmD issued while the quota was still valid is recorded with that day, today or later.
    act(case, "issue_visa", ENDED_ON, people)
    assert (case.status, case.quota_place) == ("approved", "used")


# --- the eligibility check -----------------------------------------------------------------------------------------


def test_the_eligibility_check_says_the_reserved_place_has_ended(people, today):
    case = _holding(people)
    row = next(row for row in services.eligibility_report(case).rows if row.result.code == "quota")
    assert not row.result.passed and not row.ok
    reason = str(row.result.reason)
    assert "ITC/TTA/2026/0042" in reason and f"ended on {day_text(ENDED_ON)}" in reason
    assert "cannot be used" in reason


def test_the_eligibility_check_passes_while_the_reserved_place_is_valid(people, time_machine):
    time_machine.move_to(date(2026, 3, 15), tick=False)
    case = _holding(people)
    row = next(row for row in services.eligibility_report(case).rows if row.result.code == "quota")
    assert row.result.passed
    assert f"A place is reserved for this case in the quota valid until {day_text(ENDED_ON)}" in str(row.result.reason)


# --- what HR can do: replace the expired place ---------------------------------------------------------------------


def test_replace_quota_is_offered_only_while_the_place_has_ended(people, today, time_machine):
    case = _holding(people)
    assert "replace_quota" in services.allowed_actions(case, "hr")
    assert "replace_quota" in services.allowed_actions(case, "officer")
    time_machine.move_to(ENDED_ON, tick=False)
    assert "replace_quota" not in services.allowed_actions(case, "hr")
    with pytest.raises(services.ActionConflict, match="no quota place that has ended"):
        act(case, "replace_quota", ENDED_ON, people, role="hr")


def test_replace_quota_moves_the_case_to_another_valid_quota_with_a_free_place(people, today):
    case = _holding(people)
    expired = case.quota
    other = _another_quota(people)
    event = act(case, "replace_quota", date(2026, 3, 21), people, role="hr")
    assert (case.status, case.quota_id, case.quota_place) == ("visa_prep", other.id, "reserved")
    assert event.detail == {"released_quota_id": expired.id, "reserved_quota_id": other.id}
    assert quotas.quota_standing(people["company_a"].id, TODAY).free_places == 1
    act(case, "lodge_visa", date(2026, 3, 22), people)
    act(case, "issue_visa", date(2026, 3, 30), people)
    assert (case.status, case.quota_id, case.quota_place) == ("approved", other.id, "used")


def test_replace_quota_without_a_free_place_goes_back_to_the_quota_application(people, today):
    case = _holding(people)
    _another_quota(people, places=1)
    taker = make_case(people["company_a"], opened_on=date(2026, 3, 2), email="taker@candidate.test")
    act(taker, "submit", date(2026, 3, 19), people)
    act(taker, "accept", date(2026, 3, 19), people)  # takes the other quota's only place
    assert taker.status == "visa_prep"

    event = act(case, "replace_quota", date(2026, 3, 21), people, role="hr")
    assert (case.status, case.quota, case.quota_place) == ("quota_prep", None, None)
    assert event.detail["reserved_quota_id"] is None
    act(case, "lodge_quota", date(2026, 3, 22), people)
    act(case, "grant_quota", date(2026, 3, 27), people, detail={"quota_places": 1})
    assert (case.status, case.quota.granted_on, case.quota_place) == ("visa_prep", date(2026, 3, 27), "reserved")
    assert db.session.scalar(select(Quota.places).where(Quota.id == event.detail["released_quota_id"])) == 1


def test_a_lodged_visa_stays_lodged_while_a_new_quota_is_sought(people, today):
    case = _holding(people, lodge_visa_on=date(2026, 3, 19))
    act(case, "replace_quota", date(2026, 3, 23), people, role="hr")
    assert (case.status, case.visa_lodged, case.quota) == ("quota_prep", True, None)
    assert _replayed(case) == ("quota_prep", True)  # the clocks read the log the same way
    act(case, "lodge_quota", date(2026, 3, 24), people)
    act(case, "grant_quota", date(2026, 3, 27), people, detail={"quota_places": 1})
    assert case.status == "visa"  # ImmD still has the application
    act(case, "issue_visa", date(2026, 3, 30), people)
    assert (case.status, case.quota_place) == ("approved", "used")
    assert set(case.clock_map) == {"review", "quota", "visa", "overall"}
    assert _replayed(case) == ("approved", True)


# --- the case page -------------------------------------------------------------------------------------------------


def _page(client, case: Case) -> str:
    return client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_case_page_tells_hr_the_quota_ended_and_how_to_go_on(client, auth, people, today):
    case = _holding(people)
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = _page(client, case)
    assert f"This case holds a place on the quota ITC/TTA/2026/0042, which ended on {day_text(ENDED_ON)}." in page
    assert "No other valid quota of the company has a free place" in page
    assert "Record quota application lodged with ITC" in page
    assert 'id="action-replace_quota"' in page and "Replace the expired quota place" in page

    other = _another_quota(people)
    db.session.commit()
    page = _page(client, case)
    assert f"a free place on the quota ITC/TTA/2026/0099, valid until {day_text(other.valid_until)}" in page


@pytest.mark.parametrize(("action", "who", "lodged_on"), [("lodge_visa", "hr_a", None), ("issue_visa", "officer", 19)])
def test_the_page_refuses_a_visa_step_on_an_ended_quota_with_a_form_error(
    client, auth, people, today, action, who, lodged_on
):
    case = _holding(people, lodge_visa_on=date(2026, 3, lodged_on) if lodged_on else None)
    db.session.commit()
    auth.as_user(people[who])
    response = client.post(
        f"/cases/{case.id}/actions",
        data={"action": action, "occurred_on": "2026-03-23"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = f'<p class="error-message" id="action-{action}-error">'
    assert error in page
    message = page.split(error, 1)[1].split("</p>", 1)[0]
    assert "ITC/TTA/2026/0042" in message and f"ended on {day_text(ENDED_ON)}" in message
    assert f'<a href="#action-{action}">' in page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    db.session.refresh(case)
    assert case.status == ("visa" if lodged_on else "visa_prep")


def test_hr_replaces_the_expired_place_from_the_case_page(client, auth, people, today):
    case = _holding(people)
    db.session.commit()
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/actions", data={"action": "replace_quota", "occurred_on": "2026-03-21"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.status, case.quota_place) == ("quota_prep", None)
    page = _page(client, case)
    assert "Expired quota place replaced" in page and 'id="action-lodge_quota"' in page
    assert "This case holds a place on" not in page


def test_the_notice_and_the_refusal_read_in_traditional_chinese(client, auth, people, today):
    people["hr_a"].preferred_language = "zh_Hant_HK"
    case = _holding(people, reference="")
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = _page(client, case)
    assert "此個案佔用於 2026年3月10日 批出的配額的一個名額" in page
    assert "「更換已屆滿的配額名額」會釋出名額" in page
    response = client.post(f"/cases/{case.id}/actions", data={"action": "lodge_visa", "occurred_on": "2026-03-23"})
    assert "該配額已於 2026年3月20日 屆滿，因此不能在 2026年3月23日 使用" in response.get_data(as_text=True)
