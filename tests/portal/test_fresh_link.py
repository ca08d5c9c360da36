"""The portal's start page: an expert without a working link enters their email and, when it is the expert's of an
open case, gets a fresh link by mail; the page answers the same whether or not the address is known."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from sqlalchemy import select

from talentcase.notifications.expert_mail import PORTAL_LINK
from talentcase.notifications.models import OutboundMail
from talentcase.notifications.tasks import deliver_mail
from tests.notifications.conftest import SmtpPeer
from tests.portal import NOW, issue_link, make_case, walk


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def smtp(app) -> Iterator[SmtpPeer]:
    peer = SmtpPeer()
    peer.start()
    app.config["MAIL_URL"] = peer.url
    yield peer
    peer.stop()


@pytest.fixture
def case(app, people):
    case = make_case(people, email="priya@candidate.test", full_name="Priya Raghunathan")
    walk(case, people, "review")
    issue_link(app, case)
    return case


def _ask(client, address: str):
    client.get("/portal/")
    page = client.get("/portal/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": address} | ({"csrf_token": csrf.group(1)} if csrf else {})
    return client.post("/portal/", data=data)


def _text(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_start_page_asks_for_the_email_and_answers_the_same_for_known_and_unknown(client, db, case, smtp):
    start = client.get("/portal/")
    assert start.status_code == 200 and "Get a fresh link" in start.get_data(as_text=True)
    before = db.session.scalars(select(OutboundMail.id)).all()

    known = _ask(client, "Priya@Candidate.test")
    unknown = _ask(client, "nobody@nowhere.test")

    assert known.status_code == unknown.status_code == 200
    assert _text(known).replace("Priya@Candidate.test", "X") == _text(unknown).replace("nobody@nowhere.test", "X")
    mails = db.session.scalars(select(OutboundMail).where(OutboundMail.id.not_in(before))).all()
    assert [(mail.to_address, mail.kind) for mail in mails] == [("priya@candidate.test", "expert_fresh_link")]
    assert PORTAL_LINK in mails[0].body_text and "/portal/" not in mails[0].body_text  # no token in the outbox

    deliver_mail(mails[0].id)
    (message,) = smtp.handler.to("priya@candidate.test")
    link = re.search(r"https?://\S+/portal/(\S+)", message.get_content())
    assert link, message.get_content()
    page = client.get(f"/portal/{link.group(1)}")
    assert page.status_code == 200 and "Priya Raghunathan" in page.get_data(as_text=True)


def test_a_bad_address_gets_a_clear_message_and_nothing_is_sent(client, db, case):
    response = _ask(client, "not an address")
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalars(select(OutboundMail).where(OutboundMail.kind == "expert_fresh_link")).all() == []


def test_a_link_problem_page_offers_a_fresh_link(client, case):
    page = client.get("/portal/not-a-real-token").get_data(as_text=True)
    assert 'href="/portal/"' in page
