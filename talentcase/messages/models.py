"""A case's conversation: messages between the company, the park and the expert, and the documents they carried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentcase.accounts.models import User
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.documents.models import Document
from talentcase.extensions import db

# The sides of a conversation: who writes and to whom a message is addressed.
COMPANY, PARK, EXPERT = "company", "park", "expert"
SIDES: tuple[str, ...] = (COMPANY, PARK, EXPERT)

message_documents = Table(
    "case_message_documents",
    db.metadata,
    Column("message_id", ForeignKey("case_messages.id"), primary_key=True),
    Column("document_id", ForeignKey("documents.id"), primary_key=True, index=True),
)


class Message(db.Model):
    """One message of a case's conversation, addressed to one side; its attachments are documents of the case."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the expert, through their link
    author_side: Mapped[str] = mapped_column(String(10))
    author_label: Mapped[str] = mapped_column(String(254), default="")
    to_side: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    # The request_info event this message asks (a plain id, like cases.last_officer_id), None for other messages.
    request_event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()
    documents: Mapped[list[Document]] = relationship(secondary=message_documents, order_by="Document.id")
