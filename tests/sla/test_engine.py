"""The clock engine, pinned on real Hong Kong calendars; every expected date below was checked against `holidays`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from talentcase.cases.workflow import CaseState
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import (
    DEFAULT_TARGETS,
    ClockResult,
    ClockTarget,
    Event,
    Pause,
    add_working_days,
    calendar_due,
    compute_clocks,
    count_working_days,
    replay_status,
    working_due,
)

CAL = HKCalendar()


def quota_clock(lodged: date, *extra: Event, today: date, cal: HKCalendar = CAL) -> ClockResult:
    """The quota clock of a case whose quota application was lodged on the given day."""
    events = [
        Event("submit", lodged - timedelta(days=3)),
        Event("accept", lodged - timedelta(days=2)),
        Event("lodge_quota", lodged),
        *extra,
    ]
    return compute_clocks(events, today=today, calendar=cal)["quota"]


# --- calendar clocks rolled off Sundays, general holidays and closures ----------------------------------------------


@pytest.mark.parametrize(
    ("lodged", "due", "rolled"),
    [
        pytest.param(date(2026, 6, 7), date(2026, 6, 22), [(date(2026, 6, 21), "Sunday")], id="naive-due-sunday"),
        pytest.param(
            date(2026, 12, 18),
            date(2027, 1, 2),  # a Saturday is not a general holiday, so the period may end on it
            [(date(2027, 1, 1), "The first day of January")],
            id="new-year",
        ),
        pytest.param(
            date(2026, 2, 3),
            date(2026, 2, 20),
            [
                (date(2026, 2, 17), "Lunar New Year's Day"),
                (date(2026, 2, 18), "The second day of Lunar New Year"),
                (date(2026, 2, 19), "The third day of Lunar New Year"),
            ],
            id="lunar-new-year-2026",
        ),
        pytest.param(
            date(2027, 1, 23),
            date(2027, 2, 10),
            [
                (date(2027, 2, 6), "Lunar New Year's Day"),
                (date(2027, 2, 7), "Sunday"),
                (date(2027, 2, 8), "The third day of Lunar New Year"),
                (date(2027, 2, 9), "The fourth day of Lunar New Year"),
            ],
            id="lunar-new-year-2027",
        ),
        pytest.param(
            date(2026, 3, 20),
            date(2026, 4, 8),
            [
                (date(2026, 4, 3), "Good Friday"),
                (date(2026, 4, 4), "The day following Good Friday"),
                (date(2026, 4, 5), "Sunday"),
                (date(2026, 4, 6), "The day following Ching Ming Festival"),
                (date(2026, 4, 7), "The day following Easter Monday"),
            ],
            id="easter-2026",
        ),
        pytest.param(
            date(2027, 3, 12),
            date(2027, 3, 30),
            [
                (date(2027, 3, 26), "Good Friday"),
                (date(2027, 3, 27), "The day following Good Friday"),
                (date(2027, 3, 28), "Sunday"),
                (date(2027, 3, 29), "Easter Monday"),
            ],
            id="easter-2027",
        ),
        pytest.param(date(2026, 3, 2), date(2026, 3, 16), [], id="no-roll"),
    ],
)
def test_fourteen_day_clock_rolls_forward(lodged: date, due: date, rolled: list[tuple[date, str]]) -> None:
    assert calendar_due(lodged, 14, 0, CAL) == (due, rolled)
    clock = quota_clock(lodged, today=lodged + timedelta(days=1))
    assert clock.due_on == due
    assert list(clock.rolled_days) == rolled
    assert clock.day_kind == "calendar" and clock.target_days == 14
    lines = clock.explanation_lines()
    for day, reason in rolled:
        assert any(reason in line and str(day.day) in line for line in lines)
    assert lines[-2].startswith("It is due on ")


def test_easter_2026_explanation_reads_plainly() -> None:
    clock = quota_clock(date(2026, 3, 20), today=date(2026, 3, 25))
    assert clock.explanation_lines() == [
        "The ITC quota clock started on Friday 20 March 2026, when the quota application was lodged with the ITC.",
        "Its target is 14 calendar days from the start day.",
        "The period cannot end on Friday 3 April 2026 (Good Friday), so it runs on to the next day.",
        "The period cannot end on Saturday 4 April 2026 (The day following Good Friday), "
        "so it runs on to the next day.",
        "The period cannot end on Sunday 5 April 2026 (Sunday), so it runs on to the next day.",
        "The period cannot end on Monday 6 April 2026 (The day following Ching Ming Festival), "
        "so it runs on to the next day.",
        "The period cannot end on Tuesday 7 April 2026 (The day following Easter Monday), "
        "so it runs on to the next day.",
        "It is due on Wednesday 8 April 2026.",
        "As of Wednesday 25 March 2026, 5 calendar days of 14 have run; it is on track.",
    ]


def test_typhoon_closure_day_rolls_the_due_date() -> None:
    lodged = date(2026, 9, 1)  # naive due: Tuesday 15 September 2026
    assert quota_clock(lodged, today=lodged).due_on == date(2026, 9, 15)
    typhoon = HKCalendar({date(2026, 9, 15): "Typhoon signal 8"})
    clock = quota_clock(lodged, today=lodged, cal=typhoon)
    assert clock.due_on == date(2026, 9, 16)
    assert clock.rolled_days == ((date(2026, 9, 15), "Typhoon signal 8"),)
    assert "The period cannot end on Tuesday 15 September 2026 (Typhoon signal 8)" in " ".join(
        clock.explanation_lines()
    )


def test_closure_after_a_sunday_chains_the_roll() -> None:
    # Naive due Sunday 21 June 2026; a black rainstorm on Monday 22 June pushes it to Tuesday.
    cal = HKCalendar({date(2026, 6, 22): "Black rainstorm warning"})
    assert calendar_due(date(2026, 6, 7), 14, 0, cal) == (
        date(2026, 6, 23),
        [(date(2026, 6, 21), "Sunday"), (date(2026, 6, 22), "Black rainstorm warning")],
    )


def test_closure_inside_the_period_does_not_move_a_calendar_due_date() -> None:
    cal = HKCalendar({date(2026, 3, 10): "Typhoon signal 8"})
    assert calendar_due(date(2026, 3, 2), 14, 0, cal) == (date(2026, 3, 16), [])


# --- pauses -------------------------------------------------------------------------------------------------------


def test_pause_spanning_easter_on_a_calendar_clock() -> None:
    # Quota lodged Friday 27 March 2026; the ITC asked the company on Thursday 2 April, answered Thursday 9 April:
    # 7 calendar days paused (Easter holidays included), naive due 27 Mar + 14 + 7 = Friday 17 April.
    asked, answered = date(2026, 4, 2), date(2026, 4, 9)
    extra = (Event("request_info", asked, party="company"), Event("provide_info", answered))
    clock = quota_clock(date(2026, 3, 27), *extra, today=date(2026, 4, 14))
    assert clock.paused_days == 7
    assert clock.pauses == (Pause(asked, answered, 7, "company"),)
    assert clock.due_on == date(2026, 4, 17) and clock.rolled_days == ()
    assert clock.elapsed_days == 18 - 7
    assert clock.state == "at_risk"  # 11 >= 0.75 * 14
    assert clock.waiting == {"officer": 0, "company": 7, "expert": 0, "authority": 11}
    assert (
        "It was paused from Thursday 2 April 2026 to Thursday 9 April 2026 (7 calendar days), waiting for "
        "information from the company." in clock.explanation_lines()
    )


def test_pause_that_lands_the_due_date_on_easter() -> None:
    # Visa lodged Monday 16 March 2026 (naive due Monday 30 March); 4 paused days move it to Good Friday.
    events = [
        Event("submit", date(2026, 3, 2)),
        Event("accept", date(2026, 3, 4), to_status="visa_prep"),
        Event("lodge_visa", date(2026, 3, 16)),
        Event("request_info", date(2026, 3, 18), party="expert"),
        Event("provide_info", date(2026, 3, 22)),
    ]
    visa = compute_clocks(events, today=date(2026, 3, 25), calendar=CAL)["visa"]
    assert visa.paused_days == 4
    assert visa.due_on == date(2026, 4, 8)
    assert [d for d, _ in visa.rolled_days] == [date(2026, 4, d) for d in range(3, 8)]
    assert visa.waiting == {"officer": 0, "company": 0, "expert": 4, "authority": 5}


def test_open_pause_counts_up_to_today_and_shows_paused() -> None:
    extra = (Event("request_info", date(2026, 3, 5), party="expert"),)
    clock = quota_clock(date(2026, 3, 2), *extra, today=date(2026, 3, 20))
    assert clock.is_paused and clock.is_running and clock.state == "paused"
    assert clock.paused_days == 15
    assert clock.pauses == (Pause(date(2026, 3, 5), None, 15, "expert"),)
    assert clock.elapsed_days == 3
    assert clock.due_on == date(2026, 3, 31)  # 2 Mar + 14 + 15
    assert (
        "It has been paused since Thursday 5 March 2026 (15 calendar days so far), waiting for information from "
        "the expert." in clock.explanation_lines()
    )


def test_working_day_review_clock_with_pause_over_easter() -> None:
    # Submitted Tuesday 31 March 2026; the officer asked on Wednesday 1 April and got the answer on Thursday 9 April.
    # Paused working days in (1 Apr, 9 Apr]: 2, 8 and 9 April (3, 6 and 7 April are general holidays).
    events = [
        Event("submit", date(2026, 3, 31)),
        Event("request_info", date(2026, 4, 1), party="company"),
        Event("provide_info", date(2026, 4, 9)),
        Event("accept", date(2026, 4, 13)),
    ]
    review = compute_clocks(events, today=date(2026, 4, 20), calendar=CAL)["review"]
    assert review.paused_days == 3
    assert review.due_on == date(2026, 4, 13) == working_due(date(2026, 3, 31), 3, 3, CAL)
    assert review.state == "met"
    assert review.elapsed_days == 3  # 1, 10 and 13 April
    assert review.rolled_days == (
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "The day following Ching Ming Festival"),
        (date(2026, 4, 7), "The day following Easter Monday"),
    )
    assert review.waiting == {"officer": 3, "company": 3, "expert": 0, "authority": 0}
    late = compute_clocks(events[:-1] + [Event("accept", date(2026, 4, 14))], today=date(2026, 4, 20), calendar=CAL)
    assert late["review"].state == "breached"
    assert late["review"].explanation_lines()[-1] == (
        "It stopped on Tuesday 14 April 2026, when the park accepted the case: 1 day after the due date."
    )


def test_a_clock_ended_by_a_rejection_is_not_said_to_have_met_its_target() -> None:
    events = [Event("submit", date(2026, 3, 31)), Event("reject", date(2026, 4, 1))]
    review = compute_clocks(events, today=date(2026, 4, 20), calendar=CAL)["review"]
    assert review.state == "met"  # stopped on or before the due date, as the clock states are defined
    assert review.explanation_lines()[-1] == (
        "It stopped on Wednesday 1 April 2026, when the case was rejected, before its due date."
    )
    accepted = compute_clocks(events[:1] + [Event("accept", date(2026, 4, 1))], today=date(2026, 4, 20), calendar=CAL)
    assert accepted["review"].explanation_lines()[-1].endswith(": the target was met.")


def test_pause_begun_after_the_due_date_does_not_undo_a_breach() -> None:
    lodged = date(2026, 3, 2)  # due Monday 16 March
    extra = (Event("request_info", date(2026, 3, 18), party="company"), Event("provide_info", date(2026, 3, 25)))
    clock = quota_clock(lodged, *extra, Event("grant_quota", date(2026, 3, 26)), today=date(2026, 3, 30))
    assert clock.due_on == date(2026, 3, 16)
    assert clock.paused_days == 7 and clock.pauses[0].extends_due is False
    assert clock.state == "breached"
    assert clock.elapsed_days == 24 - 7


def test_late_pause_and_closure_cannot_pull_a_working_due_date_earlier() -> None:
    # Review due Thursday 5 March 2026; information asked on 9 March (already late) and given on 20 March. Were the
    # late pause to extend the due date, a typhoon on 19 March would shorten that pause and pull the date earlier.
    events = [
        Event("submit", date(2026, 3, 2)),
        Event("request_info", date(2026, 3, 9), party="company"),
        Event("provide_info", date(2026, 3, 20)),
        Event("accept", date(2026, 3, 23)),
    ]
    plain = compute_clocks(events, today=date(2026, 3, 23), calendar=CAL)["review"]
    typhoon = compute_clocks(events, today=date(2026, 3, 23), calendar=HKCalendar({date(2026, 3, 19): "Typhoon 8"}))[
        "review"
    ]
    assert plain.due_on == typhoon.due_on == date(2026, 3, 5)
    assert plain.paused_days == 9 and typhoon.paused_days == 8
    assert plain.state == typhoon.state == "breached"
    assert "That pause began after the due date had passed, so it did not move the due date." in (
        plain.explanation_lines()
    )


# --- working-day clock --------------------------------------------------------------------------------------------


def test_review_clock_over_christmas_2026() -> None:
    # Submitted Wednesday 23 Dec 2026: working days 24 Dec, 28 Dec, 29 Dec (25 Dec Christmas, 26 Dec a Saturday
    # general holiday, 27 Dec Sunday).
    events = [Event("submit", date(2026, 12, 23))]
    review = compute_clocks(events, today=date(2026, 12, 28), calendar=CAL)["review"]
    assert review.due_on == date(2026, 12, 29)
    assert review.day_kind == "working" and review.target_days == 3
    assert review.rolled_days == ((date(2026, 12, 25), "Christmas Day"),)
    assert review.elapsed_days == 2  # 24 and 28 December
    assert review.state == "on_track"
    assert "Friday 25 December 2026 is not a working day (Christmas Day), so it is not counted." in (
        review.explanation_lines()
    )
    assert compute_clocks(events, today=date(2026, 12, 29), calendar=CAL)["review"].state == "at_risk"
    assert compute_clocks(events, today=date(2026, 12, 30), calendar=CAL)["review"].state == "breached"


def test_working_day_helpers() -> None:
    assert add_working_days(date(2026, 12, 23), 0, CAL) == date(2026, 12, 23)
    assert add_working_days(date(2026, 12, 23), 1, CAL) == date(2026, 12, 24)
    assert add_working_days(date(2026, 12, 23), 2, CAL) == date(2026, 12, 28)
    assert count_working_days(date(2026, 12, 23), date(2026, 12, 29), CAL) == 3
    assert count_working_days(date(2026, 12, 29), date(2026, 12, 23), CAL) == 0
    assert count_working_days(date(2026, 2, 13), date(2026, 2, 23), CAL) == 3  # 16, 20, 23 Feb around LNY 2026
    typhoon = HKCalendar({date(2026, 12, 24): "Typhoon signal 8"})
    assert working_due(date(2026, 12, 23), 3, 0, typhoon) == date(2026, 12, 30)


# --- the case as a whole ------------------------------------------------------------------------------------------

HAPPY = [
    Event("submit", date(2026, 3, 2)),
    Event("accept", date(2026, 3, 4)),
    Event("lodge_quota", date(2026, 3, 5)),
    Event("grant_quota", date(2026, 3, 16)),
    Event("lodge_visa", date(2026, 3, 17)),
    Event("issue_visa", date(2026, 3, 27)),
    Event("record_arrival", date(2026, 4, 10)),
]


def test_happy_path_all_clocks_met() -> None:
    clocks = compute_clocks(HAPPY, today=date(2026, 5, 1), calendar=CAL)
    assert list(clocks) == ["review", "quota", "visa", "overall"]
    assert {name: c.state for name, c in clocks.items()} == dict.fromkeys(clocks, "met")
    overall = clocks["overall"]
    assert overall.due_on == date(2026, 3, 30)
    assert overall.stopped_on == date(2026, 3, 27) and overall.stopped_by == "issue_visa"
    assert overall.elapsed_days == 25
    # review 2 Mar..4 Mar officer; quota_prep 5 Mar company; quota 6..16 authority; visa_prep 17 company; visa 18..27.
    assert overall.waiting == {"officer": 2, "company": 2, "expert": 0, "authority": 21}
    assert clocks["review"].elapsed_days == 2 and clocks["review"].due_on == date(2026, 3, 5)
    assert all(c.cycle == 1 for c in clocks.values())
    assert replay_status(HAPPY) == CaseState("arrived", None, True)


def test_only_started_clocks_are_reported() -> None:
    assert compute_clocks([], today=date(2026, 3, 1), calendar=CAL) == {}
    clocks = compute_clocks(HAPPY[:2], today=date(2026, 3, 5), calendar=CAL)
    assert list(clocks) == ["review", "overall"]
    assert clocks["overall"].is_running and not clocks["review"].is_running


def test_parallel_visa_runs_while_quota_is_pending() -> None:
    events = [
        Event("submit", date(2026, 1, 5)),
        Event("accept", date(2026, 1, 6)),
        Event("lodge_quota", date(2026, 1, 7)),
        Event("lodge_visa", date(2026, 1, 8)),
        Event("grant_quota", date(2026, 1, 15), to_status="visa"),
        Event("issue_visa", date(2026, 1, 20)),
    ]
    assert replay_status(events[:4]) == CaseState("quota", None, True)
    clocks = compute_clocks(events, today=date(2026, 2, 1), calendar=CAL)
    assert clocks["visa"].started_on == date(2026, 1, 8) and clocks["visa"].state == "met"
    assert clocks["visa"].waiting["authority"] == 12
    assert replay_status(events).status == "approved"


def test_reject_stops_every_running_clock_and_closes_the_pause() -> None:
    events = [
        *HAPPY[:3],
        Event("request_info", date(2026, 3, 10), party="expert"),
        Event("reject", date(2026, 3, 12)),
    ]
    clocks = compute_clocks(events, today=date(2026, 6, 1), calendar=CAL)
    for name in ("quota", "overall"):
        assert clocks[name].stopped_on == date(2026, 3, 12)
        assert clocks[name].stopped_by == "reject"
        assert clocks[name].state == "met"
        assert clocks[name].pauses == (Pause(date(2026, 3, 10), date(2026, 3, 12), 2, "expert"),)
    assert clocks["review"].stopped_by == "accept"
    assert "when the case was rejected" in clocks["quota"].explanation_lines()[-1]
    assert replay_status(events) == CaseState("rejected")


def test_withdraw_while_over_the_target_is_a_breach() -> None:
    events = [Event("submit", date(2026, 3, 2)), Event("withdraw", date(2026, 4, 15))]
    clocks = compute_clocks(events, today=date(2026, 6, 1), calendar=CAL)
    assert clocks["review"].state == "breached" and clocks["review"].stopped_by == "withdraw"
    assert clocks["overall"].state == "breached"


def test_running_state_thresholds_exactly() -> None:
    lodged = date(2026, 3, 2)  # due Monday 16 March
    states = {d: quota_clock(lodged, today=lodged + timedelta(days=d)).state for d in range(0, 16)}
    # 0.75 * 14 = 10.5, so at risk from 11 elapsed days.
    assert all(states[d] == "on_track" for d in range(0, 11))
    assert states[11] == states[12] == states[13] == states[14] == "at_risk"
    assert states[15] == "breached"


def test_resolver_applies_the_policy_in_force_when_the_clock_started() -> None:
    def resolver(name: str, started_on: date) -> ClockTarget:
        if name == "quota" and started_on >= date(2026, 3, 10):
            return ClockTarget(10, "working", at_risk_ratio=0.5)
        return DEFAULT_TARGETS[name]

    before = quota_clock(date(2026, 3, 9), today=date(2026, 3, 11))
    assert before.target_days == 14
    after = compute_clocks(
        [Event("submit", date(2026, 3, 5)), Event("accept", date(2026, 3, 6)), Event("lodge_quota", date(2026, 3, 10))],
        today=date(2026, 3, 11),
        calendar=CAL,
        resolver=resolver,
    )
    assert after["quota"].target_days == 10 and after["quota"].day_kind == "working"
    assert after["quota"].due_on == date(2026, 3, 24)
    assert after["review"].target_days == 3


def test_replay_trusts_the_stored_status() -> None:
    events = [Event("submit", date(2026, 3, 2)), Event("accept", date(2026, 3, 3), to_status="visa_prep")]
    assert replay_status(events) == CaseState("visa_prep")
    assert replay_status(events[:1] + [Event("accept", date(2026, 3, 3))]) == CaseState("quota_prep")
    # A log the current rules would refuse still replays to what was recorded.
    odd = [Event("submit", date(2026, 3, 2)), Event("lodge_visa", date(2026, 3, 3), to_status="visa")]
    assert replay_status(odd) == CaseState("visa", None, True)


def test_restarted_clock_counts_its_cycle() -> None:
    # Not reachable through the workflow today, but a log imported from elsewhere may restart a stage.
    events = [
        Event("submit", date(2026, 3, 2)),
        Event("accept", date(2026, 3, 3)),
        Event("submit", date(2026, 3, 9), to_status="review"),
    ]
    clocks = compute_clocks(events, today=date(2026, 3, 10), calendar=CAL)
    assert clocks["review"].cycle == 2 and clocks["review"].started_on == date(2026, 3, 9)
    assert clocks["overall"].cycle == 1 and clocks["overall"].started_on == date(2026, 3, 2)


def test_as_dict_is_json_ready() -> None:
    data = quota_clock(date(2026, 3, 20), today=date(2026, 3, 25)).as_dict()
    assert data["due_on"] == "2026-04-08" and data["state"] == "on_track"
    assert data["rolled_days"][0] == {"date": "2026-04-03", "reason": "Good Friday"}
    assert set(data) >= {"target_days", "day_kind", "started_on", "due_on", "elapsed_days", "paused_days", "state"}
