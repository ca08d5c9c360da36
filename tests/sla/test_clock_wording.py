"""How a clock is phrased: day counts with their plural forms in both languages, a gauge that explains days added to
the target (holidays the due date rolled over, pauses), and a pause that holds the due date while it lasts."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from talentcase.common.i18n import translator
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import Event, compute_clocks
from tests.api import make_case

CAL = HKCalendar()
SUBMITTED = [Event("submit", date(2026, 3, 16))]  # a Monday: the review is due on Thursday 19 March
# Lodged on 3 February 2026 and granted on the due date: the three days of Lunar New Year moved it from the 17th.
LUNAR_NEW_YEAR = [
    Event("submit", date(2026, 1, 30)),
    Event("accept", date(2026, 2, 2)),
    Event("lodge_quota", date(2026, 2, 3)),
    Event("grant_quota", date(2026, 2, 20)),
]


def _outcome(today: date) -> str:
    return compute_clocks(SUBMITTED, today=today, calendar=CAL)["review"].explanation_lines()[-1]


def test_one_day_has_run_and_two_days_have_run():
    assert _outcome(date(2026, 3, 17)) == "As of Tuesday 17 March 2026, 1 working day of 3 has run; it is on track."
    assert _outcome(date(2026, 3, 18)) == (
        "As of Wednesday 18 March 2026, 2 working days of 3 have run; it is on track."
    )


def test_the_day_counts_read_in_chinese(app):
    review = compute_clocks(SUBMITTED, today=date(2026, 3, 17), calendar=CAL)["review"]
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        outcome = review.explanation_lines(translator())[-1]
        gauge = review.gauge_lines(translator())
    assert "1個工作天" in outcome and "3" in outcome
    assert gauge[0] == "已用 1／3 個工作天"


def test_the_gauge_explains_days_added_because_the_due_date_fell_on_holidays():
    quota = compute_clocks(LUNAR_NEW_YEAR, today=date(2026, 3, 1), calendar=CAL)["quota"]
    assert (quota.state, quota.elapsed_days, quota.target_days) == ("met", 17, 14)
    assert quota.gauge_lines() == [
        "17 of 14 calendar days used",
        "3 days added because the due date fell on a Sunday, a general holiday or a closure day",
    ]


def test_the_gauge_counts_one_day_and_paused_days_with_plurals():
    events = [*SUBMITTED, Event("request_info", date(2026, 3, 17), "company")]
    review = compute_clocks(events, today=date(2026, 3, 18), calendar=CAL)["review"]
    assert review.gauge_lines() == ["1 of 3 working days used", "1 day paused"]


def test_a_pause_begun_on_the_due_date_holds_it_while_the_pause_lasts():
    events = [*SUBMITTED, Event("request_info", date(2026, 3, 19), "company")]  # asked on the due date itself
    saturday = compute_clocks(events, today=date(2026, 3, 21), calendar=CAL)["review"]
    # One working day paused (Friday) would make it due on Friday, and breached on Saturday while it still waits.
    assert (saturday.state, saturday.due_on, saturday.due_held_to) == ("paused", date(2026, 3, 21), date(2026, 3, 21))
    assert (
        "A pause that began by the due date keeps the clock from falling due while it lasts, so it is due no earlier "
        "than Saturday 21 March 2026." in saturday.explanation_lines()
    )
    monday = compute_clocks(events, today=date(2026, 3, 23), calendar=CAL)["review"]
    assert (monday.state, monday.due_on, monday.due_held_to) == ("paused", date(2026, 3, 23), None)


def test_the_case_page_shows_the_gauge_with_its_explanation(client, auth, db, people):
    steps = [(event.action, event.occurred_on) for event in LUNAR_NEW_YEAR]
    case = make_case(people["company_a"], opened_on=date(2026, 1, 28), steps=steps)
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = " ".join(client.get(f"/cases/{case.id}").get_data(as_text=True).split())
    quota = page[page.index('id="clock-quota"') :]
    assert (
        "17 of 14 calendar days used · 3 days added because the due date fell on a Sunday, a general holiday or a "
        "closure day" in quota
    )
    chart = quota[quota.index('<svg class="clock-chart"') : quota.index("</svg>")]
    assert "#b10e1e" not in chart  # no overdue mark on a clock that met its target
