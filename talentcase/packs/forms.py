"""Pack forms: HR's signature of a pack's declaration, and the company's signatory for its packs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, InputRequired, Length


class SignForm(FlaskForm):
    """The typed name (the account's own), the title it is signed under, and the confirmation."""

    typed_name = StringField(
        _l("Type your full name"), validators=[InputRequired(_l("Type your full name to sign.")), Length(max=200)]
    )
    title = StringField(_l("Your title"), validators=[Length(max=200, message=_l("At most 200 characters."))])
    confirmed = BooleanField(
        _l("I have reviewed this pack and sign the declaration on behalf of the company."),
        validators=[DataRequired(_l("Confirm that you have reviewed the pack and sign for the company."))],
    )


class SignatoryForm(FlaskForm):
    """Who signs the company's cover letters and declarations."""

    signatory_name = StringField(
        _l("Name of the signatory"),
        validators=[InputRequired(_l("Enter the name of the person who signs.")), Length(max=200)],
    )
    signatory_title = StringField(
        _l("Title of the signatory"),
        validators=[InputRequired(_l("Enter the signatory's title, for example Head of People.")), Length(max=200)],
    )
