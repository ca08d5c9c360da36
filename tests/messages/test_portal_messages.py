"""The expert's part of the conversation, in the portal: only what is addressed to them and what they wrote; writing
to their employer or the park; answering the question asked of them, with "resume" recording provide_info."""

from __future__ import annotations

import io

import pytest
import time_machine
from sqlalchemy import select

from talentcase.documents.models import Document
from talentcase.messages import services as messages
from talentcase.messages.models import Message
from tests.messages import QUESTION, ask, case_in_review
from tests.portal import NOW, issue_link, make_case, make_pdf


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people):
    return case_in_review(people)


@pytest.fixture
def token(app, case):
    return issue_link(app, case)


def _page(client, token: str) -> str:
    response = client.get(f"/portal/{token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _messages(db, case) -> list[Message]:
    return db.session.scalars(select(Message).where(Message.case_id == case.id).order_by(Message.id)).all()


def test_the_expert_reads_only_what_is_addressed_to_them_and_what_they_wrote(db, client, people, case, token):
    for side, to, body in (
        ("park", "company", "For the company only"),
        ("company", "park", "For the park only"),
        ("park", "expert", "For the expert from the park"),
        ("expert", "company", "From the expert"),
    ):
        author = {"park": people["officer"], "company": people["hr_a"], "expert": None}[side]
        messages.post_message(case, side=side, to=to, body=body, author=author, author_label="expert")
    db.session.commit()
    page = _page(client, token)
    assert "For the expert from the park" in page and "From the expert" in page
    assert "For the company only" not in page and "For the park only" not in page


def test_the_expert_writes_to_their_employer_or_the_park_never_to_themselves(db, client, case, token):
    to_employer = {"message-to": "company", "message-body": "Hi"}
    assert client.post(f"/portal/{token}/messages", data=to_employer).status_code == 302
    response = client.post(f"/portal/{token}/messages", data={"message-to": "expert", "message-body": "Me"})
    assert response.status_code == 422 and "Choose whom the message is for." in response.get_data(as_text=True)
    [message] = _messages(db, case)
    assert (message.author_side, message.to_side, message.author_id) == ("expert", "company", None)
    assert "Hi" in _page(client, token)


def test_the_question_asked_of_the_expert_is_answered_with_resume(db, client, people, case, token):
    ask(case, people, "expert", by="hr_a", note="Please upload your degree certificate.")
    page = _page(client, token)
    assert "We need something from you" in page and "Please upload your degree certificate." in page
    assert f'action="/portal/{token}/answer"' in page
    response = client.post(
        f"/portal/{token}/answer",
        data={
            "answer-body": "Here it is.",
            "answer-resume": "y",
            "answer-kind": "degree_certificate",
            "answer-files": (io.BytesIO(make_pdf()), "degree.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert case.paused_party is None
    last = case.events[-1]
    assert (last.action, last.actor_role) == ("provide_info", "expert")
    answer = _messages(db, case)[-1]
    assert (answer.author_side, answer.to_side) == ("expert", "company")  # back to HR, who asked
    [document] = db.session.scalars(select(Document).where(Document.case_id == case.id)).all()
    assert (document.kind, document.version, answer.documents) == ("degree_certificate", 1, [document])


def test_an_empty_answer_from_the_expert_is_refused_and_the_case_stays_paused(db, client, people, case, token):
    ask(case, people, "expert", by="officer")
    response = client.post(f"/portal/{token}/answer", data={"answer-body": "", "answer-resume": "y"})
    assert response.status_code == 422
    assert "Write your message." in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.paused_party == "expert"


def test_the_expert_cannot_answer_a_question_asked_of_the_company(db, client, people, case, token):
    ask(case, people, "company")
    response = client.post(f"/portal/{token}/answer", data={"answer-body": "x", "answer-resume": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.paused_party == "company"
    assert [m.body for m in _messages(db, case)] == [QUESTION]


def test_another_experts_link_never_reaches_this_case(app, db, client, people, case, token):
    other = make_case(people, "company_b", email="someone@else.test")
    other_token = issue_link(app, other)
    messages.post_message(case, side="park", to="expert", body="Only for this expert", author=people["officer"])
    db.session.commit()
    assert "Only for this expert" not in _page(client, other_token)
    client.post(f"/portal/{other_token}/messages", data={"message-to": "park", "message-body": "From the other"})
    assert [m.case_id for m in _messages(db, other)] == [other.id]
    assert all(m.case_id == case.id for m in _messages(db, case))
    for path in ("messages", "answer"):
        assert client.post(f"/portal/{'x' * 43}/{path}", data={"message-body": "x"}).status_code == 404
