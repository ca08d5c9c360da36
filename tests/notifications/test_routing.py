"""Who hears about what: HR of the case's company, officers (breaches at once, the rest in one digest), the expert."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from talentcase.notifications.digest import send_digests
from talentcase.notifications.models import Notification, OutboundMail
from talentcase.portal.services import invite
from tests.cases.helpers import act
from tests.notifications.conftest import START, move_to, submitted_case, sweep_and_announce

# Most cases here are accepted on the way; HR hearing of the park's decision is covered by test_language.py.
DECISIONS = ("case_accepted", "case_rejected")


def _notices(db, user) -> list[str]:
    return db.session.scalars(
        select(Notification.kind)
        .where(Notification.user_id == user.id, Notification.kind.not_in(DECISIONS))
        .order_by(Notification.id)
    ).all()


def _mails(db, address: str) -> list[str]:
    return db.session.scalars(
        select(OutboundMail.kind)
        .where(OutboundMail.to_address == address, OutboundMail.kind.not_in(DECISIONS))
        .order_by(OutboundMail.id)
    ).all()


def _sweep_on(traveller, day) -> None:
    move_to(traveller, day)
    sweep_and_announce()


def test_hr_of_the_company_hear_of_at_risk_and_breach_only_and_other_companies_hear_nothing(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    due = next(row for row in case.clocks if row.name == "overall").due_on
    days = (START + timedelta(days=14), START + timedelta(days=21), due - timedelta(days=2), due + timedelta(days=1))
    for day in days:
        _sweep_on(traveller, day)
    hr_alerts = [kind for kind in _notices(db, people["hr_a"]) if kind.startswith("alert_")]
    assert hr_alerts == ["alert_75pct", "alert_breach"]
    assert _mails(db, "hr@alpha.test") == ["alert_75pct", "alert_breach"]  # immediate mode: each by mail at once
    assert _notices(db, people["hr_b"]) == [] and _mails(db, "hr@beta.test") == []
    # The case has no owner and the park no supervisor, so the officer stands in: every threshold in the app, the new
    # case, the 75 % and the breach by mail at once, the milder thresholds in the digest.
    officer_alerts = [kind for kind in _notices(db, people["officer"]) if kind.startswith("alert_")]
    assert officer_alerts == ["alert_50pct", "alert_75pct", "alert_due-2d", "alert_breach"]
    assert _mails(db, "officer@park.test") == ["case_submitted", "alert_75pct", "alert_breach"]


def test_information_requests_reach_the_hr_of_the_company_asked(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the signed contract.")
    db.session.commit()
    notice = db.session.scalar(
        select(Notification).where(Notification.user_id == people["hr_a"].id, Notification.kind.not_in(DECISIONS))
    )
    assert notice.kind == "info_request" and notice.case_id == case.id and notice.body == "Send the signed contract."
    assert _mails(db, "hr@alpha.test") == ["info_request"]
    assert _notices(db, people["hr_b"]) == []


def test_officers_get_breaches_at_once_even_when_they_switched_mail_off(db, people, traveller):
    people["officer"].notification_mode = "off"
    db.session.commit()
    move_to(traveller, START + timedelta(days=40))
    submitted_case(db, people, submit_on=START)
    sweep_and_announce()
    assert _mails(db, "officer@park.test") == ["alert_breach"]
    assert send_digests(force=True) == 0  # "off": no daily digest for the rest


def test_officer_notices_other_than_breaches_go_into_one_daily_digest(db, people, traveller):
    cases = [submitted_case(db, people, submit_on=START, accept=False) for _ in range(4)]
    for case in cases:
        act(case, "withdraw", START + timedelta(days=1), people)  # HR actions: the officer hears of each
    db.session.commit()
    notices = _notices(db, people["officer"])
    assert len(notices) == 8  # four submissions and four withdrawals
    assert _mails(db, "officer@park.test") == ["case_submitted"] * 4  # new cases need someone at once
    move_to(traveller, START + timedelta(days=2), hour=7)
    assert send_digests() == 0  # before the digest hour
    move_to(traveller, START + timedelta(days=2), hour=8)
    assert send_digests() == 1
    digest = db.session.scalars(
        select(OutboundMail).where(OutboundMail.to_address == "officer@park.test", OutboundMail.kind == "digest")
    ).all()
    assert len(digest) == 1
    assert "4 update(s)" in digest[0].subject  # the withdrawals
    assert all(case.reference in digest[0].body_text for case in cases)
    assert send_digests() == 0  # once a day
    move_to(traveller, START + timedelta(days=3), hour=9)
    assert send_digests() == 0  # a new day, but nothing new to tell
    assert _mails(db, "officer@park.test") == ["case_submitted"] * 4 + ["digest"]


def test_digest_mode_hr_get_no_immediate_mail_and_one_summary(db, people, traveller):
    people["hr_a"].notification_mode = "digest"
    db.session.commit()
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the contract.")
    db.session.commit()
    assert _notices(db, people["hr_a"]) == ["info_request"]
    assert _mails(db, "hr@alpha.test") == []
    assert send_digests(force=True) == 1  # HR's (the officer was mailed the submission at once)
    assert _mails(db, "hr@alpha.test") == ["digest"]


def test_hr_with_mail_off_see_notices_in_the_app_only(db, people, traveller):
    people["hr_a"].notification_mode = "off"
    db.session.commit()
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the contract.")
    db.session.commit()
    assert _notices(db, people["hr_a"]) == ["info_request"]
    assert _mails(db, "hr@alpha.test") == []
    send_digests(force=True)
    assert _mails(db, "hr@alpha.test") == []


def test_hr_hear_at_risk_when_a_late_case_crossed_it_together_with_a_milder_alert(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    due = next(row for row in case.clocks if row.name == "overall").due_on
    _sweep_on(traveller, due - timedelta(days=1))  # first sweep ever: 50 %, 75 % and 2 days before, all at once
    assert [kind for kind in _notices(db, people["hr_a"]) if kind.startswith("alert_")] == ["alert_due-2d"]
    assert _mails(db, "hr@alpha.test") == ["alert_due-2d"]


def test_the_expert_hears_of_status_changes_and_requests_to_them_only_once_invited(app: Flask, db, people, traveller):
    case = submitted_case(db, people, submit_on=START, accept=False)
    case.expert_language = "zh_Hant_HK"
    assert _mails(db, case.email) == []  # not invited: the expert hears nothing
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    act(case, "accept", START + timedelta(days=1), people)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Company papers.")
    act(case, "provide_info", START + timedelta(days=1), people, role="hr")
    act(case, "request_info", START + timedelta(days=1), people, party="expert", note="Your degree certificate.")
    db.session.commit()
    mails = db.session.scalars(select(OutboundMail).where(OutboundMail.to_address == case.email)).all()
    assert [mail.kind for mail in mails] == ["expert_invite", "expert_accept", "expert_request_info"]
    assert {mail.language for mail in mails} == {"zh_Hant_HK"}
    assert "Your degree certificate." in mails[-1].body_text
    assert Counter(_notices(db, people["hr_a"])) == {"info_request": 1}  # the request to the expert is not HR's


def test_hr_hear_when_the_expert_sends_what_was_asked_and_not_when_they_answer_themselves(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=4))
    act(case, "request_info", START + timedelta(days=1), people, role="hr", party="expert", note="Your degree.")
    act(case, "provide_info", START + timedelta(days=2), people, role="expert", actor=None, actor_label="expert")
    act(case, "request_info", START + timedelta(days=3), people, party="company", note="The contract.")
    act(case, "provide_info", START + timedelta(days=4), people, role="hr")
    db.session.commit()
    notices = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == people["hr_a"].id, Notification.kind.not_in(DECISIONS))
        .order_by(Notification.id)
    ).all()
    assert [notice.kind for notice in notices] == ["info_provided", "info_request"]
    assert notices[0].case_id == case.id and "the expert has sent what was asked for" in notices[0].title
    assert _mails(db, "hr@alpha.test") == ["info_provided", "info_request"]  # immediate mode
    assert _notices(db, people["hr_b"]) == []


def test_hr_of_a_deactivated_company_hear_nothing_more(db, people, traveller):
    from talentcase.accounts import services as accounts

    case = submitted_case(db, people, submit_on=START)
    accounts.deactivate_company(people["company_a"])
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the signed contract.")
    db.session.commit()
    assert _notices(db, people["hr_a"]) == [] and _mails(db, "hr@alpha.test") == []
    people["hr_a"].notification_mode = "digest"
    db.session.commit()
    move_to(traveller, START + timedelta(days=1), hour=20)
    send_digests(force=True)
    db.session.commit()
    assert _mails(db, "hr@alpha.test") == []
