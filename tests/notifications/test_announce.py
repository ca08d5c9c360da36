"""Raising and announcing are two steps: the sweep raises alerts and records their announcing in the outbox; the
announcing job routes them once, however often it runs, and a real worker delivers the mail."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from talentcase.common import clock
from talentcase.jobs import services as jobs
from talentcase.jobs.models import JobRecord
from talentcase.notifications.models import Notification, OutboundMail
from talentcase.sla.models import ClockThreshold, SlaAlert
from talentcase.sla.sweep import ANNOUNCE_JOB, sweep
from talentcase.sla.tasks import announce_alerts, sla_sweep
from tests.cases.helpers import act
from tests.jobs import burst
from tests.notifications.conftest import START, announce_wanted, move_to, submitted_case


def _alert_notices(db) -> Counter:
    return Counter(db.session.scalars(select(Notification.kind).where(Notification.kind.like("alert_%"))).all())


def test_the_sweep_raises_and_queues_the_announcing_without_sending_anything_itself(db, people, traveller):
    move_to(traveller, START + timedelta(days=40))
    case = submitted_case(db, people, submit_on=START)  # entered late: every overall threshold crossed at once
    report = sweep()
    assert (report.alerts_raised, report.alerts_announced) == (4, 1)
    assert _alert_notices(db) == {}
    breach = db.session.scalar(select(SlaAlert).where(SlaAlert.case_id == case.id, SlaAlert.threshold == "breach"))
    assert report.announce_ids == [breach.id] and breach.announced_at is None
    job = db.session.get(JobRecord, f"sla-announce-{breach.id}")
    assert (job.func, job.queue, job.status, job.args) == (ANNOUNCE_JOB, "alerts", "wanted", [[breach.id]])

    assert announce_wanted() == 1
    assert _alert_notices(db) == {"alert_breach": 2}  # the officer and the company's HR
    db.session.refresh(breach)
    assert breach.announced_at is not None
    assert announce_alerts([breach.id]) == 0  # a retried job: nothing twice
    assert sweep().alerts_raised == 0 and announce_wanted() == 0
    assert _alert_notices(db) == {"alert_breach": 2}


def test_two_announcing_jobs_at_once_announce_each_alert_once(app, db, people, traveller):
    move_to(traveller, START + timedelta(days=40))
    for _ in range(6):
        submitted_case(db, people, submit_on=START)
    ids = sweep().announce_ids
    assert len(ids) == 6
    counts, errors = [], []
    barrier = threading.Barrier(2)

    def run() -> None:
        with app.app_context():
            try:
                barrier.wait()
                counts.append(announce_alerts(ids))
            except Exception as error:  # pragma: no cover - surfaced by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and sorted(counts) == [0, 6]
    db.session.expire_all()
    assert _alert_notices(db) == {"alert_breach": 12}
    mails = db.session.scalars(select(OutboundMail.to_address).where(OutboundMail.kind == "alert_breach")).all()
    assert Counter(mails) == {"officer@park.test": 6, "hr@alpha.test": 6}


@pytest.mark.redis
def test_the_periodic_sweep_and_a_real_worker_deliver_each_alert_mail_once(
    app, db, people, traveller, live_redis, smtp_peer
):
    move_to(traveller, START + timedelta(days=40))
    case = submitted_case(db, people, submit_on=START)
    # With no owner and no supervisor named, the officer hears of the new case at once (someone must take it); HR
    # hear of the acceptance at once (it starts their next step).
    assert db.session.scalars(select(OutboundMail.kind)).all() == ["case_submitted", "case_accepted"]
    assert sla_sweep() == 4  # raised; the announcing job is handed to Redis right after the sweep
    burst(app)  # the worker announces (notices, mail rows) and then delivers the mails it queued
    burst(app)
    received = Counter((message["To"], message["Subject"]) for message in smtp_peer.messages)
    assert set(received.values()) == {1}
    assert {to for to, _ in received} == {"officer@park.test", "hr@alpha.test"}
    assert all(case.reference in subject for _, subject in received)
    # Everything again: a second sweep, a re-run of the announcing job, another worker pass: nothing new.
    assert sla_sweep() == 0
    announce_alerts(db.session.scalars(select(SlaAlert.id)).all())
    jobs.dispatch()
    burst(app)
    assert len(smtp_peer.messages) == len(received)


def test_a_clocks_next_threshold_day_follows_its_own_alerts_only(db, people, traveller):
    first = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=11))
    later = submitted_case(db, people, submit_on=START + timedelta(days=10))
    move_to(traveller, START + timedelta(days=21))
    sweep()  # the first case's 50 % and 75 %
    move_to(traveller, START + timedelta(days=24))
    sweep()  # the later case's 50 %
    row = next(clock for clock in later.clocks if clock.name == "overall")
    db.session.refresh(row)
    assert (row.next_alert_on, row.next_alert_threshold) == (START + timedelta(days=31), "75pct")
    assert first.id != later.id


def test_a_milder_threshold_crossed_after_a_more_severe_one_is_still_announced(db, people, traveller):
    case = submitted_case(db, people, submit_on=START, accept=False)
    review = next(clock for clock in case.clocks if clock.name == "review")
    days = {row.threshold: row.fires_on for row in review.thresholds}
    # Three working days: two days before due comes before 50 % of the time.
    assert days["due-2d"] < days["50pct"] < days["breach"]
    for day in sorted(set(days.values())):
        move_to(traveller, day)
        sweep()
        announce_wanted()
    alerts = db.session.scalars(
        select(SlaAlert).where(SlaAlert.case_id == case.id, SlaAlert.clock_name == "review")
    ).all()
    assert {alert.threshold: alert.is_announced for alert in alerts} == dict.fromkeys(days, True)
    officer = Counter(
        db.session.scalars(
            select(Notification.kind).where(
                Notification.user_id == people["officer"].id, Notification.kind.like("alert_%")
            )
        ).all()
    )
    assert officer == {f"alert_{code}": 1 for code in days}


def test_threshold_days_are_cached_for_running_clocks_only(db, people, traveller):
    case = submitted_case(db, people, submit_on=START, accept=False)
    review = next(clock for clock in case.clocks if clock.name == "review")
    assert {row.threshold for row in review.thresholds} == {"50pct", "75pct", "due-2d", "breach"}
    act(case, "accept", START + timedelta(days=1), people)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(ClockThreshold.clock_id == review.id)) == 0


def test_an_announcing_job_that_gave_up_is_asked_for_again_an_hour_on(db, people, traveller):
    move_to(traveller, START + timedelta(days=40))
    submitted_case(db, people, submit_on=START)
    (alert_id,) = sweep().announce_ids
    job = db.session.get(JobRecord, f"sla-announce-{alert_id}")
    job.status, job.error, job.finished_at = "failed", "OperationalError: database is locked", clock.now()
    db.session.commit()  # every RQ retry failed

    assert sweep().stragglers == 0  # it gave up minutes ago
    assert db.session.get(JobRecord, job.id).status == "failed"

    traveller.shift(timedelta(hours=1, minutes=1))
    assert sweep().stragglers == 1
    assert db.session.get(JobRecord, job.id).status == "wanted"  # the same job, with its alerts, asked for again
    assert announce_wanted() == 1
    assert _alert_notices(db) == {"alert_breach": 2}
    assert sweep().stragglers == 0
