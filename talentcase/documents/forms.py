"""Document forms: an upload per checklist item, an officer's review, and adding or removing a dependant.

The forms parse what was posted (CSRF, dates, ids); the rules on files, reviews and dependants live in
documents.services, which the views call with plain values.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, HiddenField, RadioField, StringField, TextAreaField, ValidationError

from talentcase.common.forms import choice_list


def parse_day(raw: str | None) -> date | None:
    """A YYYY-MM-DD date, None when empty; ValueError when it is not a real date."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) != 10:
        raise ValueError(raw)
    return date.fromisoformat(raw)


def _day_validator(message: str):
    def check(form: FlaskForm, field: Field) -> None:
        try:
            parse_day(field.data)
        except ValueError as error:
            raise ValidationError(message) from error

    return check


class UploadForm(FlaskForm):
    """One file for one checklist item (kind, and the dependant for a dependant's documents)."""

    kind = HiddenField()
    dependant_id = HiddenField()
    file = FileField(_l("File"))
    expires_on = StringField(
        _l("Expiry date"),
        validators=[_day_validator(_l("Enter the expiry date as a real date, for example 20 May 2031."))],
    )

    def validate_dependant_id(self, field: Field) -> None:
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("This dependant does not exist."))

    def validate_file(self, field: Field) -> None:
        # A browser sends an empty part without a name when no file was chosen; a chosen 0-byte file has a name
        # and is refused by the service with its own message.
        if field.data is None or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the file to upload."))

    @property
    def dependant(self) -> int | None:
        return int(self.dependant_id.data) if self.dependant_id.data else None

    @property
    def expiry(self) -> date | None:
        return parse_day(self.expires_on.data)


class CompanyUploadForm(FlaskForm):
    """One file for the company's own file: what it is, its quota (for a letter) and when it expires."""

    kind = StringField(_l("What the document is"))
    quota_id = StringField(_l("Quota"))
    file = FileField(_l("File"))
    expires_on = StringField(
        _l("Expiry date"),
        validators=[_day_validator(_l("Enter the expiry date as a real date, for example 20 May 2031."))],
    )

    def validate_quota_id(self, field: Field) -> None:
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("Choose the quota this letter was issued for."))

    def validate_file(self, field: Field) -> None:
        if field.data is None or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the file to upload."))

    @property
    def quota(self) -> int | None:
        return int(self.quota_id.data) if self.quota_id.data else None

    @property
    def expiry(self) -> date | None:
        return parse_day(self.expires_on.data)


class ReviewForm(FlaskForm):
    """An officer's decision on the current version of a document."""

    decision = HiddenField()
    reason = TextAreaField(_l("Reason for rejecting"))


class DependantForm(FlaskForm):
    """A spouse or partner, or a child under 18, coming with the expert."""

    relationship = RadioField(
        _l("Relationship to the expert"),
        choices=choice_list([("spouse", _l("Spouse or partner")), ("child", _l("Child (under 18)"))]),
        validate_choice=False,
    )
    full_name = StringField(_l("Full name"))
    date_of_birth = StringField(
        _l("Date of birth"),
        validators=[_day_validator(_l("Enter the date of birth as a real date, for example 30 Jun 2015."))],
    )

    @property
    def birthday(self) -> date | None:
        return parse_day(self.date_of_birth.data)


class RemoveForm(FlaskForm):
    """Only the CSRF token: the dependant comes from the URL."""
