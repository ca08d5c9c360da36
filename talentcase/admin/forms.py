"""Administration forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from talentcase.accounts.models import PARKS
from talentcase.common.confirm import ConfirmForm
from talentcase.common.forms import choice_list
from talentcase.common.roles import Role
from talentcase.common.validators import EmailAddress


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(_l("Enter the company name.")), Length(max=200)])
    park = SelectField(_l("Park"), choices=choice_list((park, park) for park in PARKS))
    br_number = StringField(_l("Business registration number"), validators=[Optional(), Length(max=40)])
    br_expiry_on = DateField(_l("Business registration expires on"), validators=[Optional()], format="%Y-%m-%d")
    is_listed = BooleanField(_l("Listed company"))

    def particulars(self) -> dict[str, Any]:
        """The company's particulars as the accounts services take them (adding and editing alike)."""
        return {
            "name": self.name.data,
            "park": self.park.data,
            "br_number": self.br_number.data,
            "br_expiry_on": self.br_expiry_on.data,
            "is_listed": self.is_listed.data,
        }


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), EmailAddress(), Length(max=254)],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=choice_list(
            [(Role.HR, _l("HR (company)")), (Role.OFFICER, _l("Park officer")), (Role.ADMIN, _l("Administrator"))]
        ),
    )
    company_id = SelectField(_l("Company (HR users only)"), coerce=int, validate_choice=False)


class ResetPasswordForm(ConfirmForm):
    """The new password, typed on the page that says what resetting it does."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class TeamInviteForm(FlaskForm):
    """A company administrator's invitation of a new HR user of their own company."""

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), EmailAddress(), Length(max=254)],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])


class CompanyAdminForm(FlaskForm):
    """Make an HR user their company's administrator (`make` ticked) or not (`make` left empty)."""

    make = BooleanField()
