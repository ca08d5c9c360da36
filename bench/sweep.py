"""The SLA sweep over many open cases, against a bare `SELECT count(*)` over the clock table in the same run.

    .venv/bin/python bench/sweep.py [--cases 100000] [--small-cases 10000] [--crossed 300] [--runs 5]
                                    [--repeat 21] [--database-url URL] [--output FILE] [--against OLD_SWEEP_PY]

Builds a throwaway database (a SQLite file in a temporary folder unless --database-url names an empty one) with
--cases open cases, each with a running `overall` and `quota` clock row and their threshold days cached as
refresh_clocks would leave them (bulk inserts, no event replay), 50 companies with one HR each and 3 officers.
Then, each time with fresh clocks moved onto their 50 % day:

  settle     before each measurement: checkpoint SQLite's WAL (see settle()) and collect garbage
  floor      SELECT count(*) FROM case_clocks (median of --repeat warm runs before each sweep, then of those)
  sweep      sweep() with --crossed clocks due, and with 10 x --crossed (median of --runs sweeps each): raising only,
             i.e. what the periodic job runs (claim and advance, alert rows, the announcing jobs recorded in the
             outbox, commits); handing the outbox to Redis afterwards is not timed
  idle       a second sweep the same day, with nothing left to raise
  announce   the announcing job's work for the alerts one sweep raised (notices for officers, commits), per alert

Figures are medians; "best / best" is the fastest sweep over the fastest floor (on a shared, noisy machine).
With --against (an earlier commit's talentcase/sla/sweep.py saved to a file), that module's sweep is timed too, each
time right after this one on as many fresh crossings: a before/after figure from one run on the same machine state.
The same is repeated on a database of --small-cases cases with --crossed clocks due: same crossings, a tenth of the
cases. Cost that follows the crossings shows as sweep(10x) / sweep(1x) near 10 and small / large near 1.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text, update  # noqa: E402

CHUNK = 10_000
THRESHOLDS = (("50pct", 0.5), ("75pct", 0.75))  # the default alert settings: 50 %, 75 %, 2 days before, breach


def build(db, cases: int, pool: int, today: date) -> None:
    """Companies, users and `cases` open cases with two running clocks each; the first `pool` overall clocks are
    parked just before their first threshold so that later steps can move batches of them over it."""
    from talentcase.accounts.models import Company, User
    from talentcase.cases.models import Case
    from talentcase.sla.models import CaseClock, ClockThreshold

    companies = [f"Bench Company {index:03d}" for index in range(50)]
    db.session.execute(insert(Company), [{"name": name} for name in companies])
    company_ids = db.session.scalars(select(Company.id).order_by(Company.id)).all()
    users = [{"email": f"officer{index}@park.test", "role": "officer"} for index in range(3)]
    users += [
        {"email": f"hr{index}@bench.test", "role": "hr", "company_id": cid} for index, cid in enumerate(company_ids)
    ]
    db.session.execute(insert(User), users)
    db.session.commit()
    for start in range(0, cases, CHUNK):
        rows = []
        for index in range(start, min(start + CHUNK, cases)):
            rows.append(
                {
                    "reference": f"TC-2026-{index + 1:06d}",
                    "company_id": company_ids[index % len(company_ids)],
                    "status": "quota",
                    "opened_on": today - timedelta(days=10),
                    "submitted_on": today - timedelta(days=8),
                    "full_name": f"Expert {index}",
                    "nationality": "GB",
                    "email": f"expert{index}@bench.test",
                    "degree_level": "master",
                    "university": "Imperial College London",
                    "position_title": "Engineer",
                    "tech_area": "robotics",
                    "monthly_salary_hkd": 50000,
                }
            )
        db.session.execute(insert(Case), rows)
    db.session.commit()
    case_ids = db.session.scalars(select(Case.id).order_by(Case.id)).all()
    for start in range(0, len(case_ids), CHUNK):
        rows = []
        for position, case_id in enumerate(case_ids[start : start + CHUNK], start=start):
            # The pool waits one day short of its 50 % day; everyone else is fresh (days from any threshold).
            overall_start = today - timedelta(days=13 if position < pool else 3)
            rows.append(_clock(case_id, "overall", 3, overall_start, 28, today))
            rows.append(_clock(case_id, "quota", 1, today - timedelta(days=2), 14, today))
        db.session.execute(insert(CaseClock), rows)
    db.session.commit()
    last = 0
    while True:
        clocks = db.session.execute(
            select(CaseClock.id, CaseClock.started_on, CaseClock.target_days)
            .where(CaseClock.id > last)
            .order_by(CaseClock.id)
            .limit(CHUNK)
        ).all()
        if not clocks:
            break
        last = clocks[-1].id
        db.session.execute(
            insert(ClockThreshold),
            [row for clock_id, started_on, target in clocks for row in _thresholds(clock_id, started_on, target)],
        )
    db.session.commit()


def _thresholds(clock_id: int, started_on: date, target: int) -> list[dict]:
    from talentcase.sla import thresholds

    due_on = started_on + timedelta(days=target)
    days = {code: started_on + timedelta(days=round(target * share)) for code, share in THRESHOLDS}
    days |= {"due-2d": due_on - timedelta(days=2), "breach": due_on + timedelta(days=1)}
    return [
        {"clock_id": clock_id, "threshold": code, "fires_on": day, "severity": thresholds.rank(code)}
        for code, day in days.items()
    ]


def _clock(case_id: int, name: str, position: int, started_on: date, target: int, today: date) -> dict:
    return {
        "case_id": case_id,
        "name": name,
        "position": position,
        "cycle": 1,
        "target_days": target,
        "day_kind": "calendar",
        "started_on": started_on,
        "due_on": started_on + timedelta(days=target),
        "at_risk_on": started_on + timedelta(days=round(target * 0.75)),
        "elapsed_days": (today - started_on).days,
        "is_running": True,
        "is_paused": False,
        "state": "on_track",
        "computed_on": today,
        "next_alert_on": started_on + timedelta(days=target // 2),
        "next_alert_threshold": "50pct",
    }


def cross(db, case_ids: list[int], today: date) -> None:
    """Move the overall clocks of these cases (and their cached threshold days) so that their 50 % day is today."""
    from talentcase.sla.models import CaseClock, ClockThreshold

    started = today - timedelta(days=14)
    for start in range(0, len(case_ids), 900):
        clock_ids = db.session.scalars(
            update(CaseClock)
            .where(CaseClock.case_id.in_(case_ids[start : start + 900]), CaseClock.name == "overall")
            .values(started_on=started, due_on=started + timedelta(days=28), next_alert_on=today)
            .returning(CaseClock.id)
        ).all()
        for row in _thresholds(0, started, 28):
            db.session.execute(
                update(ClockThreshold)
                .where(ClockThreshold.clock_id.in_(clock_ids), ClockThreshold.threshold == row["threshold"])
                .values(fires_on=row["fires_on"])
            )
    db.session.commit()


def settle(db) -> None:
    """Start each measurement from the same state: on SQLite, the WAL that building, crossing and announcing left is
    checkpointed first (else whichever commit crosses the auto-checkpoint mark copies ~1,000 pages into the database
    and pays the fsync, whatever it did itself); garbage is collected."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
    gc.collect()


def count_floor(db, repeat: int) -> float:
    db.session.execute(text("SELECT count(*) FROM case_clocks")).scalar()  # warm the cache
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        db.session.execute(text("SELECT count(*) FROM case_clocks")).scalar()
        times.append(time.perf_counter() - begin)
    db.session.rollback()
    return statistics.median(times)


def selection_time(db, today: date, repeat: int) -> float:
    """The sweep's set-based selection alone (the same statement it runs first)."""
    from talentcase.sla.models import CaseClock

    statement = select(CaseClock.id).where(CaseClock.next_alert_on <= today)
    db.session.scalars(statement).all()
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        db.session.scalars(statement).all()
        times.append(time.perf_counter() - begin)
    db.session.rollback()
    return statistics.median(times)


def timed_sweep(today: date) -> tuple[float, object]:
    from talentcase.sla.sweep import sweep

    begin = time.perf_counter()
    report = sweep(today)
    return time.perf_counter() - begin, report


def timed_announce(db, alert_ids: list[int]) -> float:
    """The announcing jobs' work for one sweep's alerts (the job body: claim, route, commit), in their batches."""
    from talentcase.sla.sweep import ANNOUNCE_BATCH, announce

    begin = time.perf_counter()
    for start in range(0, len(alert_ids), ANNOUNCE_BATCH):
        assert announce(alert_ids[start : start + ANNOUNCE_BATCH]) == len(alert_ids[start : start + ANNOUNCE_BATCH])
        db.session.commit()
    return time.perf_counter() - begin


def load_baseline(path: str):
    """The sweep module of an earlier commit (`git show REV:talentcase/sla/sweep.py > FILE`), timed beside this one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("baseline_sweep", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def measure(db, cases: int, crossings: list[int], args, today: date, baseline=None) -> list[dict]:
    """Build a database of `cases` cases and measure a sweep for each number of crossings (and, given a baseline
    module, that module's sweep over as many fresh crossings right after each one)."""
    from talentcase.cases.models import Case

    db.drop_all()
    db.create_all()
    begin = time.perf_counter()
    pool = sum(crossings) * args.runs * (2 if baseline else 1)
    build(db, cases, pool, today)
    print(f"built {cases} open cases, {2 * cases} clock rows in {time.perf_counter() - begin:.1f} s", flush=True)
    ids = db.session.scalars(select(Case.id).order_by(Case.id).limit(pool)).all()
    db.session.execute(text("ANALYZE") if db.engine.dialect.name == "sqlite" else text("ANALYZE"))
    db.session.commit()
    results = []
    for crossed in crossings:
        sweeps, announces, floors, selections, idles, baselines = [], [], [], [], [], []
        for _ in range(args.runs):
            batch, ids = ids[:crossed], ids[crossed:]
            cross(db, batch, today)
            settle(db)
            floors.append(count_floor(db, args.repeat))
            selections.append(selection_time(db, today, args.repeat))
            seconds, report = timed_sweep(today)
            assert (report.clocks_due, report.alerts_raised, report.alerts_announced) == (crossed,) * 3, report
            sweeps.append(seconds)
            idle, second = timed_sweep(today)  # nothing left: the cost of a sweep with no crossings
            assert second.alerts_raised == 0
            idles.append(idle)
            announces.append(timed_announce(db, report.announce_ids))
            if baseline is not None:
                batch, ids = ids[:crossed], ids[crossed:]
                cross(db, batch, today)
                settle(db)
                begin = time.perf_counter()
                assert baseline.sweep(today).alerts_raised == crossed
                baselines.append(time.perf_counter() - begin)
        row = {
            "cases": cases,
            "crossed": crossed,
            "floor": statistics.median(floors),
            "select": statistics.median(selections),
            "sweep": statistics.median(sweeps),
            "best": min(sweeps) / min(floors),
            "idle": statistics.median(idles),
            "announce": statistics.median(announces),
            "baseline": statistics.median(baselines) if baselines else None,
        }
        results.append(row)
        print(
            f"{cases} cases, {crossed} crossed: sweep {row['sweep'] * 1000:.2f} ms, count(*) {row['floor'] * 1000:.2f}"
            f" ms, announce {row['announce'] * 1000:.0f} ms",
            flush=True,
        )
    return results


def table(results: list[dict]) -> list[str]:
    lines = [
        "| cases | clocks crossed | count(*) ms | select ms | sweep ms | **sweep / floor** | best / best "
        "| sweep ms per crossing | idle sweep ms | announce ms | announce ms per alert |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['cases']:,} | {row['crossed']:,} | {row['floor'] * 1000:.2f} | {row['select'] * 1000:.2f} "
            f"| {row['sweep'] * 1000:.2f} | **{row['sweep'] / row['floor']:.2f}** | {row['best']:.2f} "
            f"| {row['sweep'] * 1000 / row['crossed']:.4f} | {row['idle'] * 1000:.2f} | {row['announce'] * 1000:.0f} "
            f"| {row['announce'] * 1000 / row['crossed']:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--small-cases", type=int, default=10_000, help="0 skips the smaller database")
    parser.add_argument("--crossed", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5, help="sweeps per figure (median)")
    parser.add_argument("--repeat", type=int, default=21, help="count(*) and selection runs per sweep (median)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", default="", help="also write the markdown table to this file")
    parser.add_argument(
        "--against", default="", help="an earlier sla/sweep.py to time beside this one, each on its own crossings"
    )
    args = parser.parse_args()

    from config import Config
    from talentcase import create_app
    from talentcase.extensions import db

    workdir = tempfile.mkdtemp(prefix="tc-bench-sweep-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    app = create_app(
        Config, SQLALCHEMY_DATABASE_URI=url, STORAGE_DIR=f"{workdir}/storage", REDIS_URL="redis://127.0.0.1:1/0"
    )
    import logging

    logging.getLogger("talentcase").setLevel(logging.WARNING)
    today = date(2026, 11, 16)  # a Monday; the bench never asks the real clock
    with app.app_context():
        dialect = db.engine.dialect.name
        baseline = load_baseline(args.against) if args.against else None
        results = measure(db, args.cases, [args.crossed, 10 * args.crossed], args, today, baseline)
        if args.small_cases:
            results += measure(db, args.small_cases, [args.crossed], args, today, baseline)
        db.drop_all()
    with open("/proc/loadavg") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    lines = [f"database: {dialect}; medians of {args.runs} sweeps; load average at the end: {load}", ""]
    lines += table(results)
    base, tenfold = results[0], results[1]
    lines += [
        "",
        f"Same {base['cases']:,} cases, crossings x{tenfold['crossed'] // base['crossed']}: "
        f"sweep x{tenfold['sweep'] / base['sweep']:.1f}, announce x{tenfold['announce'] / base['announce']:.1f}.",
    ]
    if args.small_cases:
        small = results[2]
        lines.append(
            f"Same {base['crossed']:,} crossings, cases x{base['cases'] / small['cases']:.0f} "
            f"({small['cases']:,} -> {base['cases']:,}): sweep x{base['sweep'] / small['sweep']:.2f}, "
            f"count(*) floor x{base['floor'] / small['floor']:.1f}."
        )
    for row in results:
        if row["baseline"]:
            lines.append(
                f"{row['cases']:,} cases, {row['crossed']:,} crossings: the sweep of {args.against} "
                f"{row['baseline'] * 1000:.2f} ms ({row['baseline'] / row['floor']:.2f}x count(*)), this one "
                f"{row['sweep'] * 1000:.2f} ms: x{row['sweep'] / row['baseline']:.2f}."
            )
    print("\n".join(lines))
    if args.output:
        Path(args.output).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
