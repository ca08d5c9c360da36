"""Reminders through the same path as alerts, each raised once: quota places expiring in 90 and 30 days, passports
expiring before the intended start, expert links not opened after 3 days."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date
from flask import Flask
from sqlalchemy import select

from talentcase.cases.models import Quota
from talentcase.notifications.models import Notification, OutboundMail, Reminder
from talentcase.notifications.reminders import send_reminders
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case, walk_to
from tests.notifications.conftest import START, move_to


def _titles(db, user, kind: str) -> list[str]:
    return db.session.scalars(
        select(Notification.title).where(Notification.user_id == user.id, Notification.kind == kind)
    ).all()


def test_unused_quota_places_are_announced_90_and_30_days_before_they_expire_each_once(db, people, traveller):
    valid_until = START + timedelta(days=200)
    db.session.add(Quota(company_id=people["company_a"].id, places=3, granted_on=START, valid_until=valid_until))
    db.session.commit()
    move_to(traveller, valid_until - timedelta(days=91))
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=90))
    assert send_reminders() == 1
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=60))
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=30))
    assert send_reminders() == 1
    move_to(traveller, valid_until - timedelta(days=10))
    assert send_reminders() == 0
    titles = _titles(db, people["hr_a"], "quota_expiring")
    day = format_date(valid_until, "d MMM y", locale="en")  # as English pages and mails write it
    assert titles == [f"Alpha Robotics Limited: 3 unused quota place(s) expire on {day}"] * 2
    assert _titles(db, people["hr_b"], "quota_expiring") == []
    assert len(_titles(db, people["officer"], "quota_expiring")) == 2
    assert db.session.scalars(select(Reminder.key).order_by(Reminder.id)).all() == ["1:90", "1:30"]


def test_a_quota_first_seen_inside_30_days_gets_only_the_30_day_reminder(db, people, traveller):
    valid_until = START + timedelta(days=20)
    db.session.add(Quota(company_id=people["company_a"].id, places=2, granted_on=START, valid_until=valid_until))
    db.session.commit()
    assert send_reminders() == 1
    assert send_reminders() == 0
    assert db.session.scalars(select(Reminder.key)).all() == ["1:30"]


def test_a_passport_expiring_before_the_intended_start_is_announced_once(db, people, traveller):
    case = make_case(
        people["company_a"],
        opened_on=START,
        passport_expiry_on=START + timedelta(days=30),
        intended_start_on=START + timedelta(days=60),
    )
    make_case(  # a passport valid long enough: nothing to say
        people["company_a"],
        opened_on=START,
        passport_expiry_on=START + timedelta(days=900),
        intended_start_on=START + timedelta(days=60),
    )
    db.session.commit()
    assert send_reminders() == 1
    move_to(traveller, START + timedelta(days=5))
    assert send_reminders() == 0
    assert _titles(db, people["hr_a"], "passport_expiring") == [
        f"{case.reference}: the passport expires on {format_date(START + timedelta(days=30), 'd MMM y', locale='en')}, "
        "before the intended start date"
    ]
    assert db.session.scalars(select(OutboundMail.kind).where(OutboundMail.to_address == "hr@alpha.test")).all() == [
        "passport_expiring"
    ]


def test_an_expert_link_not_opened_after_3_days_is_announced_once(app: Flask, db, people, traveller):
    case = make_case(people["company_a"], opened_on=START)
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    db.session.commit()
    # Invited at 10:00 the day after START.
    move_to(traveller, START + timedelta(days=4), hour=9)  # 2 days and 23 hours later
    assert send_reminders() == 0
    move_to(traveller, START + timedelta(days=4), hour=11)  # 3 days and 1 hour later
    assert send_reminders() == 1
    move_to(traveller, START + timedelta(days=6))
    assert send_reminders() == 0
    assert len(_titles(db, people["hr_a"], "link_not_opened")) == 1


def test_an_opened_link_is_not_a_reminder(app: Flask, db, people, traveller):
    case = make_case(people["company_a"], opened_on=START)
    with app.test_request_context():
        link, _token = invite(case, by=people["hr_a"])
    link.first_opened_at = link.created_at + timedelta(hours=5)
    db.session.commit()
    move_to(traveller, START + timedelta(days=10))
    assert send_reminders() == 0


def test_the_periodic_job_commits_what_it_raised_and_runs_twice_harmlessly(db, people, traveller):
    from talentcase.notifications.tasks import reminders

    valid_until = START + timedelta(days=20)
    db.session.add(Quota(company_id=people["company_a"].id, places=2, granted_on=START, valid_until=valid_until))
    db.session.commit()
    assert reminders() == 1
    db.session.rollback()  # nothing left uncommitted to lose
    assert db.session.scalars(select(Reminder.key)).all() == ["1:30"]
    assert reminders() == 0


def _reserved_on_quota(db, people, valid_until, *, email: str = "held@candidate.test"):
    """A case of company A granted a one-place quota on START that ends on valid_until: its place is reserved."""
    case = make_case(people["company_a"], opened_on=START - timedelta(days=10), email=email)
    walk_to(case, "quota", people, start=START - timedelta(days=10))
    act(case, "grant_quota", START, people, detail={"quota_places": 1, "quota_valid_until": valid_until.isoformat()})
    db.session.commit()
    return case


def test_a_quota_with_places_reserved_by_cases_without_a_visa_is_announced_60_and_14_days_before_it_ends(
    db, people, traveller
):
    valid_until = START + timedelta(days=200)
    case = _reserved_on_quota(db, people, valid_until)
    assert (case.status, case.quota_place) == ("visa_prep", "reserved")  # the quota has no free place left
    move_to(traveller, valid_until - timedelta(days=61))
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=60))
    assert send_reminders() == 1
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=30))
    assert send_reminders() == 0
    move_to(traveller, valid_until - timedelta(days=14))
    assert send_reminders() == 1
    move_to(traveller, valid_until - timedelta(days=3))
    assert send_reminders() == 0

    day = f"{valid_until.day} {valid_until:%b %Y}"  # the one date format: "1 Sep 2026"
    title = f"Alpha Robotics Limited: the quota granted on {START.day} {START:%b %Y} ends on {day}"
    title += " with 1 place reserved by a case without a visa"
    assert _titles(db, people["hr_a"], "quota_reserved_expiring") == [title] * 2
    assert len(_titles(db, people["officer"], "quota_reserved_expiring")) == 2
    assert _titles(db, people["hr_b"], "quota_reserved_expiring") == []
    body = db.session.scalars(
        select(Notification.body).where(Notification.user_id == people["hr_a"].id, Notification.kind.like("quota%"))
    ).first()
    assert case.reference in body
    mails = db.session.scalars(
        select(OutboundMail.kind).where(OutboundMail.to_address == "hr@alpha.test", OutboundMail.kind.like("quota%"))
    ).all()
    assert mails == ["quota_reserved_expiring"] * 2
    keys = db.session.scalars(
        select(Reminder.key).where(Reminder.kind == "quota_reserved_expiring").order_by(Reminder.id)
    ).all()
    assert keys == [f"{case.quota_id}:60", f"{case.quota_id}:14"]


def test_a_quota_whose_places_are_all_used_by_issued_visas_is_not_announced(db, people, traveller):
    valid_until = START + timedelta(days=40)
    case = _reserved_on_quota(db, people, valid_until)
    act(case, "lodge_visa", START + timedelta(days=1), people)
    act(case, "issue_visa", START + timedelta(days=1), people)
    db.session.commit()
    move_to(traveller, valid_until - timedelta(days=14))
    assert send_reminders() == 0
    assert _titles(db, people["hr_a"], "quota_reserved_expiring") == []
