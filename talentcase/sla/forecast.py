"""Expected dates for an open case: when the quota is granted, the visa issued, and the expert can start.

A pure function of the case's milestones so far, the milestones of finished cases (the park's own history) and the
Hong Kong calendar. From the case's latest milestone M, the history gives how long the step to each later milestone
T really took: the empirical distribution of the working days from M to T in past cases, counted on the Hong Kong
calendar (so that the general holidays and closure days ahead of this case push its dates out, however many there
were behind the past ones), and only the past cases whose step took at least as long as this case's has already
taken (a step under way is conditioned on its elapsed days). The working days include the days paused for
information, which is how past pauses enter; a case paused now, or asked for information since M, is compared with
past steps that were asked too. The cases compared are those of the same park, under the same policy version and on
the same path (with or without a quota application), dropping the least telling condition first while fewer than
MIN_CASES remain. With too little history the pledge targets stand in, and the basis says so.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from talentcase.sla.calendar import HKCalendar
from talentcase.sla.days import add_working_days, calendar_due, count_working_days, working_due

SUBMITTED, ACCEPTED = "submitted", "accepted"
QUOTA_LODGED, QUOTA_GRANTED = "quota_lodged", "quota_granted"
VISA_LODGED, VISA_ISSUED = "visa_lodged", "visa_issued"
MILESTONES: tuple[str, ...] = (SUBMITTED, ACCEPTED, QUOTA_LODGED, QUOTA_GRANTED, VISA_LODGED, VISA_ISSUED)
# The action that reaches each milestone (its first occurrence counts).
MILESTONE_OF_ACTION: Mapping[str, str] = {
    "submit": SUBMITTED,
    "accept": ACCEPTED,
    "lodge_quota": QUOTA_LODGED,
    "grant_quota": QUOTA_GRANTED,
    "lodge_visa": VISA_LODGED,
    "issue_visa": VISA_ISSUED,
}
TARGETS: tuple[str, ...] = (QUOTA_GRANTED, VISA_ISSUED)

MIN_CASES = 20
LOW, HIGH = 0.10, 0.90  # an 80 % interval
DEFAULT_TRAVEL_DAYS = 14
# The conditions in the order they are given up when too few past cases meet them all.
CONDITIONS: tuple[str, ...] = ("park", "policy", "path", "asked")
# The pledges standing in for history: the park's review in working days, the authorities' two weeks each.
PLEDGE_REVIEW_WORKING_DAYS = 3
PLEDGE_STEP_DAYS = 14


@dataclass(frozen=True)
class Journey:
    """One case's way so far: where it is filed, under which policy, the first date of each milestone reached, the
    dates it was asked for information, and whether it goes through a quota application (None while unknown)."""

    park: str
    policy_code: str | None
    milestones: Mapping[str, date]
    info_requests: tuple[date, ...] = ()
    has_quota_step: bool | None = None

    def reached(self) -> list[tuple[str, date]]:
        """The milestones reached, the latest first (the later in MILESTONES first on the same day)."""
        order = sorted(((on, MILESTONES.index(name), name) for name, on in self.milestones.items()), reverse=True)
        return [(name, on) for on, _, name in order]


@dataclass(frozen=True)
class Estimate:
    """A date as a median and an 80 % interval; an actual date has all three equal and is_actual set."""

    median: date
    low: date
    high: date
    is_actual: bool = False

    def shifted(self, days: int) -> Estimate:
        step = timedelta(days=days)
        return Estimate(self.median + step, self.low + step, self.high + step, self.is_actual)


@dataclass(frozen=True)
class Basis:
    """What an estimate rests on: the past cases compared (0 for the pledge), from which milestone, under which
    conditions, and the working days the step under way has already taken."""

    cases_used: int
    since: str | None
    conditions: Mapping[str, object] = field(default_factory=dict)
    elapsed_days: int = 0
    is_pledge: bool = False


@dataclass(frozen=True)
class Forecast:
    """The expected quota grant, visa issue and start date of one case, each None when it does not apply."""

    quota_granted_on: Estimate | None
    visa_issued_on: Estimate | None
    start_on: Estimate | None
    basis: Basis


@dataclass(frozen=True)
class Step:
    """One past step from milestone to milestone: its working days and the conditions it happened under."""

    days: int
    park: str
    policy: str | None
    path: bool | None
    asked: bool


def past_steps(journeys: Iterable[Journey], calendar: HKCalendar) -> dict[tuple[str, str], list[Step]]:
    """Every step of the past journeys from each milestone to each later target, keyed (from, to)."""
    steps: dict[tuple[str, str], list[Step]] = {}
    for journey in journeys:
        ms = journey.milestones
        for target in TARGETS:
            end = ms.get(target)
            if end is None:
                continue
            for start_name, start in ms.items():
                # A milestone usually reached after the target (a visa lodged before the quota is granted, in
                # parallel) counts only when it really came first.
                later_in_order = MILESTONES.index(start_name) > MILESTONES.index(target)
                if start_name == target or start > end or (later_in_order and start == end):
                    continue
                asked = any(start <= asked_on < end for asked_on in journey.info_requests)
                step = Step(
                    count_working_days(start, end, calendar),
                    journey.park,
                    journey.policy_code,
                    journey.has_quota_step,
                    asked,
                )
                steps.setdefault((start_name, target), []).append(step)
    return steps


def quantile(sorted_days: Sequence[int], share: float) -> int:
    """The nearest-rank quantile of a sorted, non-empty list."""
    rank = max(1, math.ceil(share * len(sorted_days)))
    return sorted_days[rank - 1]


def interval(sorted_days: Sequence[int]) -> tuple[int, int]:
    """The 80 % interval of a sorted, non-empty list of whole days: of the intervals between the 10 % and 90 %
    quantiles taken with their ties or without, the one that holds closest to 80 % of the list (the wider, then the
    earlier, on a tie).

    Whole days tie often, and an interval that takes every tie at both ends holds well over 80 % of the past cases."""
    n = len(sorted_days)
    low_in, high_in = quantile(sorted_days, LOW), quantile(sorted_days, HIGH)
    lows = {low_in, sorted_days[bisect.bisect_right(sorted_days, low_in)] if low_in < high_in else low_in}
    highs = {high_in, sorted_days[bisect.bisect_left(sorted_days, high_in) - 1] if high_in > low_in else high_in}

    def held(pair: tuple[int, int]) -> float:
        return (bisect.bisect_right(sorted_days, pair[1]) - bisect.bisect_left(sorted_days, pair[0])) / n

    pairs = [(lo, hi) for lo in lows for hi in highs if lo <= hi]
    return min(pairs, key=lambda pair: (abs(held(pair) - (HIGH - LOW)), -held(pair), pair))


def _select(steps: Sequence[Step], wanted: Mapping[str, object], elapsed: int) -> tuple[list[int], dict]:
    # Give up the conditions one at a time until MIN_CASES past steps meet the rest (and took at least elapsed).
    active = dict(wanted)
    for drop in (None, *CONDITIONS):
        if drop is not None:
            active.pop(drop, None)
        days = sorted(
            s.days
            for s in steps
            if s.days >= elapsed and all(getattr(s, key) == value for key, value in active.items() if value is not None)
        )
        if len(days) >= MIN_CASES:
            return days, {k: v for k, v in active.items() if v is not None}
    return [], {}


def _pledge(journey: Journey, target: str, calendar: HKCalendar) -> date | None:
    # The pledges chained from the latest milestone: review 3 working days, quota and visa 14 days each (rolled).
    ms = journey.milestones
    if target in ms:
        return ms[target]
    submitted = ms.get(SUBMITTED)
    if submitted is None:
        return None
    accepted = ms.get(ACCEPTED) or working_due(submitted, PLEDGE_REVIEW_WORKING_DAYS, 0, calendar)
    quota_start = ms.get(QUOTA_LODGED, accepted)
    granted = ms.get(QUOTA_GRANTED) or calendar_due(quota_start, PLEDGE_STEP_DAYS, 0, calendar)[0]
    if target == QUOTA_GRANTED:
        return granted
    visa_start = ms.get(VISA_LODGED) or (granted if journey.has_quota_step is not False else accepted)
    return calendar_due(visa_start, PLEDGE_STEP_DAYS, 0, calendar)[0]


def estimate_step(
    journey: Journey,
    target: str,
    steps: Mapping[tuple[str, str], Sequence[Step]],
    *,
    today: date,
    calendar: HKCalendar,
) -> tuple[Estimate | None, Basis]:
    """The expected date of one target milestone of an open case, with what it rests on."""
    if target in journey.milestones:
        on = journey.milestones[target]
        return Estimate(on, on, on, is_actual=True), Basis(0, target)
    if target == QUOTA_GRANTED and journey.has_quota_step is False:
        return None, Basis(0, None)
    reached = journey.reached()
    if not reached:
        return None, Basis(0, None)
    # From the latest milestone first; when too few past cases went from it to the target (a visa lodged before the
    # quota was granted is still rare), from the milestone before it, and so on, before the pledge stands in.
    for since, start in reached:
        elapsed = count_working_days(start, today, calendar)
        asked = any(on >= start for on in journey.info_requests) or None
        wanted = {"park": journey.park, "policy": journey.policy_code, "path": journey.has_quota_step, "asked": asked}
        days, used = _select(steps.get((since, target), ()), wanted, elapsed)
        if days:
            low, high = interval(days)

            def on(working_days: int, start: date = start) -> date:
                return max(add_working_days(start, working_days, calendar), today)

            return Estimate(on(quantile(days, 0.5)), on(low), on(high)), Basis(len(days), since, used, elapsed)
    since, start = reached[0]
    elapsed = count_working_days(start, today, calendar)
    pledged = _pledge(journey, target, calendar)
    if pledged is None:
        return None, Basis(0, since)
    pledged = max(pledged, today)
    return Estimate(pledged, pledged, pledged), Basis(0, since, {}, elapsed, is_pledge=True)


def forecast_case(
    journey: Journey,
    steps: Mapping[tuple[str, str], Sequence[Step]],
    *,
    today: date,
    calendar: HKCalendar,
    travel_days: int = DEFAULT_TRAVEL_DAYS,
) -> Forecast:
    """The expected quota grant, visa issue and earliest start of a case, as of today."""
    quota, _ = estimate_step(journey, QUOTA_GRANTED, steps, today=today, calendar=calendar)
    visa, basis = estimate_step(journey, VISA_ISSUED, steps, today=today, calendar=calendar)
    start = Estimate(visa.median, visa.low, visa.high).shifted(travel_days) if visa is not None else None
    return Forecast(quota, visa, start, basis)
