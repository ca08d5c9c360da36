"""What a side may read of a case's conversation, and the question a paused case waits on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from talentcase.cases.models import Case, CaseEvent
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.messages.models import COMPANY, EXPERT, PARK, Message


@dataclass(frozen=True)
class OpenQuestion:
    """The request for information a paused case waits on: who asked (and from which side), when, what, of whom."""

    event: CaseEvent
    asker_side: str
    asked_side: str
    asked_by: str
    asked_at: datetime
    body: str

    def reply_side(self, side: str) -> str:
        """Whom an answer from this side goes to: the asker, or the side asked when the asker writes again."""
        return self.asked_side if side == self.asker_side else self.asker_side

    def is_asked_of(self, side: str) -> bool:
        return side == self.asked_side


def open_question(case: Case) -> OpenQuestion | None:
    """The latest request_info of a paused case, or None when the case waits on nobody."""
    if case.paused_party is None:
        return None
    requests = [event for event in case.events if event.action == "request_info"]
    if not requests:
        return None
    event = requests[-1]
    asked_by = event.actor.display_name if event.actor is not None else event.actor_label
    return OpenQuestion(
        event=event,
        asker_side=PARK if event.actor_role == Role.OFFICER else COMPANY,
        asked_side=event.party or case.paused_party,
        asked_by=asked_by,
        asked_at=event.recorded_at,
        body=event.note,
    )


def conversation(case: Case, side: str) -> list[Message]:
    """The case's messages a side may read, oldest first: the expert reads only what is addressed to them and their
    own; the company and the park read everything."""
    stmt = select(Message).where(Message.case_id == case.id)
    if side == EXPERT:
        stmt = stmt.where(or_(Message.to_side == EXPERT, Message.author_side == EXPERT))
    return list(db.session.scalars(stmt.order_by(Message.created_at, Message.id)))


def visible_message(case: Case, side: str, message_id: int) -> Message | None:
    """One message of the case, if this side may read it."""
    return next((message for message in conversation(case, side) if message.id == message_id), None)


def author_name(message: Message) -> str:
    """Who wrote a message, as people know them: the user's name, or the expert's own."""
    if message.author is not None:
        return message.author.display_name
    if message.author_side == EXPERT:
        return message.case.full_name
    return message.author_label
