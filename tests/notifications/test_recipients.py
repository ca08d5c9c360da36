"""Notices go to those who must act: the owning officer (not every officer), the company's HR, the expert; SLA
thresholds escalate from the owner (50 %) to the owner and the supervising officers (75 % and breach)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from talentcase.notifications.models import Notification, OutboundMail
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case
from tests.factories import UserFactory
from tests.notifications.conftest import START, move_to, sweep_and_announce


@pytest.fixture
def park(db, people):
    """The owning officer, another officer and a supervising officer, beside the usual people."""
    people["other_officer"] = UserFactory(role="officer", email="other@park.test")
    people["supervisor"] = UserFactory(role="officer", email="lead@park.test", is_supervisor=True)
    db.session.commit()
    return people


def _kinds(db, user) -> list[str]:
    return db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def _owned_case(db, people, *, submit_on=START, owner="officer"):
    """A case accepted and owned by one officer, with the notices of getting there cleared."""
    case = make_case(people["company_a"], opened_on=submit_on)
    act(case, "submit", submit_on, people)
    case.owner = people[owner]
    act(case, "accept", submit_on + timedelta(days=1), people)
    db.session.execute(delete(Notification))
    db.session.commit()
    return case


def test_escalation_owner_at_50_owner_and_supervisors_at_75_and_breach_no_other_officer(db, park, traveller):
    case = _owned_case(db, park)
    due = next(row for row in case.clocks if row.name == "overall").due_on
    before = {name: len(_kinds(db, park[name])) for name in ("officer", "supervisor", "other_officer")}

    move_to(traveller, START + timedelta(days=14))
    sweep_and_announce()
    assert _kinds(db, park["officer"])[before["officer"] :] == ["alert_50pct"]
    assert _kinds(db, park["supervisor"])[before["supervisor"] :] == []

    move_to(traveller, START + timedelta(days=21))
    sweep_and_announce()
    assert _kinds(db, park["officer"])[before["officer"] :] == ["alert_50pct", "alert_75pct"]
    assert _kinds(db, park["supervisor"])[before["supervisor"] :] == ["alert_75pct"]

    move_to(traveller, due + timedelta(days=1))
    sweep_and_announce()
    assert _kinds(db, park["officer"])[-1] == "alert_breach"
    assert _kinds(db, park["supervisor"])[before["supervisor"] :] == ["alert_75pct", "alert_breach"]
    assert _kinds(db, park["other_officer"]) == []
    # The owner is mailed the 75 % and the breach at once; the 50 % waits for the daily summary.
    mailed = db.session.scalars(select(OutboundMail.kind).where(OutboundMail.to_address == "officer@park.test")).all()
    assert "alert_50pct" not in mailed and {"alert_75pct", "alert_breach"} <= set(mailed)


def test_a_submission_reaches_the_officer_it_is_assigned_to_only(db, park, traveller):
    case = make_case(park["company_a"], opened_on=START)
    act(case, "submit", START, park)
    db.session.commit()
    owner = case.owner
    assert owner is not None and _kinds(db, owner) == ["case_submitted"]
    others = [park[name] for name in ("officer", "other_officer", "supervisor") if park[name].id != owner.id]
    assert all(_kinds(db, user) == [] for user in others)


def test_an_event_on_a_case_with_no_owner_reaches_the_supervisors_only(db, park, traveller):
    case = make_case(park["company_a"], opened_on=START)
    act(case, "submit", START, park)
    act(case, "request_info", START, park, party="company", note="Send the contract.")
    case.owner = None  # a case from before owners, or an owner's account gone
    db.session.execute(delete(Notification))
    act(case, "provide_info", START + timedelta(days=1), park, role="hr")
    db.session.commit()
    assert _kinds(db, park["supervisor"]) == ["info_answered"]
    assert _kinds(db, park["officer"]) == [] and _kinds(db, park["other_officer"]) == []


def test_events_on_an_owned_case_reach_its_owner_only(db, park, traveller):
    case = _owned_case(db, park, owner="other_officer")
    move_to(traveller, START + timedelta(days=5))
    act(case, "withdraw", START + timedelta(days=2), park)
    db.session.commit()
    assert _kinds(db, park["other_officer"]) == ["case_event"]
    assert _kinds(db, park["officer"]) == []
    assert "case_event" not in _kinds(db, park["supervisor"])


def test_hr_asking_their_own_expert_tells_no_officer(app, db, park, traveller):
    case = _owned_case(db, park)
    move_to(traveller, START + timedelta(days=5))
    with app.test_request_context():
        invite(case, by=park["hr_a"])
    act(case, "request_info", START + timedelta(days=2), park, party="expert", role="hr", note="Your PhD, please.")
    act(case, "provide_info", START + timedelta(days=3), park, role="hr")
    db.session.commit()
    assert _kinds(db, park["officer"]) == []
    assert all(not kind.startswith("case") for kind in _kinds(db, park["supervisor"])[1:])
    expert_mail = db.session.scalars(
        select(OutboundMail).where(OutboundMail.to_address == case.email, OutboundMail.kind == "expert_request_info")
    ).one()
    assert "Your PhD, please." in expert_mail.body_text
