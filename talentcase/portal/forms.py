"""Forms of the expert's portal (upload, contact details, "I have sent it") and HR's link buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from talentcase.common.forms import choice_list
from talentcase.common.i18n import LANGUAGE_NAMES
from talentcase.common.validators import EmailAddress


class ButtonForm(FlaskForm):
    """Only a CSRF token: for buttons that change something (invite, re-send, revoke, "I have sent it")."""


class UploadForm(FlaskForm):
    """One checklist item's upload; the page shows one per item, told apart by the form prefix."""

    file = FileField(
        _l("Choose a file"), render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
    )
    expires_on = DateField(_l("Passport expiry date"), validators=[Optional()], render_kw={"autocomplete": "off"})

    def __init__(self, *args, needs_expiry: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_expiry = needs_expiry
        if not needs_expiry:
            del self.expires_on

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.file.data or not getattr(self.file.data, "filename", ""):
            self.file.errors = list(self.file.errors) + [_l("Choose a file to upload.")]
            ok = False
        if self.needs_expiry and self.expires_on.data is None and not self.expires_on.errors:
            self.expires_on.errors = list(self.expires_on.errors) + [
                _l("Enter the passport expiry date, as written in your passport.")
            ]
            ok = False
        return ok


class ContactForm(FlaskForm):
    """The expert's own contact details and the language of our emails (the service has the final say)."""

    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = StringField(
        _l("Phone number (optional)"),
        validators=[Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel", "inputmode": "tel"},
    )
    language = SelectField(
        _l("Language for our emails"), choices=choice_list(LANGUAGE_NAMES.items()), validate_choice=True
    )


class FreshLinkForm(FlaskForm):
    """The expert's email, on the portal's start page, to be sent a fresh link."""

    email = EmailField(
        _l("Your email address"),
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
