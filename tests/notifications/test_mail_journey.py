"""A case's journey with a real SMTP peer: every mail names its case and carries a link that opens the page it names
for its recipient (signed in as them, or with the expert's token), and no officer hears who does not own the case.

The mails go the real way: the outbox row in the request's transaction, RQ's mail queue, a burst worker, SMTP."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from talentcase.accounts.models import User
from talentcase.documents import services as documents
from talentcase.jobs import services as jobs
from talentcase.notifications.digest import send_digests
from talentcase.portal.services import invite
from tests.cases.helpers import act, make_case
from tests.documents.test_document_views import make_image
from tests.factories import UserFactory
from tests.jobs import burst

pytestmark = pytest.mark.redis

LINK = re.compile(r"https?://[^\s<>\"]+")


def _deliver(app) -> None:
    jobs.dispatch()
    burst(app)


def _opens(client, auth, db, case, message) -> None:
    """Each link of the mail, followed as its recipient, opens a page (200) that names the case."""
    body = message.get_content()
    links = LINK.findall(body)
    assert case.reference in message["Subject"] + body, message["Subject"]
    assert links, f"no link in {message['Subject']!r}"
    recipient = db.session.scalar(select(User).where(User.email == message["To"]))
    if recipient is None:
        auth.logout()  # the expert: no account, the token is the key
    else:
        auth.as_user(recipient)
    for link in links:
        parts = urlsplit(link)
        page = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert page.status_code == 200, (message["To"], message["Subject"], link)
        text = page.get_data(as_text=True)
        assert case.reference in text or case.full_name in text, (message["Subject"], link)


def test_every_mail_of_a_journey_links_to_its_page_and_reaches_only_the_owner(
    app, client, auth, db, people, smtp_peer, live_redis
):
    people["other_officer"] = UserFactory(role="officer", email="other@park.test")
    people["supervisor"] = UserFactory(role="officer", email="lead@park.test", is_supervisor=True)
    case = make_case(people["company_a"], email="priya@candidate.test")
    with app.test_request_context():
        invite(case, by=people["hr_a"])
    case.owner = people["officer"]  # as assignment on submission will do
    act(case, "submit", None, people)
    act(case, "accept", None, people)
    act(case, "request_info", None, people, party="company", note="Send the signed contract.")
    act(case, "provide_info", None, people, role="hr", note="Uploaded as a new version.")
    photo = documents.upload(case, "photo", make_image(), "photo.png", uploader=people["hr_a"])
    db.session.commit()
    auth.as_user(people["officer"])
    reviewed = client.post(
        f"/cases/{case.id}/documents/{photo.id}/review", data={"decision": "reject", "reason": "Plain background."}
    )
    assert reviewed.status_code == 302
    for action in ("lodge_quota", "grant_quota", "lodge_visa", "issue_visa"):
        act(case, action, None, people)
    send_digests(force=True)  # the routine news, in one summary each
    db.session.commit()

    _deliver(app)

    messages = list(smtp_peer.messages)
    received = {message["To"] for message in messages}
    assert {"hr@alpha.test", "officer@park.test", "priya@candidate.test"} <= received
    assert not received & {"other@park.test", "lead@park.test"}  # officers who do not own the case hear nothing
    subjects = " | ".join(message["Subject"] for message in messages)
    assert "needs replacing" in subjects and "please send" in subjects  # the rejected photo, to HR and the expert
    for message in messages:
        _opens(client, auth, db, case, message)
