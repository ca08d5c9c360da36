"""Posting a message tells the other domains (notices) through case_message_posted, with the message's id."""

from __future__ import annotations

from talentcase.common.signals import case_message_posted
from talentcase.messages import services
from tests.messages import ask, case_in_review


def test_every_message_posted_is_signalled_with_its_id(db, people):
    case = case_in_review(people)
    heard: list[tuple[int, int]] = []

    def hear(sender, *, message_id: int) -> None:
        heard.append((sender.id, message_id))

    with case_message_posted.connected_to(hear):
        ask(case, people, "company")  # the question is a message too
        answer = services.post_message(case, side="company", to="park", body="Attached.", author=people["hr_a"])
    assert [message_id for _case, message_id in heard][-1] == answer.id
    assert len(heard) == 2 and {case_id for case_id, _ in heard} == {case.id}
