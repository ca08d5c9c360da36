"""Sign-in and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from talentcase.common.forms import choice_list
from talentcase.common.i18n import LANGUAGE_NAMES
from talentcase.common.validators import EmailAddress


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])


class PreferencesForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Work phone (optional)"), validators=[Optional(), Length(max=40)])
    preferred_language = SelectField(
        _l("Language"), choices=choice_list([("", _l("Same as my browser")), *LANGUAGE_NAMES.items()])
    )
    notification_mode = SelectField(
        _l("Email me about notifications"),
        choices=choice_list(
            [
                ("immediate", _l("At once for what needs my action, the rest in one daily summary")),
                ("digest", _l("Once a day, in one summary email")),
                ("off", _l("Never (see them here in TalentCase only)")),
            ]
        ),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password.")), Length(max=200)]
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password.")), Length(max=200)]
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        validators=[
            DataRequired(_l("Enter the new password again.")),
            EqualTo("new_password", _l("The passwords do not match.")),
        ],
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("What is this token for?"),
        validators=[
            DataRequired(_l("Give the token a name.")),
            Length(max=100, message=_l("Use at most 100 characters.")),
        ],
    )
    # Asked again: a session left open for a minute must not be enough to mint a lasting credential.
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )


class EmptyForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
    )


class SetPasswordForm(FlaskForm):
    """The new password chosen through a link (a reset or an invitation)."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        validators=[
            DataRequired(_l("Enter the new password again.")),
            EqualTo("new_password", _l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
