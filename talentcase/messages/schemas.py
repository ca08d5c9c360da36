"""Case messages in the JSON API, declared once for the answers, the request body and /api/v1/openapi.json."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf

from talentcase.common.schemas import HongKongTime, Input, Text, every_field_present
from talentcase.documents.schemas import DocumentSchema
from talentcase.messages.models import COMPANY, EXPERT, PARK, SIDES, Message
from talentcase.messages.queries import author_name
from talentcase.messages.services import BODY_MAX

# The role each side writes as: HR for the company, an officer for the park, the expert through their link.
ROLE_OF_SIDE = {COMPANY: "hr", PARK: "officer", EXPERT: "expert"}


@every_field_present
class AuthorSchema(Schema):
    """Who wrote a message."""

    role = fields.String(validate=OneOf(tuple(ROLE_OF_SIDE.values())))
    name = fields.String()


@every_field_present
class MessageSchema(Schema):
    """One message of a case's conversation, with the documents its files became."""

    id = fields.Integer()
    body = fields.String()
    to = fields.String(attribute="to_side", validate=OneOf(SIDES), metadata={"description": "The side addressed"})
    author = fields.Method("_author", metadata={"type": "object", "description": "`{role, name}`"})
    created_at = HongKongTime()
    documents = fields.List(fields.Nested(DocumentSchema))

    def _author(self, message: Message) -> dict[str, str]:
        return AuthorSchema().dump({"role": ROLE_OF_SIDE[message.author_side], "name": author_name(message)})


class MessageListSchema(Schema):
    """The whole conversation a caller may read, oldest first (a case's conversation is short: one page)."""

    items = fields.List(fields.Nested(MessageSchema), required=True)
    total = fields.Integer(required=True)


class MessageInputSchema(Input):
    """POST body: the text, and the side it is for (one of the two other than the caller's)."""

    body = Text(required=True, validate=Length(max=BODY_MAX))
    to = fields.String(required=True, validate=OneOf(SIDES, error="Use one of: {choices}."))
