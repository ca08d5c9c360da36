"""A case's conversation for HR and officers: the question a request writes, the open question at the top of the
paused case page with its answer form, answering with "resume", attachments as case documents, and who sees what."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from sqlalchemy import select

from talentcase.documents.models import Document
from talentcase.messages.models import Message
from talentcase.sla import services as sla
from tests.messages import QUESTION, ask, case_in_review
from tests.portal import NOW, make_pdf


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(people):
    return case_in_review(people)


def _resume_box(page: str) -> str:
    """The "resume the clocks" checkbox of the answer form."""
    [box] = re.findall(r'<input[^>]*name="answer-resume"[^>]*>', page)
    return box


def _messages(db, case) -> list[Message]:
    return db.session.scalars(select(Message).where(Message.case_id == case.id).order_by(Message.id)).all()


def test_requesting_information_writes_the_question_as_a_message_to_the_party_asked(db, people, case):
    ask(case, people, "company")
    [message] = _messages(db, case)
    assert (message.author_side, message.to_side, message.body) == ("park", "company", QUESTION)
    assert message.author_id == people["officer"].id
    assert message.request_event_id == case.events[-1].id


def test_the_paused_case_page_shows_the_open_question_at_the_top(client, auth, people, case):
    people["officer"].name = "Oscar Chan"
    ask(case, people, "company")
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert QUESTION in page
    assert "Asked by Oscar Chan (the park)" in page and "of the company" in page
    assert page.index(QUESTION) < page.index('id="clocks-title"')  # above the deadlines, not at the foot
    assert f'action="/cases/{case.id}/messages/answer"' in page
    assert " checked " in _resume_box(page)  # HR is the party asked


def test_the_officer_who_asked_sees_the_question_with_resume_not_ticked(client, auth, people, case):
    ask(case, people, "company")
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert QUESTION in page
    assert "checked" not in _resume_box(page)


def test_answering_with_resume_records_provide_info_and_the_clocks_run_again(db, client, auth, people, case):
    ask(case, people, "company")
    assert sla.compute_for_case(case)["review"].state == "paused"
    auth.as_user(people["hr_a"])
    response = client.post(
        f"/cases/{case.id}/messages/answer",
        data={"answer-body": "The signed page is attached.", "answer-resume": "y", "answer-kind": "other"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.id}")
    db.session.expire_all()
    assert case.paused_party is None
    assert case.events[-1].action == "provide_info" and case.events[-1].actor_id == people["hr_a"].id
    assert sla.compute_for_case(case)["review"].state != "paused"
    answer = _messages(db, case)[-1]
    assert (answer.author_side, answer.to_side, answer.body) == ("company", "park", "The signed page is attached.")


def test_answering_without_resume_leaves_the_case_paused(db, client, auth, people, case):
    ask(case, people, "company")
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/messages/answer", data={"answer-body": "Part one; more to come."})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.paused_party == "company"
    assert [m.body for m in _messages(db, case)] == [QUESTION, "Part one; more to come."]


def test_an_empty_answer_is_refused_on_the_page_and_nothing_is_recorded(db, client, auth, people, case):
    ask(case, people, "company")
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/messages/answer", data={"answer-body": "  ", "answer-resume": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Write your message." in page and QUESTION in page
    db.session.expire_all()
    assert case.paused_party == "company" and len(_messages(db, case)) == 1


def test_an_attachment_becomes_a_document_of_the_case_with_its_version(db, client, auth, people, case):
    auth.as_user(people["hr_a"])
    for number in (1, 2):
        response = client.post(
            f"/cases/{case.id}/messages",
            data={
                "message-to": "park",
                "message-body": f"Letter {number} attached.",
                "message-kind": "other",
                "message-files": (io.BytesIO(make_pdf()), f"letter-{number}.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    documents = db.session.scalars(select(Document).where(Document.case_id == case.id, Document.kind == "other"))
    assert [(d.display_name, d.version, d.is_current) for d in documents] == [
        ("letter-1.pdf", 1, False),
        ("letter-2.pdf", 2, True),
    ]
    messages = _messages(db, case)
    assert [[d.version for d in m.documents] for m in messages] == [[1], [2]]
    page = client.get(f"/cases/{case.id}/messages").get_data(as_text=True)
    assert "letter-2.pdf" in page and "Letter 1 attached." in page


def test_a_refused_file_keeps_nothing_and_says_why(db, client, auth, people, case):
    auth.as_user(people["officer"])
    response = client.post(
        f"/cases/{case.id}/messages",
        data={
            "message-to": "company",
            "message-body": "Here is the note.",
            "message-files": (io.BytesIO(b"PK\x03\x04 not a pdf"), "note.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Here is the note." in response.get_data(as_text=True)  # what was typed is kept
    assert _messages(db, case) == []
    assert db.session.scalars(select(Document).where(Document.case_id == case.id)).all() == []


@pytest.mark.parametrize(("who", "to"), [("hr_a", "company"), ("officer", "park"), ("hr_a", "nobody")])
def test_a_message_goes_to_one_of_the_other_sides(db, client, auth, people, case, who, to):
    auth.as_user(people[who])
    response = client.post(f"/cases/{case.id}/messages", data={"message-to": to, "message-body": "Hello"})
    assert response.status_code == 422
    assert "Choose whom the message is for." in response.get_data(as_text=True)
    assert _messages(db, case) == []


def test_hr_and_officers_read_the_whole_conversation_another_company_reads_nothing(db, client, auth, people, case):
    ask(case, people, "expert")
    auth.as_user(people["hr_a"])
    client.post(f"/cases/{case.id}/messages", data={"message-to": "park", "message-body": "To the park"})
    for who in ("hr_a", "officer"):
        auth.as_user(people[who])
        page = client.get(f"/cases/{case.id}/messages").get_data(as_text=True)
        assert QUESTION in page and "To the park" in page
    auth.as_user(people["hr_b"])
    assert client.get(f"/cases/{case.id}/messages").status_code == 404
    assert (
        client.post(f"/cases/{case.id}/messages", data={"message-to": "park", "message-body": "x"}).status_code == 404
    )
    assert client.post(f"/cases/{case.id}/messages/answer", data={"answer-body": "x"}).status_code == 404


def test_the_open_question_reads_in_traditional_chinese(db, client, auth, people, case):
    people["hr_a"].preferred_language = "zh_Hant_HK"
    ask(case, people, "company")
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "待回覆的查詢" in page and "這已回覆所要求的資料：恢復計時" in page and "發送回覆" in page
    assert "（園區）" in page and "向公司查詢" in page
    assert QUESTION in page  # what people wrote stays in the language they wrote it in
