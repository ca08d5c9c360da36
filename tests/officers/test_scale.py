"""The console's faster queries give what the slower ones gave: search terms, clock states, home figures, sorting."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import Integer, cast, func, literal, select

from talentcase.cases import search, services
from talentcase.cases.models import NO_DUE_DATE, Case, CaseSearchTerm
from talentcase.officers import queries, trends
from talentcase.officers.filters import running_clock_state_is
from talentcase.officers.models import STOPPED_OVERALL
from talentcase.officers.sql import days_between
from talentcase.sla.models import CaseClock
from talentcase.sla.queries import current_state
from tests.officers.conftest import TODAY, act, case_at
from tests.officers.reference_sql import median_by, year_month
from tests.officers.test_console import _scenario


def _found(query: str) -> set[int]:
    return set(db_scalars(select(Case.id).where(*search.matches(query))))


def db_scalars(stmt):
    from talentcase.extensions import db

    return db.session.scalars(stmt).all()


def _terms(case: Case) -> set[str]:
    return set(db_scalars(select(CaseSearchTerm.term).where(CaseSearchTerm.case_id == case.id)))


def test_the_case_services_keep_the_search_terms(db, people):
    case = case_at(db, people, people["company_a"], "draft", full_name="Min-jun O'Brien", passport_number="K7654321")
    number = case.reference.rsplit("-", 1)[1]
    assert _terms(case) == {
        case.reference.lower(),
        number,
        number.lstrip("0"),
        "k7654321",
        "min-jun",
        "min",
        "jun",
        "o'brien",
        "o",
        "brien",
    }
    services.update_case(case, {"full_name": "Ada Lovelace", "chinese_name": "陳大文"})
    db.session.commit()
    assert {"ada", "lovelace", "陈大文", "大文", "文"} <= _terms(case)  # Chinese kept in simplified form
    assert not {"min", "brien"} & _terms(case)  # the old name no longer finds the case
    assert _found("LOVEL") == {case.id} and _found("brien") == set()
    assert _found("大文") == {case.id}  # a given name in Chinese alone finds the case
    assert _found("陳大文") == _found("陈大文") == {case.id}  # traditional or simplified, as typed


def test_chinese_names_are_found_in_traditional_or_simplified_characters(db, people):
    simplified = case_at(db, people, people["company_a"], "draft", full_name="Zhang Wei", chinese_name="张伟")
    traditional = case_at(db, people, people["company_a"], "draft", full_name="Chan Oi Lai", chinese_name="陳愛麗")
    assert _found("張偉") == _found("张伟") == _found("偉") == {simplified.id}  # as typed in Hong Kong
    assert _found("陈爱丽") == _found("愛麗") == _found("爱丽") == {traditional.id}  # as a Mainland keyboard gives it
    assert _found("張") == {simplified.id} and _found("陳") == {traditional.id}
    assert search.fold("ZHANG 張偉") == "zhang 张伟" and search.fold("E1234567") == "e1234567"


def test_search_finds_by_the_start_of_any_word_as_officers_type_it(db, people):
    """Every query an officer types (the start of a reference, its number, a passport number, a word of a name)
    finds exactly the cases whose words start with it; each of those the old substring search found too."""
    names = ("Lei Wang", "Wang Lei", "Priya Mehta", "Anna-Lena Schneider", "Oliver Bennett", "Camille Laurent")
    cases = [
        case_at(db, people, people["company_a"], "draft", full_name=name, passport_number=f"E{4000 + index}55")
        for index, name in enumerate(names)
    ]

    def old(query: str) -> set[int]:
        like = f"%{query.lower()}%"
        return {
            case.id
            for case in cases
            if any(like.strip("%") in value.lower() for value in (case.reference, case.full_name, case.passport_number))
        }

    def word_starts(query: str) -> set[int]:
        words = query.lower().split()
        found = set()
        for case in cases:
            terms = search.case_terms(case)
            if all(any(term.startswith(word) for term in terms) for word in words):
                found.add(case.id)
        return found

    queries_typed = {"wang", "WAN", "lei wang", "mehta", "lena", "anna-le", "schn", "e4002", "E40055", "ben", "laur"}
    for case in cases:
        number = case.reference.rsplit("-", 1)[1]
        queries_typed |= {case.reference, case.reference[:8].lower(), number, number.lstrip("0")}
    for query in sorted(queries_typed):
        found = _found(query)
        assert found == word_starts(query), query
        if len(query.split()) == 1:
            assert found <= old(query), query
    assert _found("wang") == {cases[0].id, cases[1].id}
    assert _found("lei wang") == {cases[0].id, cases[1].id}  # every word, in any order
    assert _found("ang") == set()  # the middle of a word is not what officers type
    assert _found("   ") == set(db_scalars(select(Case.id)))  # no words: no condition


@pytest.mark.parametrize("state", ["on_track", "at_risk", "breached", "paused"])
def test_the_clock_state_ranges_match_the_state_of_every_running_clock(db, people, state):
    _scenario(db, people)
    for offset in range(-5, 40, 3):  # days before and after the clocks become at risk and overdue
        today = TODAY + timedelta(days=offset)
        old = select(CaseClock.id).where(CaseClock.is_running.is_(True), current_state(today) == state)
        new = select(CaseClock.id).where(CaseClock.is_running.is_(True), running_clock_state_is(state, today))
        assert set(db_scalars(old)) == set(db_scalars(new)), (state, today)


def _old_visa_clocks(since: date):
    return (
        STOPPED_OVERALL,
        CaseClock.stopped_on >= since,
        CaseClock.case_id == Case.id,
        func.coalesce(Case.status, "").in_(trends.VISA_ISSUED),
    )


def _old_home_figures(today: date):
    """The home's visa figures as the join-per-visa, window-function queries computed them."""
    from talentcase.extensions import db

    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=25)
    week_index = days_between(CaseClock.stopped_on, literal(first_monday)) // 7
    days = days_between(CaseClock.stopped_on, CaseClock.started_on)
    weekly_medians = dict(db.session.execute(median_by(week_index, days, *_old_visa_clocks(first_monday))).all())
    weekly_counts = dict(
        db.session.execute(
            select(week_index, func.count()).where(*_old_visa_clocks(first_monday)).group_by(week_index)
        ).all()
    )
    month = year_month(CaseClock.stopped_on)
    is_met = cast(CaseClock.state == "met", Integer)
    monthly = {
        label: (count, int(met or 0))
        for label, count, met in db.session.execute(
            select(month, func.count(), func.sum(is_met)).where(*_old_visa_clocks(date(2000, 1, 1))).group_by(month)
        )
    }
    since = today - timedelta(days=90)
    per_company = {
        company_id: (count, int(met or 0))
        for company_id, count, met in db.session.execute(
            select(Case.company_id, func.count(), func.sum(is_met))
            .where(*_old_visa_clocks(since))
            .group_by(Case.company_id)
        )
    }
    company_medians = dict(db.session.execute(median_by(Case.company_id, days, *_old_visa_clocks(since))).all())
    return weekly_medians, weekly_counts, monthly, per_company, company_medians


def test_home_visa_figures_equal_those_of_the_previous_queries(db, people):
    _scenario(db, people)
    a, b = people["company_a"], people["company_b"]
    for index, step in enumerate((1, 2, 3, 4, 6)):  # more visas, over several weeks and both companies
        case_at(
            db,
            people,
            a if index % 2 else b,
            "arrived",
            start=date(2026, 1, 5) + timedelta(weeks=index),
            step_days=step,
        )
    closed = case_at(db, people, a, "review", start=date(2026, 3, 2), email="closed@x.test")
    act(closed, "reject", date(2026, 3, 6), people, note="Not eligible.")  # its overall clock stops without a visa
    db.session.commit()

    weekly_medians, weekly_counts, monthly, per_company, company_medians = _old_home_figures(TODAY)
    first_monday = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=25)
    for monday, median, visas in trends.weekly_median_days_to_visa(TODAY):
        index = (monday - first_monday).days // 7
        old_median = weekly_medians.get(index)
        assert median == (None if old_median is None else round(float(old_median), 1)), monday
        assert visas == weekly_counts.get(index, 0), monday
    for label, visas, met in trends.monthly_share_within_target(TODAY):
        assert (visas, met) == monthly.get(label, (0, 0)), label
    assert sum(visas for _label, visas, _met in trends.monthly_share_within_target(TODAY)) >= 7
    for row in queries.companies(TODAY):
        assert (row.visas, row.visas_within_target) == per_company.get(row.company_id, (0, 0)), row.name
        old_median = company_medians.get(row.company_id)
        assert row.median_days == (None if old_median is None else round(float(old_median), 1)), row.name


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({5: 1}, 5),
        ({1: 1, 9: 1, 3: 1}, 3),
        ({4: 1, 1: 1, 10: 1, 7: 1}, 5.5),
        ({2: 3, 8: 1}, 2),
        ({2: 2, 8: 2}, 5),
    ],
)
def test_histogram_median(counts, median):
    assert trends.histogram_median(counts) == median


def test_sort_by_due_date_keeps_cases_without_a_running_clock_last(client, auth, db, people):
    """The due-date order is the previous one: earliest next due date first, cases with none after, by id."""
    a = people["company_a"]
    made = [
        case_at(db, people, a, status, start=date(2026, 3, day))
        for status, day in (
            ("draft", 2),
            ("review", 16),
            ("quota", 5),
            ("approved", 1),
            ("visa_prep", 10),
            ("review", 3),
        )
    ]
    paused = case_at(db, people, a, "review", start=date(2026, 3, 12))
    act(paused, "request_info", date(2026, 3, 13), people, party="company", note="BR, please.")
    db.session.commit()
    made.append(paused)

    def next_due(case: Case):
        dues = [row.due_on for row in case.clocks if row.is_running and not row.is_paused]
        return min(dues) if dues else None

    for case in made:  # the cached sort key is what the clock rows say
        assert case.due_order_on == (next_due(case) or NO_DUE_DATE), case.reference
    expected = sorted(made, key=lambda case: (next_due(case) is None, next_due(case) or date.min, case.id))
    auth.as_user(people["officer"])
    html = client.get("/officers/cases?sort=due&drafts=1").get_data(as_text=True).split("<tbody>")[1]
    positions = [html.index(case.reference) for case in expected]
    assert positions == sorted(positions)
    assert Counter(next_due(case) is None for case in made)[True] >= 3  # draft, approved and paused have none


def test_the_officer_who_acted_last_is_kept_as_the_log_says(db, people):
    """cases.last_officer_id equals the actor of the case's latest officer event, as the correlated query read it."""
    from sqlalchemy.orm import aliased

    from talentcase.cases.models import CaseEvent
    from tests import factories

    second = factories.UserFactory(role="officer", email="second@park.test")
    a = people["company_a"]
    accepted = case_at(db, people, a, "quota", start=date(2026, 3, 2))  # the usual officer accepted it
    asked = case_at(db, people, a, "review", start=date(2026, 3, 9))
    act(asked, "request_info", date(2026, 3, 10), people, party="company", note="BR, please.", actor=second)
    act(asked, "provide_info", date(2026, 3, 11), people, role="hr")  # HR acting later changes nothing
    case_at(db, people, a, "review", start=date(2026, 3, 12))  # no officer has acted
    db.session.commit()

    def old(officer_id: int) -> set[int]:
        latest = aliased(CaseEvent)
        last_id = (
            select(func.max(CaseEvent.id))
            .where(CaseEvent.case_id == Case.id, CaseEvent.actor_role == "officer")
            .correlate(Case)
            .scalar_subquery()
        )
        exists = select(latest.id).where(latest.id == last_id, latest.actor_id == officer_id).exists()
        return set(db_scalars(select(Case.id).where(exists)))

    for officer_id in (people["officer"].id, second.id, people["hr_a"].id):
        assert set(db_scalars(select(Case.id).where(Case.last_officer_id == officer_id))) == old(officer_id)
    assert old(second.id) == {asked.id} and accepted.id in old(people["officer"].id)
