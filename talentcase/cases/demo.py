"""Demo cases for `flask demo seed`: about 80 hires in every state, driven through the case services.

Every case is planned backwards from today (its last event a chosen number of days ago) and then replayed through
`services.take_action` in date order across all cases, so the event log, quotas and cached clocks are real.
Deterministic (one seeded random.Random), idempotent (a company that already has demo cases is skipped).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from talentcase.accounts.models import Company, User
from talentcase.cases import ownership, policy, services
from talentcase.cases.demo_data import (
    AGES,
    CLOSURES,
    DEMO_EMAIL_DOMAIN,
    GAPS,
    JUSTIFICATIONS,
    MAIN_LINE,
    NATIONALITY_CYCLE,
    NOTES,
    PEOPLE,
    POSTS,
    QUOTA_STEPS,
    REACHED_AFTER,
    SCENARIOS,
    SEED,
    WINDOW_DAYS,
)
from talentcase.cases.demo_history import demo_journeys
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.roles import Role
from talentcase.demo import COMPANIES, STAFF, hr_email, register_seeder, replayed
from talentcase.extensions import db
from talentcase.sla import forecasting
from talentcase.sla import services as sla
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.models import CaseJourney, ClosureDay
from talentcase.sla.services import load_calendar


@dataclass
class Step:
    """One planned action of a demo case, `gap` days after the previous one."""

    action: str
    gap: int
    party: str | None = None
    on: date | None = None
    is_skipped: bool = False


@dataclass
class Plan:
    """One demo hire: its company, particulars and planned actions, and the case once opened."""

    company: Company
    quota_places: int
    values: dict
    steps: list[Step] = field(default_factory=list)
    opened_on: date | None = None
    case: Case | None = None


def _needs_group_a(ending: str, stage: str) -> bool | None:
    if stage in ("quota_prep", "quota"):
        return True
    return False if ending in ("rejected", "withdrawn") and stage in ("visa_prep", "visa") else None


def _candidate(rng: random.Random, index: int, area: str, floor: int) -> dict:
    nationality = NATIONALITY_CYCLE[index % len(NATIONALITY_CYCLE)]
    names, universities = PEOPLE[nationality]
    given, family, chinese = rng.choice(names)
    titles, fields = POSTS[area]
    level = rng.choices(["bachelor", "master", "doctorate"], weights=[3, 4, 3])[0]
    years = {"bachelor": rng.randint(2, 9), "master": rng.randint(0, 7), "doctorate": rng.randint(0, 10)}[level]
    # A couple of bachelor's graduates with too little recorded experience, for an officer's override to show.
    short_experience = index % 37 == 5
    if short_experience:
        level, years = "bachelor", 0
    base = {"bachelor": 30000, "master": 38000, "doctorate": 52000}[level]
    salary = min(120000, max(floor, base + years * rng.randint(3000, 7500)))
    study_years = {"bachelor": 0, "master": 2, "doctorate": 5}[level]
    born = date(clock.today().year - 23 - years - study_years, rng.randint(1, 12), rng.randint(1, 28))
    family_first = nationality in ("CN", "KR") or (nationality == "SG" and chinese)
    full_name = f"{family} {given}" if family_first else f"{given} {family}"
    slug = "".join(ch for ch in f"{given}.{family}".lower().replace(" ", "") if ch.isascii() and ch not in "'")
    return {
        "full_name": full_name,
        "chinese_name": chinese if nationality in ("CN", "SG") else "",
        "nationality": nationality,
        "email": f"{slug}.{index:03d}@{DEMO_EMAIL_DOMAIN}",
        "date_of_birth": born,
        "passport_number": f"{'E' if nationality == 'CN' else nationality[0]}{rng.randint(10000000, 99999999)}",
        "passport_expiry_on": date(clock.today().year + rng.randint(3, 9), rng.randint(1, 12), rng.randint(1, 28)),
        "is_mainland_resident": nationality == "CN",
        "degree_level": level,
        "degree_field": rng.choice(fields),
        "university": rng.choice(universities),
        "years_experience": Decimal("0.5") if short_experience else Decimal(years),
        "position_title": rng.choice(titles),
        "tech_area": area,
        "duties": f"Full-time research and development as {rng.choice(titles)} in the company's Hong Kong lab.",
        "monthly_salary_hkd": round(salary / 500) * 500,
        # The company's declarations, answered as HR would (no longer answered by default).
        "is_stem_degree": True,
        "is_top100_university": True,
        "is_full_time": True,
        "is_principally_rd": True,
        "local_hire_confirmed": True,
    }


def _steps(rng: random.Random, ending: str, stage: str, party: str | None, parallel: bool) -> list[Step]:
    actions = list(MAIN_LINE[: REACHED_AFTER[stage]])
    if parallel and "grant_quota" in actions and "lodge_visa" in actions:
        # 2025-12-24 policy: the visa is lodged while the quota is pending.
        actions.remove("lodge_visa")
        actions.insert(actions.index("grant_quota"), "lodge_visa")
    steps = [Step(action, rng.randint(*GAPS[action])) for action in actions]
    if len(steps) >= 2 and rng.random() < 0.3:
        # An information request answered on the way (never after the visa is issued).
        after = rng.randint(1, min(len(steps), 5))
        asked = rng.choice(("company", "expert"))
        steps[after:after] = [
            Step("request_info", rng.randint(*GAPS["request_info"]), asked),
            Step("provide_info", rng.randint(*GAPS["provide_info"])),
        ]
    if ending in ("rejected", "withdrawn"):
        action = "reject" if ending == "rejected" else "withdraw"
        steps.append(Step(action, rng.randint(*GAPS[action])))
    elif ending == "paused":
        steps.append(Step("request_info", rng.randint(1, 4), party))
    return steps


def _schedule(plan: Plan, age: int, today: date) -> None:
    # Backwards from the last event `age` days ago, squeezed into the window when the path is long.
    total = sum(step.gap for step in plan.steps)
    age = min(age, max(0, WINDOW_DAYS - total - 1))
    if total + age >= WINDOW_DAYS:
        scale = (WINDOW_DAYS - 1) / total
        for step in plan.steps:
            step.gap = int(step.gap * scale)
        total = sum(step.gap for step in plan.steps)
    day = today - timedelta(days=age + total)
    plan.opened_on = day
    for step in plan.steps:
        day += timedelta(days=step.gap)
        step.on = day


def _working_days_before(day: date, count: int, calendar: HKCalendar) -> date:
    while count > 0:
        day -= timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def _add_closures(today: date) -> None:
    calendar = HKCalendar()
    for days_ago, note in CLOSURES:
        day = today - timedelta(days=days_ago)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
        if db.session.scalar(select(ClosureDay.id).where(ClosureDay.day == day)) is None:
            sla.add_closure_day(day, "typhoon8", note)


def _take(plan: Plan, step: Step, staff: dict[str, User]) -> None:
    case = plan.case
    hr = staff[hr_email(plan.company.name)]
    officer = staff["officer@talentcase.demo" if case.id % 2 else "officer2@talentcase.demo"]
    action = step.action
    if action in ("accept", "reject") or (action == "request_info" and step.party == "company"):
        role, actor = Role.OFFICER, officer
    elif action in ("grant_quota", "issue_visa") and case.id % 3 == 0:
        role, actor = Role.OFFICER, officer  # the officer recorded what ITC / ImmD did
    else:
        role, actor = Role.HR, hr
    note, detail = "", {}
    if action == "request_info":
        note = NOTES[step.party][case.id % 3]
    elif action in ("reject", "withdraw"):
        note = NOTES[action][case.id % 3]
    elif action == "grant_quota":
        detail = {"quota_places": plan.quota_places, "quota_reference": f"ITC/TTA/{step.on.year}/{case.id:04d}"}
    if action == "submit" and not _clear_eligibility(case, step.on, officer):
        for later in plan.steps:
            later.is_skipped = True  # stays a draft: something no officer may override blocks it
        return
    if action == "submit" and case.owner is None:
        case.owner = officer  # the demo officers share the submitted cases, each the owner of about half
    services.take_action(
        case, action, role=role, actor=actor, occurred_on=step.on, note=note, party=step.party, detail=detail
    )
    if action == "submit":
        ownership.reassign(case, officer)  # the demo's story: the officer who works on the case owns it
    if action == "accept" and case.status == "visa_prep":
        # A free quota place was reserved: the quota steps are skipped.
        for later in plan.steps:
            later.is_skipped = later.is_skipped or later.action in QUOTA_STEPS


def _clear_eligibility(case: Case, on: date, officer: User) -> bool:
    """Have the officer override the failed judgement calls before submission; False when a hard rule blocks."""
    blocking = services.eligibility_report(case, on).blocking
    if any(not row.result.overridable for row in blocking):
        return False
    for row in blocking:
        justification = JUSTIFICATIONS.get(row.result.code, "Accepted on the documents provided.")
        services.override_check(case, row.result.code, justification, officer=officer)
    return True


@register_seeder
def seed_cases() -> int:
    """About ten demo cases per demo company, in every state; a company that already has demo cases is skipped."""
    today = clock.today()
    rng = random.Random(SEED)
    floor = current_app.config["MARKET_SALARY_FLOOR_HKD"]
    emails = [hr_email(name) for name, *_ in COMPANIES] + [email for email, _, _ in STAFF]
    staff = {user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))}
    usable = _companies_to_seed(staff)
    if not usable or not {"officer@talentcase.demo", "officer2@talentcase.demo"} <= staff.keys():
        return 0
    _add_closures(today)
    plans = _plans(rng, usable, floor, today)
    hr_of = {company.id: staff[hr_email(company.name)] for company in usable}
    for plan in sorted(plans, key=lambda plan: plan.opened_on):
        plan.case = services.open_case(
            plan.company, plan.values, creator=hr_of[plan.company.id], opened_on=plan.opened_on
        )
    timeline = sorted(
        ((step.on, plan.case.id, position, plan, step) for plan in plans for position, step in enumerate(plan.steps)),
        key=lambda item: item[:3],
    )
    for day, _, _, plan, step in timeline:
        replayed(day)
        if not step.is_skipped:
            _take(plan, step, staff)
    replayed(today)
    return len(plans)


def _companies_to_seed(staff: dict[str, User]) -> list[Company]:
    """The demo companies that exist, have their HR user and hold no demo case yet."""
    companies = [db.session.scalar(select(Company).where(Company.name == name)) for name, *_ in COMPANIES]
    return [
        company
        for company in companies
        if company is not None
        and hr_email(company.name) in staff
        and db.session.scalar(
            select(Case.id).where(Case.company_id == company.id, Case.email.like(f"%@{DEMO_EMAIL_DOMAIN}")).limit(1)
        )
        is None
    ]


def _plans(rng: random.Random, usable: list[Company], floor: int, today: date) -> list[Plan]:
    """One plan per scenario: its company, candidate, steps and their days, drawn from rng in a fixed order."""
    calendar = sla.load_calendar()
    areas = {name: areas for name, *_, areas in COMPANIES}
    # Group A companies apply for one place per hire; group B hold quotas of 2-5 places that later hires use.
    group_a = [company for index, company in enumerate(usable) if index % 2 == 1] or usable
    group_b = [company for company in usable if company not in group_a] or usable
    scenarios = list(SCENARIOS)
    rng.shuffle(scenarios)
    age_cursor = {key: 0 for key in AGES}
    plans: list[Plan] = []
    for index, (ending, stage, party) in enumerate(scenarios):
        group = {True: group_a, False: group_b, None: usable}[_needs_group_a(ending, stage)]
        company = group[index % len(group)]
        places = 1 if company in group_a and group_a is not group_b else rng.randint(2, 5)
        area = rng.choice(areas[company.name])
        plan = Plan(company, places, _candidate(rng, index, area, floor))
        parallel = company in group_a and rng.random() < 0.35
        plan.steps = _steps(rng, ending, stage, party, parallel)
        key = "paused" if ending == "paused" else "closed" if ending != "open" else stage
        age = AGES[key][age_cursor[key] % len(AGES[key])]
        age_cursor[key] += 1
        if key == "review":
            age = (today - _working_days_before(today, age, calendar)).days
        _schedule(plan, age, today)
        submitted = next((step.on for step in plan.steps if step.action == "submit"), None)
        if parallel and submitted and not policy.policy_in_force(submitted).parallel_quota_visa:
            plan.steps = _steps(rng, ending, stage, party, parallel=False)
            _schedule(plan, age, today)
        plans.append(plan)
    return plans


@register_seeder
def seed_history() -> int:
    """Two years of finished cases before the demo's own (journeys only, as if imported), so that the demo's open
    cases show expected dates drawn from history rather than the pledge; then every open case's forecast."""
    added = 0
    if db.session.scalar(select(CaseJourney.id).where(CaseJourney.case_id.is_(None)).limit(1)) is None:
        for journey in demo_journeys(load_calendar(), clock.today()):
            db.session.add(forecasting.store_journey(journey, CaseJourney()))
            added += 1
        db.session.flush()
    forecasting.refresh_open_cases()
    return added
