"""Posting to a case's conversation, answering the open question (optionally recording provide_info in the same
unit of work), and turning a request for information into a message. Flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from talentcase.cases import services as cases
from talentcase.cases.models import Case, CaseEvent
from talentcase.common.roles import Role
from talentcase.common.signals import case_event_recorded, case_message_posted
from talentcase.documents import checklist as rules
from talentcase.documents import services as documents
from talentcase.extensions import db
from talentcase.messages.models import COMPANY, EXPERT, PARK, SIDES, Message
from talentcase.messages.queries import open_question

BODY_MAX = 5000
MAX_FILES = 5
DEFAULT_KIND = "other"  # the checklist's general kind: correspondence that belongs to no listed item
SIDE_OF_ROLE = {Role.HR: COMPANY, Role.OFFICER: PARK, Role.EXPERT: EXPERT}
SIDE_NAMES = {COMPANY: _l("the company"), PARK: _l("the park"), EXPERT: _l("the expert")}


class MessageError(Exception):
    """A refused message; `status` is the HTTP status for the API, `field` the form field at fault."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, as received."""

    data: bytes
    filename: str


def side_of(role: str) -> str | None:
    """The side of the conversation a role writes from (None for a role that takes no part: administrators)."""
    return SIDE_OF_ROLE.get(role)


def addressees(side: str) -> tuple[str, ...]:
    """Whom a side may write to: either of the other two (the expert may write to their employer or the park)."""
    return tuple(other for other in SIDES if other != side)


def attachment_kinds(case: Case, side: str) -> list[tuple[str, str]]:
    """The checklist items a side may file an attachment as, the general kind first; dependants' items are left to
    the documents page, which asks whose they are."""
    rows = [row for row in documents.checklist(case) if row.item.dependant_id is None]
    if side == EXPERT:
        rows = [row for row in rows if row.item.provider == EXPERT]
    kinds = [(row.item.kind, str(row.item.label)) for row in rows if row.item.kind != DEFAULT_KIND]
    return [(DEFAULT_KIND, str(rules.DOCUMENT_KINDS[DEFAULT_KIND]))] + kinds


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise MessageError(_("Write your message."), field="body")
    if len(body) > BODY_MAX:
        raise MessageError(_("The message is too long (at most 5000 characters)."), field="body")
    return body


def _attach(message: Message, attachments: Sequence[Attachment], kind: str, author, author_label: str) -> None:
    if len(attachments) > MAX_FILES:
        raise MessageError(_("Attach at most %(n)d files to one message.", n=MAX_FILES), field="files")
    if attachments and kind not in dict(attachment_kinds(message.case, message.author_side)):
        raise MessageError(_("Choose which document the files are."), field="kind")
    for attachment in attachments:
        try:
            document = documents.upload(
                message.case, kind, attachment.data, attachment.filename, uploader=author, uploader_label=author_label
            )
        except documents.DocumentError as error:
            raise MessageError(error.message, status=error.status, code=error.code, field="files") from error
        message.documents.append(document)


def post_message(
    case: Case,
    *,
    side: str,
    to: str,
    body: str,
    author=None,
    author_label: str = "",
    attachments: Sequence[Attachment] = (),
    kind: str = DEFAULT_KIND,
    request_event_id: int | None = None,
) -> Message:
    """Add a message to the case's conversation; its files become documents of the case (validated, versioned and
    stored as any upload). Sends case_message_posted with the message's id."""
    if to not in addressees(side):
        raise MessageError(_("Choose whom the message is for."), field="to")
    message = Message(
        case=case,
        author=author,
        author_side=side,
        author_label=author_label or getattr(author, "email", "") or "",
        to_side=to,
        body=_checked_body(body),
        request_event_id=request_event_id,
    )
    db.session.add(message)
    _attach(message, attachments, kind or DEFAULT_KIND, author, message.author_label)
    db.session.flush()
    case_message_posted.send(case, message_id=message.id)
    return message


def answer_question(
    case: Case,
    *,
    role: str,
    body: str,
    resume: bool,
    author=None,
    author_label: str = "",
    attachments: Sequence[Attachment] = (),
    kind: str = DEFAULT_KIND,
) -> Message:
    """Answer the open question (to the side that asked it); with `resume`, record provide_info in the same unit of
    work, so the clocks run again (raises the case's CaseActionError when that is not allowed)."""
    question = open_question(case)
    if question is None:
        raise MessageError(_("Nothing is being asked on this case right now."), status=409, code="conflict")
    side = SIDE_OF_ROLE[role]
    message = post_message(
        case,
        side=side,
        to=question.reply_side(side),
        body=body,
        author=author,
        author_label=author_label,
        attachments=attachments,
        kind=kind,
    )
    if resume:
        cases.take_action(case, "provide_info", role=role, actor=author, actor_label=author_label, note=message.body)
    return message


def on_case_event(case: Case, event: CaseEvent) -> None:
    """A request for information is also the first message of its thread, addressed to the party asked."""
    if event.action != "request_info" or not event.note or event.party not in (COMPANY, EXPERT):
        return
    side = PARK if event.actor_role == Role.OFFICER else COMPANY
    if event.party == side:
        return  # never a message to oneself
    post_message(
        case,
        side=side,
        to=event.party,
        body=event.note,
        author=event.actor,
        author_label=event.actor_label,
        request_event_id=event.id,
    )


def connect_receivers() -> None:
    """Hear the cases' events (called by create_app; connecting the same function again changes nothing)."""
    case_event_recorded.connect(on_case_event)
