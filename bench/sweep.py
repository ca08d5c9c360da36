"""The SLA sweep over many open cases, against a bare `SELECT count(*)` over the clock table in the same run.

    .venv/bin/python bench/sweep.py [--cases 100000] [--crossed 300] [--repeat 21] [--database-url URL]

Builds a throwaway database (a SQLite file in a temporary folder unless --database-url names an empty one) with
--cases open cases, each with a running `overall` and `quota` clock row cached as refresh_clocks would leave them
(bulk inserts, no event replay). --crossed of the overall clocks have reached their 50 % threshold today; the others
are days away from any threshold. Then, with a fresh set of crossed clocks each time:

  floor   SELECT count(*) FROM case_clocks (median of --repeat runs, after a warm-up)
  run 1   sweep() with --crossed clocks due
  run 2   sweep() with 10 × --crossed clocks due

Only sweep() itself is timed: the set-based selection of the due rows and the processing of those rows (alert rows,
notices for HR and officers, the cached next threshold day), announcements included, commits included. The ratio
run 2 / run 1 shows whether the cost follows the crossings (≈10) or the cases (≈1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text, update  # noqa: E402

CHUNK = 10_000


def build(db, cases: int, pool: int, today: date) -> None:
    """Companies, users and `cases` open cases with two running clocks each; the first `pool` overall clocks are
    parked just before their first threshold so that later steps can move batches of them over it."""
    from talentcase.accounts.models import Company, User
    from talentcase.cases.models import Case
    from talentcase.sla.models import CaseClock

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
    """Move the overall clocks of these cases so that their 50 % day is today."""
    from talentcase.sla.models import CaseClock

    started = today - timedelta(days=14)
    for start in range(0, len(case_ids), 900):
        db.session.execute(
            update(CaseClock)
            .where(CaseClock.case_id.in_(case_ids[start : start + 900]), CaseClock.name == "overall")
            .values(started_on=started, due_on=started + timedelta(days=28), next_alert_on=today)
        )
    db.session.commit()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--crossed", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--database-url", default="")
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
        db.create_all()
        begin = time.perf_counter()
        pool = args.crossed * 11
        build(db, args.cases, pool, today)
        print(f"built {args.cases} open cases, {2 * args.cases} clock rows in {time.perf_counter() - begin:.1f} s")
        from talentcase.cases.models import Case

        ids = db.session.scalars(select(Case.id).order_by(Case.id).limit(pool)).all()
        db.session.execute(text("ANALYZE") if db.engine.dialect.name == "sqlite" else text("ANALYZE case_clocks"))
        db.session.commit()

        results = []
        for label, batch in (("run 1", ids[: args.crossed]), ("run 2", ids[args.crossed : pool])):
            cross(db, batch, today)
            floor = count_floor(db, args.repeat)
            selection = selection_time(db, today, args.repeat)
            seconds, report = timed_sweep(today)
            assert report.clocks_due == len(batch), (report.clocks_due, len(batch))
            assert report.alerts_raised == len(batch)
            again, second = timed_sweep(today)  # nothing left: the cost of a sweep with no crossings
            assert second.alerts_raised == 0
            results.append((label, len(batch), floor, selection, seconds, again))
            print(f"{label}: {len(batch)} crossed, sweep {seconds * 1000:.1f} ms, count(*) {floor * 1000:.2f} ms")
        total = db.session.scalar(select(func.count()).select_from(text("case_clocks")))
        dialect = db.engine.dialect.name
    print(f"database: {dialect}; clock rows: {total}")
    print(
        f"{'run':6} {'crossed':>8} {'count(*) ms':>12} {'select ms':>10} {'select/floor':>13} {'sweep ms':>10} "
        f"{'sweep/floor':>12} {'ms/crossing':>12} {'idle sweep ms':>14}"
    )
    for label, crossed, floor, selection, seconds, idle in results:
        print(
            f"{label:6} {crossed:8d} {floor * 1000:12.2f} {selection * 1000:10.2f} {selection / floor:13.2f} "
            f"{seconds * 1000:10.1f} {seconds / floor:12.0f} {seconds * 1000 / crossed:12.2f} {idle * 1000:14.2f}"
        )
    growth = results[1][4] / results[0][4]
    print(f"run 2 / run 1: sweep time x{growth:.2f} for crossings x{results[1][1] // results[0][1]} (same case count)")


if __name__ == "__main__":
    main()
