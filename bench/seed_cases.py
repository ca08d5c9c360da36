"""Seed N synthetic cases (with their events and cached clock rows) into a database, fast, with bulk inserts.

    python bench/seed_cases.py --database-url sqlite:////abs/path/bench.db --cases 100000

The schema is brought up to date with the migrations first. Cases are spread over the last two years; the older
ones are closed (mostly arrived), the recent ones open in every stage, some paused for information. Clock rows
follow the DESIGN targets with plain calendar arithmetic (no holiday roll-forward): realistic shapes and volumes
for measuring the console, not SLA truth. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

CHUNK = 5000
NATIONALITIES = ("CN", "IN", "GB", "US", "FR", "DE", "SG", "AU", "CA", "KR", "JP")
TECH_AREAS = (
    "artificial_intelligence",
    "biotechnology",
    "cybersecurity",
    "data_analytics",
    "robotics",
    "financial_technologies",
    "microelectronics",
    "quantum",
    "green_technology",
    "iot",
)
GIVEN = ("Lei", "Na", "Wei", "Priya", "Arjun", "Oliver", "Emily", "Lukas", "Anna", "Min-jun", "Yui", "Camille")
FAMILY = ("Wang", "Li", "Zhang", "Mehta", "Iyer", "Bennett", "Carter", "Schneider", "Kim", "Sato", "Laurent")
# stage steps: (action, status after it, days after the previous event: low, high)
MAIN_LINE = (
    ("submit", "review", 1, 4),
    ("accept", "quota_prep", 1, 5),
    ("lodge_quota", "quota", 1, 6),
    ("grant_quota", "visa_prep", 5, 14),
    ("lodge_visa", "visa", 1, 6),
    ("issue_visa", "approved", 5, 14),
    ("record_arrival", "arrived", 5, 30),
)
OFFICER_ACTIONS = {"accept", "reject", "grant_quota", "issue_visa"}
CLOCKS = (  # name, start action, stop action, target days, at risk after days, position
    ("review", "submit", "accept", 5, 3, 0),  # 3 working days, about 5 calendar days
    ("quota", "lodge_quota", "grant_quota", 14, 11, 1),
    ("visa", "lodge_visa", "issue_visa", 14, 11, 2),
    ("overall", "submit", "issue_visa", 28, 21, 3),
)


def plan_case(rng: random.Random, today: date, opened_on: date) -> tuple[list[tuple[str, str, date]], str | None]:
    """The events that have happened by today, and the party asked when the case is paused."""
    events: list[tuple[str, str, date]] = []
    day = opened_on
    status = "draft"
    for action, to_status, low, high in MAIN_LINE:
        day = day + timedelta(days=rng.randint(low, high))
        if day > today:
            break
        if status != "draft" and rng.random() < 0.015:  # rejected or withdrawn along the way
            action = "reject" if rng.random() < 0.5 else "withdraw"
            events.append((action, "rejected" if action == "reject" else "withdrawn", day))
            return events, None
        events.append((action, to_status, day))
        status = to_status
    paused = None
    if status in ("review", "quota_prep", "visa_prep", "quota", "visa") and rng.random() < 0.08:
        asked = events[-1][2] + timedelta(days=1)
        if asked <= today:
            paused = "company" if rng.random() < 0.6 else "expert"
            events.append(("request_info", status, asked))
    return events, paused


def clock_rows(case_id: int, events, paused: str | None, today: date) -> list[dict]:
    """Cached clock rows consistent with the events (calendar arithmetic)."""
    on = {}
    for action, _status, day in events:
        on.setdefault(action, day)
    closed_on = next((day for action, _s, day in events if action in ("reject", "withdraw")), None)
    pause_started = next((day for action, _s, day in events if action == "request_info"), None)
    rows = []
    for name, start, stop, target, risk, position in CLOCKS:
        if start not in on:
            continue
        started = on[start]
        stopped = on.get(stop) or closed_on
        # A pause stops every running clock of the case until the answer (none has come yet in this data).
        is_paused = paused is not None and stopped is None
        paused_days = (today - pause_started).days if is_paused else 0
        due = started + timedelta(days=target + paused_days)
        at_risk = started + timedelta(days=risk + paused_days)
        if stopped:
            state = "met" if stopped <= due else "breached"
        elif is_paused:
            state = "paused"
        elif due < today:
            state = "breached"
        elif at_risk <= today:
            state = "at_risk"
        else:
            state = "on_track"
        rows.append(
            {
                "case_id": case_id,
                "name": name,
                "position": position,
                "cycle": 1,
                "target_days": 3 if name == "review" else target,
                "day_kind": "working" if name == "review" else "calendar",
                "started_on": started,
                "due_on": due,
                "at_risk_on": at_risk,
                "stopped_on": stopped,
                "elapsed_days": ((stopped or today) - started).days,
                "paused_days": paused_days,
                "is_running": stopped is None,
                "is_paused": is_paused and stopped is None,
                "state": state,
                "computed_on": today,
                "next_alert_on": None,
                "next_alert_threshold": None,
            }
        )
    return rows


def seed(database_url: str, count: int, companies: int, seed_value: int, today: date) -> None:
    from config import Config
    from talentcase import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(BenchConfig)
    with app.app_context():
        from flask_migrate import upgrade

        from talentcase.accounts.models import Company, User
        from talentcase.cases.models import NO_DUE_DATE, Case, CaseEvent, CaseSearchTerm, Quota
        from talentcase.cases.search import terms_of
        from talentcase.extensions import db
        from talentcase.sla.models import CaseClock

        upgrade()
        engine = db.engine
        rng = random.Random(seed_value)
        now = datetime.now(UTC)
        started_at = time.perf_counter()
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.execute(text("PRAGMA synchronous=OFF"))
            first_company = (conn.scalar(select(func.max(Company.id))) or 0) + 1
            company_rows = [
                {
                    "id": first_company + i,
                    "name": f"Bench Company {seed_value}-{first_company + i} Limited",
                    "park": ("HKSTP", "Cyberport", "other")[i % 3],
                    "br_number": f"{80000000 + i}",
                    "tech_areas": "",
                    "is_listed": False,
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(companies)
            ]
            conn.execute(insert(Company), company_rows)
            company_ids = [row["id"] for row in company_rows]
            first_user = (conn.scalar(select(func.max(User.id))) or 0) + 1
            officers = [
                {
                    "id": first_user + i,
                    "email": f"bench-officer{i}-{seed_value}-{first_user}@talentcase.bench",
                    "name": f"Bench Officer {i}",
                    "role": "officer",
                    "company_id": None,
                }
                for i in range(5)
            ]
            hrs = [
                {
                    "id": first_user + 5 + i,
                    "email": f"bench-hr{company_id}@talentcase.bench",
                    "name": f"HR {company_id}",
                    "role": "hr",
                    "company_id": company_id,
                }
                for i, company_id in enumerate(company_ids)
            ]
            user_defaults = {
                "password_hash": None,
                "preferred_language": "en",
                "is_enabled": True,
                "failed_login_count": 0,
                "session_version": 1,
                "created_at": now,
            }
            conn.execute(insert(User), [{**user_defaults, **row} for row in officers + hrs])
            hr_of = {row["company_id"]: row for row in hrs}
            first_quota = (conn.scalar(select(func.max(Quota.id))) or 0) + 1
            quota_rows, quota_of = [], {}
            for company_id in company_ids:
                for year in (today.year - 2, today.year - 1, today.year):
                    granted = date(year, 1, 15)
                    quota_rows.append(
                        {
                            "id": first_quota + len(quota_rows),
                            "company_id": company_id,
                            "places": 100,
                            "granted_on": granted,
                            "valid_until": date(year + 2, 1, 14),
                            "reference": f"ITC/{year}/{company_id}",
                            "created_at": now,
                        }
                    )
                    quota_of[(company_id, year)] = quota_rows[-1]["id"]
            conn.execute(insert(Quota), quota_rows)

            next_case = (conn.scalar(select(func.max(Case.id))) or 0) + 1
            next_event = (conn.scalar(select(func.max(CaseEvent.id))) or 0) + 1
            cases, events, clocks, terms = [], [], [], []
            places_taken: dict[tuple[int, int], int] = {}
            totals = {"cases": 0, "events": 0, "clocks": 0}

            def flush() -> None:
                if cases:
                    conn.execute(insert(Case), cases)
                if events:
                    conn.execute(insert(CaseEvent), events)
                if clocks:
                    conn.execute(insert(CaseClock), clocks)
                if terms:
                    conn.execute(insert(CaseSearchTerm), terms)
                totals["cases"] += len(cases)
                totals["events"] += len(events)
                totals["clocks"] += len(clocks)
                cases.clear()
                events.clear()
                clocks.clear()
                terms.clear()

            for index in range(count):
                case_id = next_case + index
                company_id = company_ids[rng.randrange(len(company_ids))]
                opened_on = today - timedelta(days=rng.randrange(730))
                planned, paused = plan_case(rng, today, opened_on)
                status = planned[-1][1] if planned else "draft"
                granted = next((day for action, _s, day in planned if action == "grant_quota"), None)
                issued = any(action == "issue_visa" for action, _s, _d in planned)
                quota_year = granted.year if granted else None
                # A quota has 100 places: once they are taken, the company's later hires hold none in this data.
                if quota_year and status not in ("rejected", "withdrawn"):
                    places_taken[(company_id, quota_year)] = places_taken.get((company_id, quota_year), 0) + 1
                    if places_taken[(company_id, quota_year)] > 100:
                        quota_year = None
                name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
                cases.append(
                    {
                        "id": case_id,
                        "reference": f"TC-{opened_on.year}-{case_id:06d}",
                        "company_id": company_id,
                        "status": status,
                        "paused_party": paused,
                        "visa_lodged": any(a == "lodge_visa" for a, _s, _d in planned),
                        "opened_on": opened_on,
                        "submitted_on": planned[0][2] if planned else None,
                        "policy_code": "2022-12-28" if planned else None,
                        "created_by_id": hr_of[company_id]["id"],
                        "created_at": now,
                        "updated_at": now,
                        "full_name": name,
                        "chinese_name": "",
                        "nationality": rng.choice(NATIONALITIES),
                        "email": f"expert{case_id}@bench.example",
                        "date_of_birth": None,
                        "passport_number": f"P{rng.randrange(10**7, 10**8)}",
                        "passport_expiry_on": None,
                        "is_mainland_resident": False,
                        "degree_level": rng.choice(("bachelor", "master", "doctorate")),
                        "degree_field": "Computer Science",
                        "university": "University of Hong Kong",
                        "is_stem_degree": True,
                        "is_top100_university": True,
                        "years_experience": 3,
                        "position_title": "Research Engineer",
                        "tech_area": rng.choice(TECH_AREAS),
                        "duties": "",
                        "monthly_salary_hkd": rng.randrange(30, 120) * 1000,
                        "is_full_time": True,
                        "is_principally_rd": True,
                        "intended_start_on": None,
                        "local_hire_confirmed": True,
                        "phone": "",
                        "expert_language": "en",
                        "quota_id": quota_of.get((company_id, quota_year))
                        if quota_year and status not in ("rejected", "withdrawn")
                        else None,
                        "last_officer_id": None,
                        "due_order_on": NO_DUE_DATE,
                        "quota_place": ("used" if issued else "reserved")
                        if quota_year and status not in ("rejected", "withdrawn")
                        else None,
                    }
                )
                # The search terms the case services would have written (the officer list searches only those).
                row = cases[-1]
                found_by = terms_of(row["reference"], row["full_name"], row["chinese_name"], row["passport_number"])
                terms.extend({"term": term, "case_id": case_id} for term in found_by)
                previous = "draft"
                for sequence, (action, to_status, day) in enumerate(planned, start=1):
                    officer = officers[rng.randrange(len(officers))]
                    actor = officer if action in OFFICER_ACTIONS else hr_of[company_id]
                    events.append(
                        {
                            "id": next_event,
                            "case_id": case_id,
                            "sequence": sequence,
                            "action": action,
                            "occurred_on": day,
                            "recorded_at": now,
                            "actor_id": actor["id"],
                            "actor_label": actor["email"],
                            "actor_role": actor["role"],
                            "note": "Please send the missing document." if action in ("request_info", "reject") else "",
                            "party": paused if action == "request_info" else None,
                            "from_status": previous,
                            "to_status": to_status,
                            "detail": {},
                        }
                    )
                    next_event += 1
                    previous = to_status
                    if actor["role"] == "officer":
                        row["last_officer_id"] = actor["id"]  # as take_action keeps it
                case_clocks = clock_rows(case_id, planned, paused, today)
                running_dues = [c["due_on"] for c in case_clocks if c["is_running"] and not c["is_paused"]]
                row["due_order_on"] = min(running_dues, default=NO_DUE_DATE)  # as refresh_clocks keeps it
                clocks.extend(case_clocks)
                if len(cases) >= CHUNK:
                    flush()
                    print(f"  {totals['cases']:,} cases", file=sys.stderr, flush=True)
            flush()
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        elapsed = time.perf_counter() - started_at
        print(
            f"seeded {totals['cases']:,} cases, {totals['events']:,} events, {totals['clocks']:,} clock rows, "
            f"{companies} companies in {elapsed:.1f} s ({totals['cases'] / elapsed:,.0f} cases/s) "
            f"into {engine.url.render_as_string(hide_password=True)}"
        )
        print(f"officer: {officers[0]['email']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        required=True,
        help="sqlite:////absolute/path.db (a relative one lands in instance/) or postgresql+psycopg://…",
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today in HK)")
    args = parser.parse_args(argv)
    from talentcase.common import clock

    seed(args.database_url, args.cases, args.companies, args.seed, args.today or clock.today())


if __name__ == "__main__":
    main()
