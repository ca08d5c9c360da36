"""Backtest of the expected dates (talentcase/sla/forecast.py) on a synthetic history with known step distributions.

    .venv/bin/python bench/forecast.py [--cases 6000] [--seed 7] [--held-out 0.2] [--output FILE]

Draws --cases journeys submitted over three years (talentcase/cases/demo_history.py: steps in Hong Kong working days
from known distributions that depend on the park and the policy, 30 % of steps asked for information and paused,
gazetted holidays and a few closure days a year). The last --held-out share (by submission) is held out: each held-out
case is looked at on one day drawn at random between its submission and its visa issue (its milestones and requests
up to that day only), and forecast from the history of the cases finished before the held-out period began. For the
visa issue (and the quota grant, where the case applies for one) it reports:

  coverage   the share of held-out cases whose actual date lies in the 80 % interval (target 75-85 %)
  MAE        the mean absolute error of the median in calendar days, against forecasting each step at its pledge
             target (the same pledge chain the fallback uses), and the ratio (target <= 0.75)

Then the same on the demo data set's history (demo seed's two years of finished cases), held out the same way.
Results go to stdout (and --output, a Markdown table, when given).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talentcase.cases import demo_history  # noqa: E402
from talentcase.sla.calendar import HKCalendar  # noqa: E402
from talentcase.sla.forecast import (  # noqa: E402
    TARGETS,
    VISA_ISSUED,
    Journey,
    _pledge,
    estimate_step,
    past_steps,
)


def closures(rng: random.Random, first: date, last: date) -> dict[date, str]:
    """About four closure days a year on weekdays (typhoon 8 in summer, a black rainstorm now and then)."""
    days: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for _ in range(4):
            day = date(year, rng.randint(6, 9), rng.randint(1, 28))
            if day.weekday() < 5:
                days[day] = "Typhoon signal 8"
    return days


def as_of(journey: Journey, day: date) -> Journey:
    """The journey as it stood on a day: the milestones and requests up to it."""
    ms = {name: on for name, on in journey.milestones.items() if on <= day}
    asked = tuple(on for on in journey.info_requests if on <= day)
    return Journey(journey.park, journey.policy_code, ms, asked, journey.has_quota_step)


def backtest(history: list[Journey], held_out: list[Journey], cal: HKCalendar, seed: int) -> dict[str, dict]:
    """Coverage and errors of the forecast and of the pledge chain over the held-out journeys."""
    cutoff = held_out[0].milestones["submitted"]
    steps = past_steps([j for j in history if j.milestones[VISA_ISSUED] < cutoff], cal)
    rng = random.Random(seed)
    results: dict[str, dict] = {}
    for target in TARGETS:
        inside, errors, pledge_errors, fallbacks = 0, [], [], 0
        for journey in held_out:
            actual = journey.milestones.get(target)
            if actual is None:
                continue
            submitted = journey.milestones["submitted"]
            today = submitted + timedelta(days=rng.randrange(max((actual - submitted).days, 1)))
            seen = as_of(journey, today)
            estimate, basis = estimate_step(seen, target, steps, today=today, calendar=cal)
            fallbacks += basis.is_pledge
            inside += estimate.low <= actual <= estimate.high
            errors.append(abs((estimate.median - actual).days))
            pledged = max(_pledge(seen, target, cal), today)
            pledge_errors.append(abs((pledged - actual).days))
        n = len(errors)
        results[target] = {
            "cases": n,
            "coverage": inside / n,
            "mae": statistics.fmean(errors),
            "pledge_mae": statistics.fmean(pledge_errors),
            "fallbacks": fallbacks,
        }
    return results


def run(label: str, journeys: list[Journey], cal: HKCalendar, share: float, seed: int) -> list[str]:
    split = int(len(journeys) * (1 - share))
    started = time.perf_counter()
    results = backtest(journeys[:split], journeys[split:], cal, seed)
    seconds = time.perf_counter() - started
    rows = []
    for target, r in results.items():
        ratio = r["mae"] / r["pledge_mae"]
        rows.append(
            f"| {label} | {target} | {split} | {r['cases']} | {r['coverage']:.1%} | {r['mae']:.2f} | "
            f"{r['pledge_mae']:.2f} | {ratio:.2f} | {r['fallbacks']} | {seconds:.1f} s |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--output")
    args = parser.parse_args()
    first, last = date(2023, 12, 1), date(2026, 11, 30)
    cal = HKCalendar(closures(random.Random(args.seed), first, last))
    synthetic = demo_history.journeys(args.seed, first, last, args.cases, cal)
    demo = demo_history.demo_journeys(HKCalendar(), date(2026, 12, 7))
    header = [
        "| history | target | past cases | held out | in 80 % interval | MAE (days) | pledge MAE | ratio | "
        "fallbacks | time |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = header + run("synthetic", synthetic, cal, args.held_out, args.seed)
    rows += run("demo", demo, HKCalendar(), args.held_out, args.seed)
    text = "\n".join(rows)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
