"""The SLA sweep raises each alert exactly once: twice in a row, two at once, paused, stopped and re-based clocks."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from talentcase.notifications.models import Notification, OutboundMail
from talentcase.sla import services as sla
from talentcase.sla.models import CaseClock, SlaAlert
from talentcase.sla.sweep import sweep
from tests.cases.helpers import act
from tests.notifications.conftest import START, announce_wanted, move_to, submitted_case


def _alerts(db, case=None) -> list[tuple[str, str, int]]:
    stmt = select(SlaAlert.clock_name, SlaAlert.threshold, SlaAlert.cycle).order_by(SlaAlert.id)
    if case is not None:
        stmt = stmt.where(SlaAlert.case_id == case.id)
    return [tuple(row) for row in db.session.execute(stmt)]


def _overall(case) -> CaseClock:
    return next(row for row in case.clocks if row.name == "overall")


def test_each_threshold_is_raised_once_on_its_day_and_a_second_sweep_raises_nothing(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    row = _overall(case)
    fifty, seventy_five = START + timedelta(days=14), START + timedelta(days=21)
    move_to(traveller, fifty - timedelta(days=1))
    assert sweep().alerts_raised == 0
    move_to(traveller, fifty)
    first = sweep()
    assert (first.clocks_due, first.alerts_raised, first.alerts_announced) == (1, 1, 1)
    assert sweep().alerts_raised == 0  # run twice: nothing new
    assert _alerts(db, case) == [("overall", "50pct", 1)]
    db.session.refresh(row)
    assert (row.next_alert_on, row.next_alert_threshold) == (seventy_five, "75pct")
    move_to(traveller, seventy_five)
    sweep()
    sweep()
    assert _alerts(db, case) == [("overall", "50pct", 1), ("overall", "75pct", 1)]


def test_two_sweeps_at_once_raise_one_alert_per_threshold(app, db, people, traveller):
    cases = [submitted_case(db, people, submit_on=START, accept=index % 2 == 0) for index in range(12)]
    # 15 days on: every overall clock crossed 50 %; the six review clocks never stopped are long breached.
    move_to(traveller, START + timedelta(days=15))
    reports, errors = [], []
    barrier = threading.Barrier(2)

    def run() -> None:
        with app.app_context():
            try:
                barrier.wait()
                reports.append(sweep())
            except Exception as error:  # pragma: no cover - surfaced by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    db.session.expire_all()
    keys = Counter(
        db.session.execute(select(SlaAlert.case_id, SlaAlert.clock_name, SlaAlert.cycle, SlaAlert.threshold)).all()
    )
    assert keys and set(keys.values()) == {1}
    review_codes = {"50pct", "75pct", "due-2d", "breach"}
    expected = len(cases) + 6 * len(review_codes)
    assert len(keys) == expected
    assert sum(report.alerts_raised for report in reports) == expected  # each raised by exactly one of the two
    announce_wanted()
    # Announced once: the 12 overall 50 % alerts and the 6 review breaches each reach the officer as one notice.
    officer_alerts = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == people["officer"].id, Notification.kind.like("alert_%"))
    ).all()
    assert Counter(officer_alerts) == {"alert_50pct": 12, "alert_breach": 6}
    breach_mails = db.session.scalars(select(OutboundMail.to_address).where(OutboundMail.kind == "alert_breach")).all()
    assert Counter(breach_mails) == {"officer@park.test": 6, "hr@alpha.test": 6}


def test_a_paused_clock_raises_nothing(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=3))
    act(case, "request_info", START + timedelta(days=3), people, party="company", note="Send the contract.")
    db.session.commit()
    move_to(traveller, START + timedelta(days=40))  # long past every threshold of the clock as it was
    report = sweep()
    assert report.alerts_raised == 0
    assert _alerts(db, case) == []
    assert _overall(case).next_alert_on is None


def test_a_clock_stopped_after_crossing_but_before_the_sweep_raises_nothing(db, people, traveller):
    case = submitted_case(db, people, submit_on=START, accept=False)
    move_to(traveller, START + timedelta(days=10))
    review = next(row for row in case.clocks if row.name == "review")
    assert review.next_alert_on is not None and review.next_alert_on <= START + timedelta(days=10)  # crossed
    act(case, "accept", START + timedelta(days=10), people)  # stopped (late) before any sweep saw it
    db.session.commit()
    sweep()
    assert [alert for alert in _alerts(db, case) if alert[0] == "review"] == []
    assert sweep().alerts_raised == 0


def test_a_clock_stopped_or_paused_between_the_selection_and_the_claim_raises_nothing(db, people, traveller):
    stopped = submitted_case(db, people, submit_on=START, accept=False)
    paused = submitted_case(db, people, submit_on=START, accept=False)
    move_to(traveller, START + timedelta(days=10))
    # What another transaction commits while the sweep runs: the rows still carry their old next threshold day.
    for case, change in ((stopped, {"is_running": False}), (paused, {"is_paused": True})):
        for row in case.clocks:
            for name, value in change.items():
                setattr(row, name, value)
    db.session.commit()
    report = sweep()
    assert report.clocks_due == 2 and report.alerts_raised == 0  # the two review clocks, long crossed
    assert _alerts(db) == []


def test_a_closure_day_that_moves_the_due_date_raises_no_alert_for_the_old_date(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    row = _overall(case)
    old_due = row.due_on
    calendar = sla.load_calendar()
    assert calendar.is_working_day(old_due) and calendar.is_working_day(old_due + timedelta(days=1))
    move_to(traveller, old_due - timedelta(days=2))
    sweep()  # 50 %, 75 % and two days before due: all raised by now
    assert [code for _, code, _ in _alerts(db, case)] == ["50pct", "75pct", "due-2d"]
    # The day after the old due date: a typhoon closed the government on the due date itself, recorded this morning.
    move_to(traveller, old_due + timedelta(days=1))
    sla.add_closure_day(old_due, "typhoon8", "T8 all day")
    db.session.commit()
    db.session.refresh(row)
    assert row.due_on == old_due + timedelta(days=1)
    assert sweep().alerts_raised == 0  # the old breach day has come, but the clock is not breached
    move_to(traveller, old_due + timedelta(days=2))
    sweep()
    breach = db.session.scalar(select(SlaAlert).where(SlaAlert.case_id == case.id, SlaAlert.threshold == "breach"))
    assert breach.threshold_on == old_due + timedelta(days=2)
    assert breach.due_on == old_due + timedelta(days=1)


def test_a_clock_rebased_by_a_pause_raises_no_alert_for_the_old_dates(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=5))
    act(case, "request_info", START + timedelta(days=5), people, party="company", note="Send the contract.")
    db.session.commit()
    move_to(traveller, START + timedelta(days=10))
    act(case, "provide_info", START + timedelta(days=10), people, role="hr")
    db.session.commit()
    row = _overall(case)
    assert row.paused_days == 5
    move_to(traveller, START + timedelta(days=14))  # the 50 % day before the pause
    assert sweep().alerts_raised == 0
    move_to(traveller, START + timedelta(days=19))  # the 50 % day now
    sweep()
    alert = db.session.scalar(select(SlaAlert).where(SlaAlert.case_id == case.id))
    assert (alert.threshold, alert.threshold_on) == ("50pct", START + timedelta(days=19))


def test_a_case_entered_late_announces_only_the_most_severe_threshold(db, people, traveller):
    move_to(traveller, START + timedelta(days=40))
    case = submitted_case(db, people, submit_on=START)  # entered today with its real, old dates
    report = sweep()
    alerts = db.session.scalars(select(SlaAlert).where(SlaAlert.case_id == case.id).order_by(SlaAlert.id)).all()
    assert {alert.threshold: alert.is_announced for alert in alerts} == {
        "50pct": False,
        "75pct": False,
        "due-2d": False,
        "breach": True,
    }
    assert (report.alerts_raised, report.alerts_announced) == (4, 1)
    announce_wanted()
    officer_alerts = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == people["officer"].id, Notification.kind.like("alert_%"))
    ).all()
    assert officer_alerts == ["alert_breach"]
    assert sweep().alerts_raised == 0


def test_flask_sla_sweep_says_what_it_found_and_did(app, db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=14))
    result = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    assert "Clocks past a threshold day: 1 (claimed by this sweep: 1)" in result.output
    assert f"alert {case.reference} overall cycle=1 threshold=50pct" in result.output
    assert "Alerts raised: 1 (to announce 1;" in result.output
    assert "Announced now, in this command: 1" in result.output
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "alert_50pct")) == 1
    assert announce_wanted() == 0  # the announcing job the sweep queued finds the work done
    again = app.test_cli_runner().invoke(args=["sla", "sweep"])
    assert "Clocks past a threshold day: 0" in again.output
