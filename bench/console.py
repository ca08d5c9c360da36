"""Server time of the officer home and the all-cases list against a bare Flask route, in the same run.

    python bench/console.py --database-url sqlite:////abs/path/bench.db --requests 200 [--write BENCHMARKS.md]

Requests go through the whole WSGI stack in process (session cookie, sign-in, views, templates, SQL), with no
network in between, so the times are the server's own. Routes are measured round-robin, so that every route sees
the same machine state; the bare route is a plain `return "ok"` on the same app. Each page's SQL statements are
counted too. The figures go to BENCHMARKS.md between the officer-console markers, with the command that made them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

START = "<!-- officer-console:start -->"
END = "<!-- officer-console:end -->"
BARE = "/bench/bare"


def pages(search: str, officer_id: str) -> dict[str, str]:
    return {
        "bare Flask route": BARE,
        "smallest console page (calendar feed), for reference": "/officers/calendar",
        "officer home": "/officers/",
        "all cases, page 1": "/officers/cases",
        "all cases, page 200": "/officers/cases?page=200",
        "all cases, at risk by due date": "/officers/cases?sla=at_risk&sort=due",
        "all cases, filtered (park, area, state)": "/officers/cases?park=HKSTP&tech_area=robotics&status=arrived",
        "all cases, search": f"/officers/cases?q={search}",
        "all cases, officer who last acted": f"/officers/cases?officer={officer_id}",
    }


def measure(database_url: str, requests: int, warmup: int) -> tuple[dict, dict]:
    from config import Config
    from talentcase import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(BenchConfig)
    app.add_url_rule(BARE, "bench_bare", lambda: "ok")
    import logging

    logging.getLogger("talentcase.request").setLevel(logging.WARNING)
    from talentcase.accounts.models import User
    from talentcase.cases.models import Case
    from talentcase.extensions import db

    with app.app_context():
        officer = db.session.scalar(select(User).where(User.role == "officer", User.is_enabled.is_(True)).limit(1))
        if officer is None:
            raise SystemExit("no officer in this database: run bench/seed_cases.py first")
        user_id = officer.get_id()
        facts = {
            "cases": db.session.scalar(select(func.count(Case.id))),
            "dialect": db.engine.dialect.name,
            "search": db.session.scalar(select(Case.passport_number).order_by(Case.id.desc()).limit(1))[:5].lower(),
        }
        engine = db.engine
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    routes = pages(facts["search"], user_id)
    queries: dict[str, int] = {}
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    for label, path in routes.items():
        event.listen(engine, "before_cursor_execute", count)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code)
        queries[label] = len(statements)
        statements.clear()
    for _ in range(warmup):
        for path in routes.values():
            client.get(path)
    times: dict[str, list[float]] = {label: [] for label in routes}
    for _ in range(requests):
        for label, path in routes.items():
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times[label].append(time.perf_counter() - started)
    facts["load"] = os.getloadavg()[0]
    results = {}
    bare_mean = statistics.fmean(times["bare Flask route"])
    for label, values in times.items():
        values.sort()
        mean = statistics.fmean(values)
        results[label] = {
            "median_ms": statistics.median(values) * 1000,
            "p95_ms": values[int(len(values) * 0.95) - 1] * 1000,
            "per_second": 1 / mean,
            "ratio": bare_mean / mean,
            "queries": queries[label],
        }
    return results, facts


def report(results: dict, facts: dict, command: str, requests: int) -> str:
    lines = [
        START,
        "## Officer console: home and all-cases list against a bare route",
        "",
        f"Command: `{command}`",
        "",
        f"{facts['cases']:,} cases on {facts['dialect']}; {requests} requests per route, round-robin, in process "
        f"(one thread); {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. "
        f"Load average at the end: {facts['load']:.1f} (other work on the machine inflates every row alike). "
        "Throughput ratio = bare-route mean time / page mean time (1.0 = as fast as the bare route).",
        "",
        "| route | median ms | p95 ms | requests/s (one thread) | ratio to bare | SQL statements |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, row in results.items():
        lines.append(
            f"| {label} | {row['median_ms']:.2f} | {row['p95_ms']:.2f} | {row['per_second']:,.0f} | "
            f"{row['ratio']:.3f} | {row['queries']} |"
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of the file (or add it), leaving every other section as it is."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per route")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--write", type=Path, default=None, help="update this BENCHMARKS.md")
    args = parser.parse_args(argv)
    results, facts = measure(args.database_url, args.requests, args.warmup)
    command = "python bench/console.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = report(results, facts, command, args.requests)
    print(section)
    if args.write:
        write_section(args.write, section)


if __name__ == "__main__":
    main()
