"""Case forms: the particulars (validated by cases.schema) and the action forms with their dates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS
from talentcase.cases.schema import BY_ATTR, COUNTRY_CODES
from talentcase.common.forms import choice_list
from talentcase.common.i18n import country_name


def _country_choices():
    names = {code: country_name(code) for code in COUNTRY_CODES}  # in the page's language
    return choice_list(
        [("", _l("Choose a country"))] + sorted(((code, names[code]) for code in COUNTRY_CODES), key=lambda c: c[1])
    )


class CaseForm(FlaskForm):
    """Field names are the model attributes; the rules live in cases.schema and are applied by the service."""

    full_name = StringField(BY_ATTR["full_name"].label, validators=[Length(max=200)])
    chinese_name = StringField(BY_ATTR["chinese_name"].label, validators=[Length(max=100)])
    nationality = SelectField(BY_ATTR["nationality"].label, validate_choice=False)
    email = EmailField(BY_ATTR["email"].label, validators=[Length(max=254)])
    date_of_birth = StringField(BY_ATTR["date_of_birth"].label, render_kw={"type": "date"})
    passport_number = StringField(BY_ATTR["passport_number"].label, validators=[Length(max=30)])
    passport_expiry_on = StringField(BY_ATTR["passport_expiry_on"].label, render_kw={"type": "date"})
    is_mainland_resident = BooleanField(BY_ATTR["is_mainland_resident"].label)
    degree_level = SelectField(
        BY_ATTR["degree_level"].label,
        choices=choice_list([("", _l("Choose a degree"))] + list(DEGREE_LEVELS.items())),
        validate_choice=False,
    )
    degree_field = StringField(BY_ATTR["degree_field"].label, validators=[Length(max=200)])
    university = StringField(BY_ATTR["university"].label, validators=[Length(max=200)])
    is_stem_degree = BooleanField(BY_ATTR["is_stem_degree"].label, default=True)
    is_top100_university = BooleanField(BY_ATTR["is_top100_university"].label, default=True)
    years_experience = StringField(BY_ATTR["years_experience"].label, render_kw={"inputmode": "decimal"})
    position_title = StringField(BY_ATTR["position_title"].label, validators=[Length(max=200)])
    tech_area = SelectField(
        BY_ATTR["tech_area"].label,
        choices=choice_list([("", _l("Choose a technology area"))] + list(TECH_AREAS.items())),
        validate_choice=False,
    )
    duties = TextAreaField(BY_ATTR["duties"].label, validators=[Length(max=5000)])
    monthly_salary_hkd = StringField(BY_ATTR["monthly_salary_hkd"].label, render_kw={"inputmode": "numeric"})
    is_full_time = BooleanField(BY_ATTR["is_full_time"].label, default=True)
    is_principally_rd = BooleanField(BY_ATTR["is_principally_rd"].label, default=True)
    intended_start_on = StringField(BY_ATTR["intended_start_on"].label, render_kw={"type": "date"})
    local_hire_confirmed = BooleanField(BY_ATTR["local_hire_confirmed"].label)
    opened_on = StringField(_l("Case opened on"), render_kw={"type": "date"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nationality.choices = _country_choices()

    def values(self) -> dict:
        """The submitted values by model attribute, for cases.schema to validate."""
        return {name: field.data for name, field in self._fields.items() if name in BY_ATTR}


class ActionForm(FlaskForm):
    action = HiddenField()
    occurred_on = DateField(_l("Date it happened"), validators=[Optional()], format="%Y-%m-%d")
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    party = SelectField(
        _l("Ask whom"),
        choices=choice_list([("company", _l("The company")), ("expert", _l("The expert"))]),
        validate_choice=False,
    )
    quota_places = IntegerField(_l("Places granted"), validators=[Optional(), NumberRange(min=1, max=100)], default=1)
    quota_valid_until = DateField(_l("Quota valid until"), validators=[Optional()], format="%Y-%m-%d")
    quota_reference = StringField(_l("Quota letter reference"), validators=[Optional(), Length(max=60)])
    # The letter that records the outcome (Quota Approval Letter, visa label), kept with the case's documents.
    letter = FileField(_l("The letter (PDF, JPEG or PNG)"))


class OverrideForm(FlaskForm):
    check_code = HiddenField(validators=[InputRequired()])
    justification = TextAreaField(
        _l("Justification"), validators=[InputRequired(_l("Write why this check may be overridden.")), Length(max=2000)]
    )
