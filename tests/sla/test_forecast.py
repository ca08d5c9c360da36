"""The expected dates as a pure function: history, elapsed days, pauses and closures ahead, the pledge fallback."""

from __future__ import annotations

import random
from datetime import date, timedelta

from talentcase.cases import demo_history
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.days import add_working_days
from talentcase.sla.forecast import (
    ACCEPTED,
    MIN_CASES,
    QUOTA_GRANTED,
    QUOTA_LODGED,
    SUBMITTED,
    VISA_ISSUED,
    VISA_LODGED,
    Journey,
    estimate_step,
    forecast_case,
    interval,
    past_steps,
)

CAL = HKCalendar()
MONDAY = date(2026, 3, 2)


def _past(count: int, visa_days: int | list[int], *, asked_extra: int = 0, park: str = "HKSTP") -> list[Journey]:
    """Finished journeys without a quota step: submitted on Mondays, accepted 2 working days later, visa lodged 3
    after that, issued visa_days working days after lodging (every other one asked, taking asked_extra more)."""
    out = []
    days = visa_days if isinstance(visa_days, list) else [visa_days] * count
    for i in range(count):
        submitted = MONDAY - timedelta(weeks=40) + timedelta(weeks=i % 30)
        accepted = add_working_days(submitted, 2, CAL)
        lodged = add_working_days(accepted, 3, CAL)
        asked = i % 2 == 0 and asked_extra > 0
        issued = add_working_days(lodged, days[i % len(days)] + (asked_extra if asked else 0), CAL)
        ms = {SUBMITTED: submitted, ACCEPTED: accepted, VISA_LODGED: lodged, VISA_ISSUED: issued}
        out.append(Journey(park, "2025-12-24", ms, (add_working_days(lodged, 1, CAL),) if asked else (), False))
    return out


def _open(lodged: date, *, asked: tuple[date, ...] = ()) -> Journey:
    ms = {SUBMITTED: lodged - timedelta(days=9), ACCEPTED: lodged - timedelta(days=5), VISA_LODGED: lodged}
    return Journey("HKSTP", "2025-12-24", ms, asked, False)


def test_a_step_with_no_history_falls_back_to_the_pledge_and_says_so():
    journey = _open(MONDAY)
    estimate, basis = estimate_step(journey, VISA_ISSUED, {}, today=MONDAY, calendar=CAL)
    assert basis.is_pledge and basis.cases_used == 0
    assert estimate.median == date(2026, 3, 16)  # lodged + 14 days, a Monday
    # Too few past cases is no history either.
    few = past_steps(_past(MIN_CASES - 1, 5), CAL)
    assert estimate_step(journey, VISA_ISSUED, few, today=MONDAY, calendar=CAL)[1].is_pledge


def test_the_forecast_of_a_finished_stage_is_its_actual_date():
    journey = Journey("HKSTP", "2025-12-24", {SUBMITTED: MONDAY, ACCEPTED: MONDAY, VISA_ISSUED: date(2026, 3, 20)})
    estimate, _ = estimate_step(journey, VISA_ISSUED, {}, today=date(2026, 4, 1), calendar=CAL)
    assert (estimate.median, estimate.low, estimate.high) == (date(2026, 3, 20),) * 3 and estimate.is_actual
    result = forecast_case(journey, {}, today=date(2026, 4, 1), calendar=CAL, travel_days=10)
    assert result.start_on.median == date(2026, 3, 30)  # the issue plus the travel days HR gave


def test_history_gives_the_median_and_interval_in_working_days_from_the_latest_milestone():
    steps = past_steps(_past(50, list(range(1, 11))), CAL)  # 1..10 working days, evenly
    estimate, basis = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=MONDAY, calendar=CAL)
    assert not basis.is_pledge and basis.cases_used == 50 and basis.since == VISA_LODGED
    assert estimate.median == add_working_days(MONDAY, 5, CAL)
    assert estimate.low == add_working_days(MONDAY, 1, CAL) and estimate.high == add_working_days(MONDAY, 8, CAL)


def test_a_step_under_way_is_conditioned_on_the_days_it_has_taken():
    steps = past_steps(_past(100, list(range(1, 11))), CAL)
    today = add_working_days(MONDAY, 6, CAL)  # six working days since lodging, not issued yet
    estimate, basis = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=today, calendar=CAL)
    assert basis.elapsed_days == 6 and basis.cases_used == 50  # only the steps of 6 days or more
    assert estimate.low >= today and estimate.median == add_working_days(MONDAY, 8, CAL)


def test_a_pause_moves_the_forecast():
    steps = past_steps(_past(80, 5, asked_extra=10), CAL)
    not_asked, _ = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=MONDAY, calendar=CAL)
    asked_on = add_working_days(MONDAY, 1, CAL)
    paused, basis = estimate_step(_open(MONDAY, asked=(asked_on,)), VISA_ISSUED, steps, today=asked_on, calendar=CAL)
    assert basis.conditions["asked"] is True
    assert paused.median == add_working_days(MONDAY, 15, CAL) > not_asked.median


def test_a_closure_day_ahead_moves_the_forecast():
    steps = past_steps(_past(40, 5), CAL)
    plain, _ = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=MONDAY, calendar=CAL)
    typhoon = HKCalendar({date(2026, 3, 4): "Typhoon signal 8"})
    closed, _ = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=MONDAY, calendar=typhoon)
    assert plain.median == date(2026, 3, 9) and closed.median == date(2026, 3, 10)


def test_a_holiday_ahead_moves_the_forecast():
    # Five working days after Monday 30 March 2026 cross Good Friday, the day after, Easter Monday and the Ching Ming
    # holiday moved to Tuesday 7 April (the 5th is a Sunday).
    steps = past_steps(_past(40, 5), CAL)
    estimate, _ = estimate_step(_open(date(2026, 3, 30)), VISA_ISSUED, steps, today=date(2026, 3, 30), calendar=CAL)
    assert estimate.median == date(2026, 4, 9)


def test_conditions_are_given_up_only_when_too_few_cases_meet_them():
    steps = past_steps(_past(30, 4) + _past(30, 9, park="Cyberport"), CAL)
    hkstp, basis = estimate_step(_open(MONDAY), VISA_ISSUED, steps, today=MONDAY, calendar=CAL)
    assert basis.conditions["park"] == "HKSTP" and hkstp.median == add_working_days(MONDAY, 4, CAL)
    elsewhere = Journey("other", "2025-12-24", _open(MONDAY).milestones, (), False)
    mixed, basis = estimate_step(elsewhere, VISA_ISSUED, steps, today=MONDAY, calendar=CAL)
    assert "park" not in basis.conditions and basis.cases_used == 60


def test_no_quota_forecast_when_the_company_holds_a_place():
    result = forecast_case(_open(MONDAY), past_steps(_past(30, 5), CAL), today=MONDAY, calendar=CAL)
    assert result.quota_granted_on is None and result.visa_issued_on is not None


def test_the_interval_holds_close_to_eighty_percent_despite_ties():
    days = sorted([3] * 30 + [4] * 40 + [5] * 30)
    low, high = interval(days)
    held = sum(low <= d <= high for d in days) / len(days)
    assert (low, high) != (3, 5) and abs(held - 0.8) < 0.11  # taking every tie would hold all of them
    assert interval([7]) == (7, 7)


def test_intervals_cover_about_eighty_percent_of_a_synthetic_history():
    # A small version of bench/forecast.py's backtest, as a property of the estimator rather than a timing.
    journeys = demo_history.journeys(3, date(2024, 1, 1), date(2025, 12, 31), 1500, CAL)
    history, held_out = journeys[:1200], journeys[1200:]
    steps = past_steps([j for j in history if j.milestones[VISA_ISSUED] < held_out[0].milestones[SUBMITTED]], CAL)
    rng, inside = random.Random(3), 0
    for journey in held_out:
        actual = journey.milestones[VISA_ISSUED]
        today = journey.milestones[SUBMITTED] + timedelta(
            days=rng.randrange((actual - journey.milestones[SUBMITTED]).days)
        )
        seen = Journey(
            journey.park,
            journey.policy_code,
            {k: v for k, v in journey.milestones.items() if v <= today},
            tuple(d for d in journey.info_requests if d <= today),
            journey.has_quota_step,
        )
        estimate, _ = estimate_step(seen, VISA_ISSUED, steps, today=today, calendar=CAL)
        inside += estimate.low <= actual <= estimate.high
    assert 0.7 <= inside / len(held_out) <= 0.9


def test_too_few_steps_from_the_latest_milestone_fall_back_to_an_earlier_one():
    # Past quotas: lodged, granted 6 working days later. This case lodged its visa (in parallel) after its quota.
    lodged = MONDAY - timedelta(weeks=30)
    past = []
    for week in range(25):
        start = lodged + timedelta(weeks=week)
        ms = {SUBMITTED: start, ACCEPTED: start, QUOTA_LODGED: start, QUOTA_GRANTED: add_working_days(start, 6, CAL)}
        past.append(Journey("HKSTP", "2025-12-24", ms, (), True))
    journey = Journey(
        "HKSTP",
        "2025-12-24",
        {SUBMITTED: MONDAY, ACCEPTED: MONDAY, QUOTA_LODGED: MONDAY, VISA_LODGED: MONDAY},
        (),
        True,
    )
    estimate, basis = estimate_step(journey, QUOTA_GRANTED, past_steps(past, CAL), today=MONDAY, calendar=CAL)
    assert basis.since == QUOTA_LODGED and not basis.is_pledge
    assert estimate.median == add_working_days(MONDAY, 6, CAL)
