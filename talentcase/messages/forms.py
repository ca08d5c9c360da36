"""The forms of a case's conversation: a new message, and the answer to the open question (the service has the
final say on whom a message may go to and what the files are filed as)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import Length

from talentcase.common.forms import choice_list
from talentcase.messages.services import BODY_MAX, Attachment

FILE_TYPES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class _Written(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[Length(max=BODY_MAX)], render_kw={"rows": 5})
    files = MultipleFileField(_l("Attach files (optional)"), render_kw={"accept": FILE_TYPES})
    kind = SelectField(_l("File the attachments as"), validate_choice=False)

    def set_kinds(self, kinds: list[tuple[str, str]]) -> None:
        self.kind.choices = choice_list(kinds)

    def attachments(self) -> list[Attachment]:
        """The files chosen (an empty file input sends one nameless part, which is no file)."""
        return [
            Attachment(part.read(), part.filename) for part in self.files.data or [] if getattr(part, "filename", "")
        ]


class MessageForm(_Written):
    """A new message to one of the other sides."""

    to = SelectField(_l("Send to"), validate_choice=False)

    def set_addressees(self, choices: list[tuple[str, str]]) -> None:
        self.to.choices = choice_list(choices)


class AnswerForm(_Written):
    """The answer to the open question; "resume" also records that the information is provided."""

    resume = BooleanField(_l("This answers the request: resume the clocks"))
