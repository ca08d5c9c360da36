"""Past journeys drawn from known step distributions: the demo's two years of finished cases and the forecast's
backtest (bench/forecast.py) share them.

Each step takes a number of Hong Kong working days drawn from its distribution (which depends on the park and the
policy in force); a step asked for information (30 %) waits a further few working days for the answer. Dates are laid
on the calendar given, so its holidays and closure days fall where they fall. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from talentcase.cases import policy
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.days import add_working_days
from talentcase.sla.forecast import (
    ACCEPTED,
    QUOTA_GRANTED,
    QUOTA_LODGED,
    SUBMITTED,
    VISA_ISSUED,
    VISA_LODGED,
    Journey,
)

PARKS = ("HKSTP", "HKSTP", "HKSTP", "Cyberport", "Cyberport")
ASKED_SHARE = 0.3


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _step(rng: random.Random, base: int, mean: float, asked: list[date], start: date, cal: HKCalendar) -> date:
    # A step from start: base + Poisson(mean) working days, plus a pause when the step is asked for information.
    days = base + _poisson(rng, mean)
    if rng.random() < ASKED_SHARE:
        asked.append(add_working_days(start, rng.randint(0, max(days - 1, 0)), cal))
        days += 2 + _poisson(rng, 4)
    return add_working_days(start, max(days, 1), cal)


def journey(rng: random.Random, submitted: date, cal: HKCalendar) -> Journey:
    """One finished journey submitted on the given day."""
    park = rng.choice(PARKS)
    version = policy.policy_in_force(submitted)
    code, parallel = version.code, version.parallel_quota_visa
    slower = 1.0 if park == "HKSTP" else 1.6
    asked: list[date] = []
    accepted = _step(rng, 1, 1.5 * slower, asked, submitted, cal)
    ms = {SUBMITTED: submitted, ACCEPTED: accepted}
    has_quota_step = rng.random() < 0.55
    visa_start = accepted
    if has_quota_step:
        ms[QUOTA_LODGED] = _step(rng, 1, 3, asked, accepted, cal)
        ms[QUOTA_GRANTED] = _step(rng, 6, 3 * slower, asked, ms[QUOTA_LODGED], cal)
        visa_start = ms[QUOTA_LODGED] if parallel else ms[QUOTA_GRANTED]
    ms[VISA_LODGED] = _step(rng, 1, 2.5, asked, visa_start, cal)
    issued = _step(rng, 6, 4, asked, ms[VISA_LODGED], cal)
    ms[VISA_ISSUED] = max(issued, ms.get(QUOTA_GRANTED, issued))
    return Journey(park, code, ms, tuple(sorted(asked)), has_quota_step)


def journeys(seed: int, first: date, last: date, count: int, cal: HKCalendar) -> list[Journey]:
    """count journeys submitted between first and last (spread evenly at random), in order of submission."""
    rng = random.Random(seed)
    span = (last - first).days
    days = sorted(first + timedelta(days=rng.randrange(span + 1)) for _ in range(count))
    return [journey(rng, day + timedelta(days=1) if day.weekday() == 6 else day, cal) for day in days]


DEMO_SEED = 2018
DEMO_HISTORY_CASES = 700
DEMO_HISTORY_DAYS = 730


def demo_journeys(cal: HKCalendar, today: date) -> list[Journey]:
    """The demo's two years of finished cases: submitted over the two years before today, finished by today."""
    first = today - timedelta(days=DEMO_HISTORY_DAYS)
    drawn = journeys(DEMO_SEED, first, today - timedelta(days=75), DEMO_HISTORY_CASES, cal)
    return [j for j in drawn if j.milestones[VISA_ISSUED] < today]
