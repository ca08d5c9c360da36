"""Case services on a real database: the life of a case, its event log, date rules, pauses, closing, editing,
eligibility at submission and the policy pinned on the submission date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from talentcase.cases import services, workflow
from talentcase.cases.models import CaseEvent
from talentcase.cases.schema import InvalidInput
from talentcase.sla.models import CaseClock
from tests.cases.helpers import act, make_case, walk_to

# March 2026 has no general holiday between 20 February and Good Friday (3 April): dates below need no rolling.
TODAY = date(2026, 3, 31)


@pytest.fixture
def today(people):
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def _clocks(case) -> dict[str, CaseClock]:
    return {row.name: row for row in case.clocks}


def test_a_case_lives_from_draft_to_arrival_with_a_full_event_log(db, people, today):
    hr, officer = people["hr_a"], people["officer"]
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), creator=hr)
    assert (case.status, case.reference) == ("draft", f"TC-2026-{case.id:06d}")

    life = [
        ("submit", date(2026, 3, 3), "hr", "review"),
        ("accept", date(2026, 3, 5), "officer", "quota_prep"),
        ("lodge_quota", date(2026, 3, 9), "hr", "quota"),
        ("grant_quota", date(2026, 3, 20), "officer", "visa_prep"),
        ("lodge_visa", date(2026, 3, 23), "hr", "visa"),
        ("issue_visa", date(2026, 3, 30), "officer", "approved"),
        ("record_arrival", None, "hr", "arrived"),  # no date given: today
    ]
    previous = "draft"
    for action, on, role, status in life:
        event = services.take_action(
            case, action, role=role, actor=hr if role == "hr" else officer, occurred_on=on, detail={"quota_places": 2}
        )
        assert case.status == status
        assert (event.from_status, event.to_status) == (previous, status)
        previous = status
    db.session.commit()
    db.session.expire_all()

    events = db.session.query(CaseEvent).filter_by(case_id=case.id).order_by(CaseEvent.sequence).all()
    assert [(e.sequence, e.action, e.occurred_on) for e in events] == [
        (i, action, on or TODAY) for i, (action, on, _, _) in enumerate(life, start=1)
    ]
    assert [(e.actor_id, e.actor_role, e.actor_label) for e in events] == [
        (hr.id, "hr", hr.email) if role == "hr" else (officer.id, "officer", officer.email) for _, _, role, _ in life
    ]
    # Recorded when it was entered (today), whatever day it happened on.
    assert {e.recorded_at for e in events} == {datetime(2026, 3, 31, tzinfo=UTC)}
    assert events[3].detail == {"quota_places": 2, "quota_valid_until": "2028-03-19", "quota_reference": ""}
    assert [e.detail for e in events if e.action != "grant_quota"] == [{}] * 6

    clocks = _clocks(case)
    assert {name: (row.started_on, row.stopped_on, row.due_on, row.state) for name, row in clocks.items()} == {
        "review": (date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 6), "met"),
        "quota": (date(2026, 3, 9), date(2026, 3, 20), date(2026, 3, 23), "met"),
        # 6 April is Easter Monday and 7 April the day after: the period runs on to Wednesday.
        "visa": (date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 8), "met"),
        "overall": (date(2026, 3, 3), date(2026, 3, 30), date(2026, 3, 31), "met"),
    }
    assert not any(row.is_running for row in clocks.values())
    assert services.allowed_actions(case, "hr") == []


# --- dates -----------------------------------------------------------------------------------------------------


def test_an_event_defaults_to_today(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 3), people)
    assert act(case, "accept", None, people).occurred_on == TODAY


def test_a_submission_defaults_to_today_for_a_draft_opened_the_day_it_was_entered(people, today):
    case = make_case(people["company_a"])
    assert act(case, "submit", None, people).occurred_on == TODAY


def test_a_submission_defaults_to_the_opening_day_for_a_case_entered_with_its_real_dates(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))  # entered on 31 March
    assert act(case, "submit", None, people).occurred_on == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        (TODAY + timedelta(days=1), "cannot be in the future"),
        (date(2026, 3, 9), r"cannot be before the case's previous event \(10 Mar 2026\)"),
    ],
)
def test_an_event_in_the_future_or_before_the_previous_one_is_refused(people, today, occurred_on, message):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    act(case, "submit", date(2026, 3, 10), people)
    with pytest.raises(services.ActionInvalid, match=message) as refused:
        act(case, "accept", occurred_on, people)
    assert refused.value.extra == {"field": "occurred_on"}
    assert (case.status, len(case.events)) == ("review", 1)


def test_an_event_before_the_case_was_opened_is_refused(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 10))
    with pytest.raises(services.ActionInvalid, match=r"before the day the case opened \(10 Mar 2026\)"):
        act(case, "submit", date(2026, 3, 9), people)
    assert (case.status, case.events, case.submitted_on) == ("draft", [], None)
    act(case, "submit", date(2026, 3, 10), people)  # the opening day itself is fine
    assert case.status == "review"


def test_a_case_cannot_be_opened_in_the_future(people, today):
    with pytest.raises(InvalidInput) as refused:
        make_case(people["company_a"], opened_on=TODAY + timedelta(days=1))
    assert set(refused.value.errors) == {"opened_on"}
    assert make_case(people["company_a"]).opened_on == TODAY


def test_the_state_and_the_role_are_checked_before_the_date(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    future = TODAY + timedelta(days=5)
    with pytest.raises(services.ActionForbidden):
        act(case, "submit", future, people, role="officer")
    with pytest.raises(services.ActionConflict):
        act(case, "accept", future, people)


# --- pauses ----------------------------------------------------------------------------------------------------


def test_a_request_for_information_pauses_the_clocks_and_moves_the_due_date_out(db, people, time_machine):
    time_machine.move_to(date(2026, 3, 8), tick=False)
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "quota", people, start=date(2026, 3, 1))  # lodged on Wednesday 4 March
    assert _clocks(case)["quota"].due_on == date(2026, 3, 18)

    act(case, "request_info", date(2026, 3, 6), people, party="company", note="Please upload the signed contract.")
    assert (case.status, case.paused_party, services.can_edit(case)) == ("quota", "company", True)
    clocks = _clocks(case)
    assert {name: (row.is_paused, row.state) for name, row in clocks.items() if row.is_running} == {
        "quota": (True, "paused"),
        "overall": (True, "paused"),
    }
    assert clocks["quota"].paused_days == 2  # 7 and 8 March so far
    with pytest.raises(services.ActionConflict, match="waiting for information from the company"):
        act(case, "grant_quota", date(2026, 3, 8), people)
    with pytest.raises(services.ActionForbidden):
        act(case, "provide_info", date(2026, 3, 8), people, role="expert", actor=None)

    time_machine.move_to(date(2026, 3, 12), tick=False)
    act(case, "provide_info", date(2026, 3, 11), people, role="hr")
    assert (case.status, case.paused_party) == ("quota", None)
    quota = _clocks(case)["quota"]
    assert (quota.is_paused, quota.paused_days, quota.due_on, quota.state) == (False, 5, date(2026, 3, 23), "on_track")
    assert _clocks(case)["overall"].paused_days == 5
    assert [e.party for e in case.events if e.action == "request_info"] == ["company"]


def test_hr_asks_the_expert_and_only_the_officer_asks_the_company(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 2))
    with pytest.raises(services.ActionForbidden, match="only the expert"):
        act(case, "request_info", None, people, role="hr", party="company", note="Contract?")
    event = act(case, "request_info", None, people, role="hr", party=None, note="Passport scan, please.")
    assert (event.party, case.paused_party) == ("expert", "expert")
    with pytest.raises(services.ActionConflict):
        act(case, "request_info", None, people, party="company", note="And the contract.")


def test_a_request_for_information_needs_a_note(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "review", people, start=date(2026, 3, 2))
    with pytest.raises(services.ActionInvalid, match="Write what is needed"):
        act(case, "request_info", None, people, party="company", note="  ")


# --- closing ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
@pytest.mark.parametrize("status", workflow.SUBMITTED_STATES)
def test_the_officer_can_reject_from_every_submitted_state(people, today, status, paused):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    day = walk_to(case, status, people, start=date(2026, 3, 2))
    if paused:
        act(case, "request_info", day, people, party="expert", note="Degree certificate, please.")
    with pytest.raises(services.ActionInvalid):
        act(case, "reject", day, people, note="")
    with pytest.raises(services.ActionForbidden):
        act(case, "reject", day, people, role="hr", note="Not R&D.")
    event = act(case, "reject", day + timedelta(days=1), people, note="The post is not principally R&D.")
    assert (event.from_status, event.to_status, case.status) == (status, "rejected", "rejected")
    assert case.paused_party is None
    assert not any(row.is_running for row in case.clocks)
    assert services.allowed_actions(case, "hr") == services.allowed_actions(case, "officer") == []


@pytest.mark.parametrize(
    ("status", "paused"),
    [("draft", False)] + [(status, paused) for status in workflow.SUBMITTED_STATES for paused in (False, True)],
)
def test_hr_can_withdraw_from_every_open_state(people, today, status, paused):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    day = walk_to(case, status, people, start=date(2026, 3, 2))
    if paused:
        act(case, "request_info", day, people, party="company", note="The contract, please.")
    with pytest.raises(services.ActionForbidden):
        act(case, "withdraw", day, people, role="officer")
    event = act(case, "withdraw", day, people, note="The candidate accepted another offer.")
    assert (event.from_status, case.status, case.paused_party) == (status, "withdrawn", None)
    assert not any(row.is_running for row in case.clocks)
    if status != "draft":
        assert case.clock_map["overall"].stopped_on == day
    with pytest.raises(services.ActionConflict):
        act(case, "submit" if status == "draft" else "accept", day, people)


@pytest.mark.parametrize("status", ["draft", "approved", "arrived"])
def test_a_case_that_is_not_under_way_cannot_be_rejected(people, today, status):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    day = walk_to(case, status, people, start=date(2026, 3, 2))
    with pytest.raises(services.ActionConflict):
        act(case, "reject", day, people, note="Too late.")
    if status != "draft":
        with pytest.raises(services.ActionConflict):
            act(case, "withdraw", day, people)


# --- editing ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "pause", "editable"),
    [
        ("draft", None, True),
        ("review", None, False),
        ("review", "company", True),
        ("quota", "expert", True),
        ("visa", None, False),
        ("approved", None, False),
        ("rejected", None, False),
        ("withdrawn", None, False),
    ],
)
def test_particulars_can_be_edited_only_in_draft_or_while_paused(people, today, status, pause, editable):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    if status in ("rejected", "withdrawn"):
        day = walk_to(case, "review", people, start=date(2026, 3, 2))
        act(case, "reject" if status == "rejected" else "withdraw", day, people, note="Closed.")
    else:
        day = walk_to(case, status, people, start=date(2026, 3, 2))
    if pause:
        act(case, "request_info", day, people, party=pause, note="Please correct the salary.")
    assert services.can_edit(case) is editable
    if editable:
        services.update_case(case, {"monthly_salary_hkd": "61,000", "degree_field": "Robotics"})
        assert (case.monthly_salary_hkd, case.degree_field, case.full_name) == (61000, "Robotics", "Priya Raghunathan")
    else:
        with pytest.raises(services.ActionConflict, match="only be edited while"):
            services.update_case(case, {"monthly_salary_hkd": 61000})
        assert case.monthly_salary_hkd == 52000


def test_an_edit_is_validated_like_the_opening(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    with pytest.raises(InvalidInput) as refused:
        services.update_case(case, {"nationality": "XX", "monthly_salary_hkd": "lots"})
    assert set(refused.value.errors) == {"nationality", "monthly_salary_hkd"}
    assert case.nationality == "IN"


def test_a_missing_particular_is_named_as_in_a_sentence_and_an_invisible_name_is_missing(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    with pytest.raises(InvalidInput) as refused:
        services.update_case(case, {"full_name": "\u200b\u200b", "nationality": "", "monthly_salary_hkd": " "})
    assert {name: str(message) for name, message in refused.value.errors.items()} == {
        "full_name": "Enter the full name in English.",
        "nationality": "Select the nationality.",
        "monthly_salary_hkd": "Enter the monthly salary (HKD).",
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"monthly_salary_hkd": "60000.00"}, {"monthly_salary_hkd": 60000}),
        ({"monthly_salary_hkd": "45,000"}, {"monthly_salary_hkd": 45000}),
        ({"years_experience": "2.5"}, {"years_experience": Decimal("2.5")}),
    ],
)
def test_numbers_written_as_people_write_them_are_taken(people, today, values, expected):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    services.update_case(case, values)
    assert {name: getattr(case, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"monthly_salary_hkd": "60000.5"}, "Monthly salary must be a whole number of Hong Kong dollars, like 45000."),
        ({"monthly_salary_hkd": "6e4"}, "Monthly salary must be a whole number of Hong Kong dollars, like 45000."),
        ({"years_experience": "1e1"}, "Years of relevant experience must be a number, like 2.5."),
        ({"years_experience": "2.55"}, "Years of relevant experience can have at most one decimal place, like 2.5."),
        ({"years_experience": "9" * 400}, "Years of relevant experience must be from 0 to 60."),
    ],
)
def test_numbers_no_person_means_are_refused_not_rounded(people, today, values, message):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    with pytest.raises(InvalidInput) as refused:
        services.update_case(case, values)
    assert str(refused.value.errors[next(iter(values))]).startswith(message)


# --- eligibility at submission ---------------------------------------------------------------------------------


def test_submit_is_blocked_by_eligibility_with_reasons_until_an_officer_overrides(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), monthly_salary_hkd=20000)
    with pytest.raises(services.EligibilityBlocked) as blocked:
        act(case, "submit", date(2026, 3, 3), people)
    assert blocked.value.status == 409
    assert blocked.value.extra["failures"] == [
        {
            "check": "salary",
            "reason": "The monthly salary HK$20,000 is below the market rate of HK$25,000; "
            "it must be at least HK$25,000.",
        }
    ]
    assert (case.status, case.events, case.clocks, case.policy_code, case.submitted_on) == ("draft", [], [], None, None)

    with pytest.raises(services.ActionInvalid, match="at least 10 characters"):
        services.override_check(case, "salary", "ok", officer=people["officer"])
    override = services.override_check(
        case,
        "salary",
        "Housing allowance of HK$8,000 brings the package above the market rate.",
        officer=people["officer"],
    )
    with pytest.raises(services.ActionConflict, match="already overridden"):
        services.override_check(case, "salary", "Once more, with feeling.", officer=people["officer"])
    assert [row.override for row in services.eligibility_report(case).rows if row.result.code == "salary"] == [override]

    act(case, "submit", date(2026, 3, 3), people)
    assert (case.status, case.policy_code, case.submitted_on) == ("review", "2025-12-24", date(2026, 3, 3))


def test_a_check_no_officer_may_override_keeps_blocking(people, today):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), nationality="VN", is_full_time=False)
    with pytest.raises(services.EligibilityBlocked) as blocked:
        act(case, "submit", None, people)
    assert [failure["check"] for failure in blocked.value.extra["failures"]] == ["full_time", "nationality"]
    with pytest.raises(services.ActionConflict, match="cannot be overridden"):
        services.override_check(case, "nationality", "The expert is a dual national.", officer=people["officer"])
    with pytest.raises(services.ActionInvalid, match="no eligibility check called"):
        services.override_check(case, "karma", "Seems a nice person.", officer=people["officer"])


def test_an_area_outside_the_2022_list_is_blocked_before_24_december_2025_and_an_override_lets_it_through(
    people, time_machine
):
    time_machine.move_to(date(2025, 12, 15), tick=False)
    case = make_case(people["company_a"], opened_on=date(2025, 12, 1), tech_area="other")
    with pytest.raises(services.EligibilityBlocked) as blocked:
        act(case, "submit", date(2025, 12, 10), people)
    assert [failure["check"] for failure in blocked.value.extra["failures"]] == ["tech_area"]
    assert "under the 28 Dec 2022 rules" in blocked.value.extra["failures"][0]["reason"]

    services.override_check(
        case, "tech_area", "Spatial computing for surgery, judged close to AI and robotics.", officer=people["officer"]
    )
    act(case, "submit", date(2025, 12, 10), people)
    assert (case.status, case.policy_code) == ("review", "2022-12-28")


def test_the_policy_in_force_on_the_submission_date_stays_pinned_to_the_case(people, time_machine):
    time_machine.move_to(date(2026, 1, 5), tick=False)
    before = make_case(people["company_a"], opened_on=date(2025, 12, 15))
    on_the_day = make_case(people["company_a"], opened_on=date(2025, 12, 15), email="second@candidate.test")
    act(before, "submit", date(2025, 12, 23), people)
    act(on_the_day, "submit", date(2025, 12, 24), people)
    assert (before.policy_code, on_the_day.policy_code) == ("2022-12-28", "2025-12-24")

    # Later, under the 2025-12-24 rules, the earlier case is still judged by the rules of its submission day.
    time_machine.move_to(date(2026, 2, 2), tick=False)
    for case in (before, on_the_day):
        for action, on in (("accept", date(2026, 1, 5)), ("lodge_quota", date(2026, 1, 6))):
            act(case, action, on, people)
    assert services.eligibility_report(before).policy.code == "2022-12-28"
    assert "lodge_visa" not in services.allowed_actions(before, "hr")
    with pytest.raises(services.ActionConflict, match="only under the parallel policy"):
        act(before, "lodge_visa", date(2026, 1, 7), people)

    # Quota and visa in parallel: the case stays in quota, then goes straight to waiting for ImmD.
    act(on_the_day, "lodge_visa", date(2026, 1, 7), people)
    assert (on_the_day.status, on_the_day.visa_lodged) == ("quota", True)
    act(on_the_day, "grant_quota", date(2026, 1, 16), people)
    assert on_the_day.status == "visa"
    assert {name: row.is_running for name, row in _clocks(on_the_day).items()} == {
        "review": False,
        "quota": False,
        "visa": True,
        "overall": True,
    }


def test_an_action_recorded_by_someone_else_at_the_same_moment_is_a_conflict_not_an_error(app, db, people, today):
    """Two requests submit the same draft at once: each read the case before the other wrote. The second to write
    loses to the unique event number and gets a conflict; the case keeps one submit."""
    from talentcase.cases.models import Case

    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    db.session.commit()
    assert case.events == []  # this request has read the case as a draft with no event
    with app.app_context():  # the other request, with its own session, writes first
        other = db.session.get(Case, case.id)
        act(other, "submit", date(2026, 3, 30), {"hr_a": db.session.get(type(people["hr_a"]), people["hr_a"].id)})
        db.session.commit()
    with pytest.raises(services.ActionConflict, match="at the same moment") as raised:
        act(case, "submit", date(2026, 3, 30), people)
    assert raised.value.status == 409
    db.session.rollback()
    assert [event.action for event in db.session.get(Case, case.id).events] == ["submit"]
