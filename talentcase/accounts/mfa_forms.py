"""Second-factor forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from talentcase.common.confirm import ConfirmForm


class CodeForm(FlaskForm):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class PasskeyNameForm(FlaskForm):
    """The name a person gives a passkey, to tell it apart later."""

    name = StringField(_l("Name of this passkey"), validators=[Length(max=100)])


class RemoveAppForm(ConfirmForm):
    """The confirmation that removes the authenticator app, with a code from it (or a recovery code)."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
