"""Form validators shared across domains."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, ValidationError


class EmailAddress:
    """Email syntax only: no DNS look-up (the machine may be offline), reserved test domains allowed."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        try:
            validate_email(field.data, check_deliverability=False, test_environment=True)
        except EmailNotValidError as error:
            raise ValidationError(self.message or _l("Enter a valid email address.")) from error
