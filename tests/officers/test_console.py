"""The officer home: clock counts that agree with the engine, queues, waiting-on, ageing, companies and charts."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from talentcase.cases.models import Case
from talentcase.officers import queries, trends
from talentcase.officers.sql import days_between
from talentcase.sla import services as sla
from tests.officers.conftest import TODAY, act, case_at, count_queries
from tests.officers.reference_sql import median_by


def _scenario(db, people):
    """Two visas for company A (50 days, then 5 days), a quota about to expire for B, open cases in every stage."""
    a, b = people["company_a"], people["company_b"]
    slow = case_at(db, people, a, "approved", start=date(2025, 12, 1), step_days=10, email="slow@x.test")
    fast = case_at(db, people, a, "approved", start=date(2026, 2, 10), email="fast@x.test")
    in_review = case_at(db, people, a, "review", start=date(2026, 3, 2), email="review@x.test")
    paused = case_at(db, people, a, "review", start=date(2026, 3, 16), email="paused@x.test")
    act(paused, "request_info", date(2026, 3, 18), people, party="expert", note="Degree certificate, please.")
    granted = case_at(db, people, b, "quota", start=date(2026, 3, 1), email="granted@x.test")
    act(
        granted, "grant_quota", date(2026, 3, 10), people, detail={"quota_places": 5, "quota_valid_until": "2026-04-30"}
    )
    draft = case_at(db, people, b, "draft", email="draft@x.test")
    db.session.commit()
    return {"slow": slow, "fast": fast, "review": in_review, "paused": paused, "granted": granted, "draft": draft}


def test_clock_counts_agree_with_the_engine_for_every_running_clock(db, people):
    _scenario(db, people)
    expected: Counter = Counter()
    for case in db.session.scalars(select(Case)):
        for name, result in sla.compute_for_case(case, today=TODAY).items():
            if result.is_running:
                expected[(name, result.state)] += 1
    counts = queries.clock_state_counts(TODAY)
    got = Counter({(name, state): n for name, states in counts.items() for state, n in states.items() if n})
    assert got == expected


def test_queues_waiting_on_and_ageing(db, people):
    cases = _scenario(db, people)
    at_risk = queries.at_risk_queue(TODAY)
    assert [row.days_left for row in at_risk] == sorted(row.days_left for row in at_risk)
    assert all(row.days_left >= 0 for row in at_risk)
    breaches = queries.breaches(TODAY)
    assert breaches and all(row.days_left < 0 for row in breaches)
    assert (cases["review"].reference, "review") in {(row.reference, row.clock) for row in breaches}

    waiting = queries.waiting_on(TODAY)
    assert waiting["expert"].cases == 1
    assert waiting["expert"].longest == [(cases["paused"].id, cases["paused"].reference, 2)]  # asked on 18 March
    assert waiting["officer"].cases == 1 and waiting["officer"].longest[0][0] == cases["review"].id
    assert waiting["company"].cases == 1 and waiting["company"].longest[0][0] == cases["granted"].id
    assert waiting["authority"].cases == 0

    ageing = dict(queries.ageing(TODAY))
    assert sum(ageing.values()) == 3  # submitted and open: review, paused, granted (the draft is not counted)
    assert ageing["15–21"] == 2  # submitted 3 and 2 March
    assert ageing["0–7"] == 1  # submitted 17 March


def test_company_rows_visas_median_and_quota_places(db, people):
    _scenario(db, people)
    rows = {row.name: row for row in queries.companies(TODAY)}
    alpha, beta = rows["Alpha Robotics Limited"], rows["Beta Biotech Limited"]
    assert (alpha.visas, alpha.visas_within_target) == (2, 1)
    assert alpha.share_within_target == 0.5
    assert alpha.median_days == 27.5  # (50 + 5) / 2
    assert (alpha.places, alpha.used, alpha.reserved, alpha.free) == (2, 2, 0, 0)
    assert alpha.open_cases == 2
    assert (beta.places, beta.reserved, beta.used, beta.free, beta.expiring) == (5, 1, 0, 4, 4)
    assert beta.open_cases == 2  # the quota case and the draft
    assert beta.visas == 0 and beta.median_days is None


def test_trend_series_and_funnel(db, people):
    _scenario(db, people)
    weekly = {monday: (median, visas) for monday, median, visas in trends.weekly_median_days_to_visa(TODAY)}
    assert weekly[date(2026, 1, 26)] == (50.0, 1)  # visa on Friday 30 January
    assert weekly[date(2026, 2, 16)] == (5.0, 1)
    assert sum(visas for _median, visas in weekly.values()) == 2
    monthly = {month: (visas, met) for month, visas, met in trends.monthly_share_within_target(TODAY)}
    assert len(monthly) == 12 and list(monthly)[-1] == "2026-03"
    assert monthly["2026-01"] == (1, 0) and monthly["2026-02"] == (1, 1)
    funnel = dict(trends.funnel())
    assert funnel["approved"] == 2 and funnel["review"] == 2 and funnel["draft"] == 1 and funnel["visa_prep"] == 1


def test_home_page_renders_every_part_with_text_alternatives(client, auth, db, people):
    cases = _scenario(db, people)
    auth.as_user(people["officer"])
    page = client.get("/officers/").get_data(as_text=True)
    for text in (
        "Running clocks by state",
        "At risk",
        "Breached: longest overdue first",
        "Waiting on",
        "Ageing",
        "Alpha Robotics Limited",
        "27.5",
        "50%",
        "28-day target",
    ):
        assert text in page, text
    assert page.count('<svg class="console-chart"') == 3
    assert page.count('role="img"') >= 3 and "<desc id=" in page
    assert "as a table" in page
    assert cases["review"].reference in page
    assert "<script" not in page.split("<body>")[1].split("</main>")[0]


def test_officers_land_on_the_console(client, auth, people):
    auth.as_user(people["officer"])
    assert client.get("/home").headers["Location"].endswith("/officers/")


def _many_cases(db, people, count: int) -> None:
    stages = ("draft", "review", "quota", "visa_prep", "approved")
    for index in range(count):
        company = people["company_a"] if index % 2 else people["company_b"]
        case_at(db, people, company, stages[index % len(stages)], email=f"bulk{index}@x.test")


def test_home_and_list_issue_the_same_number_of_queries_for_5_and_40_cases(client, auth, db, people):
    auth.as_user(people["officer"])
    officer = people["officer"].id
    paths = (
        "/officers/",
        "/officers/cases",
        "/officers/cases?page=2",
        "/officers/cases?sla=breached&sort=due",
        "/officers/cases?sla=at_risk&sort=due",
        "/officers/cases?sort=name",
        "/officers/cases?park=HKSTP&tech_area=artificial_intelligence&status=review",
        f"/officers/cases?officer={officer}&sort=opened",
        "/officers/cases?q=priya+ragh",
        "/officers/cases?q=tc-20",
    )
    _many_cases(db, people, 5)
    few = {path: count_queries(db, client, path) for path in paths}
    _many_cases(db, people, 35)
    many = {path: count_queries(db, client, path) for path in paths}
    assert few == many
    assert max(many.values()) <= 22  # the home: counts, queues, waiting, ageing, companies, likely breaches, trends


def test_median_by_takes_the_middle_row_or_the_mean_of_the_two(db):
    table = Table("median_probe", MetaData(), Column("g", String(1)), Column("v", Integer))
    table.create(db.engine)
    try:
        rows = [("a", 1), ("a", 9), ("a", 3), ("b", 4), ("b", 1), ("b", 10), ("b", 7), ("c", 42)]
        db.session.execute(insert(table), [{"g": g, "v": v} for g, v in rows])
        result = {group: float(value) for group, value in db.session.execute(median_by(table.c.g, table.c.v))}
        assert result == {"a": 3.0, "b": 5.5, "c": 42.0}
        assert db.session.scalar(select(days_between(date(2026, 3, 1), date(2026, 2, 1)))) == 28
    finally:
        db.session.rollback()
        table.drop(db.engine)


def test_an_owner_filter_past_any_integer_column_lists_nothing(client, auth, db, people):
    auth.as_user(people["officer"])
    response = client.get("/officers/cases?owner=999999999999")
    assert response.status_code == 200 and "No cases match" in response.get_data(as_text=True)
