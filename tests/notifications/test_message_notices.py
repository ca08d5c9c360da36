"""A message tells the side it is written to; a rejected company document tells its company's HR."""

from __future__ import annotations

import re

import pytest
import time_machine
from sqlalchemy import select

from talentcase.documents import company as company_documents
from talentcase.documents import services as documents
from talentcase.messages import services as messages
from talentcase.notifications.models import Notification, OutboundMail
from talentcase.portal import services as portal
from tests.messages import ask, case_in_review
from tests.portal import NOW, make_pdf


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _notices(db, user) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def test_a_message_to_the_park_tells_the_owner_not_other_officers(app, db, people):
    case = case_in_review(people)
    other = type(people["officer"])(email="other@park.test", role="officer", name="Other Officer")
    db.session.add(other)
    case.owner = people["officer"]
    db.session.flush()
    messages.post_message(case, side="company", to="park", body="When will you decide?", author=people["hr_a"])
    db.session.commit()
    mine = [n for n in _notices(db, people["officer"]) if n.kind == "case_message"]
    assert len(mine) == 1 and mine[0].body == "When will you decide?" and case.reference in mine[0].title
    assert [n for n in _notices(db, other) if n.kind == "case_message"] == []


def test_a_message_to_the_company_tells_its_hr_and_links_to_the_conversation(app, db, people, client, auth):
    case = case_in_review(people)
    messages.post_message(case, side="park", to="company", body="Please call us.", author=people["officer"])
    db.session.commit()
    (notice,) = [n for n in _notices(db, people["hr_a"]) if n.kind == "case_message"]
    assert [n for n in _notices(db, people["hr_b"]) if n.kind == "case_message"] == []
    auth.as_user(people["hr_a"])
    page = client.get("/notifications?show=all").get_data(as_text=True)
    assert f'href="/cases/{case.id}/messages"' in page, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:3000]
    mail = db.session.scalars(select(OutboundMail).where(OutboundMail.to_address == people["hr_a"].email)).all()
    assert any(f"/cases/{case.id}/messages" in m.body_text for m in mail)


def test_a_message_to_the_expert_is_mailed_with_a_portal_link(app, db, people):
    case = case_in_review(people)
    with app.test_request_context():
        portal.invite(case, by=people["hr_a"])
    messages.post_message(case, side="company", to="expert", body="Welcome aboard!", author=people["hr_a"])
    db.session.commit()
    mails = db.session.scalars(select(OutboundMail).where(OutboundMail.kind == "expert_message")).all()
    assert len(mails) == 1 and "Welcome aboard!" in mails[0].body_text and "[[portal-link]]" in mails[0].body_text


def test_a_request_question_is_not_told_twice(app, db, people):
    case = case_in_review(people)
    ask(case, people, "company")
    kinds = [n.kind for n in _notices(db, people["hr_a"])]
    assert kinds.count("info_request") == 1 and "case_message" not in kinds


def test_a_rejected_company_document_tells_its_company_hr(app, db, people, client, auth):
    company = people["company_a"]
    on_file = company_documents.upload_on_file(
        company, "br_certificate", make_pdf(), "br.pdf", expires_on=NOW.date().replace(year=NOW.year + 1)
    )
    documents.review(on_file, "reject", reviewer=people["officer"], reason="The certificate is cut off.")
    db.session.commit()
    (notice,) = [n for n in _notices(db, people["hr_a"]) if n.kind == "document_rejected"]
    assert notice.case_id is None and "The certificate is cut off." in notice.body
    assert _notices(db, people["hr_b"]) == []
    auth.as_user(people["hr_a"])
    page = client.get("/notifications?show=all").get_data(as_text=True)
    assert f'href="/companies/{company.id}/documents"' in page
