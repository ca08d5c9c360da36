"""Case forms: the particulars (validated by cases.schema) and the action forms with their dates."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS
from talentcase.cases.schema import BY_ATTR, COUNTRY_CODES, DECLARATIONS
from talentcase.common.confirm import ConfirmForm
from talentcase.common.forms import choice_list
from talentcase.common.i18n import country_name


def _country_choices():
    names = {code: country_name(code) for code in COUNTRY_CODES}  # in the page's language
    return choice_list(
        [("", _l("Choose a country"))] + sorted(((code, names[code]) for code in COUNTRY_CODES), key=lambda c: c[1])
    )


def _most(attr: str) -> dict[str, int]:
    """The browser's limit on the input, the schema's maximum length (the schema says so if it is passed anyway)."""
    return {"maxlength": BY_ATTR[attr].max_length}


class YesNoField(RadioField):
    """A declaration asked as a question: "yes", "no" or nothing chosen (None). It has no default: the company
    answers it, the form never does."""

    ANSWERS = {"yes": True, "no": False}

    def __init__(self, attr: str, **kwargs) -> None:
        choices = choice_list([("yes", _l("Yes")), ("no", _l("No"))])
        super().__init__(BY_ATTR[attr].question, choices=choices, validate_choice=False, **kwargs)

    def process_data(self, value) -> None:
        # The edit page starts from the case's stored answer (True, False or None).
        self.data = {True: "yes", False: "no"}.get(value, value)

    @property
    def answer(self) -> bool | str | None:
        """True, False, None when unanswered; anything else as posted, for cases.schema to refuse."""
        return self.ANSWERS.get(self.data, self.data or None)


class CaseForm(FlaskForm):
    """Field names are the model attributes; the rules live in cases.schema and are applied by the service (no
    validators here: a field refused by one would hold back the service's messages for the others until the next
    submit)."""

    full_name = StringField(BY_ATTR["full_name"].label, render_kw=_most("full_name"))
    chinese_name = StringField(BY_ATTR["chinese_name"].label, render_kw=_most("chinese_name"))
    nationality = SelectField(BY_ATTR["nationality"].label, validate_choice=False)
    email = EmailField(BY_ATTR["email"].label, render_kw=_most("email"))
    date_of_birth = StringField(BY_ATTR["date_of_birth"].label, render_kw={"type": "date"})
    passport_number = StringField(BY_ATTR["passport_number"].label, render_kw=_most("passport_number"))
    passport_expiry_on = StringField(BY_ATTR["passport_expiry_on"].label, render_kw={"type": "date"})
    is_mainland_resident = BooleanField(BY_ATTR["is_mainland_resident"].label)
    degree_level = SelectField(
        BY_ATTR["degree_level"].label,
        choices=choice_list([("", _l("Choose a degree"))] + list(DEGREE_LEVELS.items())),
        validate_choice=False,
    )
    degree_field = StringField(BY_ATTR["degree_field"].label, render_kw=_most("degree_field"))
    university = StringField(BY_ATTR["university"].label, render_kw=_most("university"))
    is_stem_degree = YesNoField("is_stem_degree")
    is_top100_university = YesNoField("is_top100_university")
    years_experience = StringField(BY_ATTR["years_experience"].label, render_kw={"inputmode": "decimal"})
    position_title = StringField(BY_ATTR["position_title"].label, render_kw=_most("position_title"))
    tech_area = SelectField(
        BY_ATTR["tech_area"].label,
        choices=choice_list([("", _l("Choose a technology area"))] + list(TECH_AREAS.items())),
        validate_choice=False,
    )
    duties = TextAreaField(BY_ATTR["duties"].label, render_kw=_most("duties"))
    monthly_salary_hkd = StringField(BY_ATTR["monthly_salary_hkd"].label, render_kw={"inputmode": "numeric"})
    is_full_time = YesNoField("is_full_time")
    is_principally_rd = YesNoField("is_principally_rd")
    intended_start_on = StringField(BY_ATTR["intended_start_on"].label, render_kw={"type": "date"})
    local_hire_confirmed = YesNoField("local_hire_confirmed")
    opened_on = StringField(_l("Case opened on"), render_kw={"type": "date"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nationality.choices = _country_choices()

    def values(self) -> dict:
        """The submitted values by model attribute, for cases.schema to validate."""
        values = {name: field.data for name, field in self._fields.items() if name in BY_ATTR}
        values.update({name: self[name].answer for name in DECLARATIONS})
        return values


# Which inputs each action's form on the case page has, in page order (the template and the error summary agree).
LETTER_ACTIONS: tuple[str, ...] = ("grant_quota", "issue_visa")
NOTE_ACTIONS: tuple[str, ...] = ("request_info", "reject", "provide_info", "withdraw", "accept")
# The inputs of the page that asks before a case is withdrawn or rejected (the case page only links to it).
CLOSE_FIELDS: tuple[str, ...] = ("occurred_on", "note")
QUOTA_FIELDS: tuple[str, ...] = ("quota_places", "quota_valid_until", "quota_reference")

# The inputs of the submit form on "check your answers" (the case page's submit button only leads there).
CHECK_FIELDS: tuple[str, ...] = ("occurred_on",)

# (the id of the input a message belongs to, or None when it belongs to no input on the page; the message)
ErrorItem = tuple[str | None, str]


def action_fields(action: str) -> tuple[str, ...]:
    """The inputs of the action's form on the case page, in page order."""
    names = [] if action == "submit" else ["occurred_on"]
    if action == "request_info":
        names.append("party")
    if action == "grant_quota":
        names.extend(QUOTA_FIELDS)
    if action in LETTER_ACTIONS:
        names.append("letter")
    if action in NOTE_ACTIONS:
        names.append("note")
    return tuple(names)


def action_field_id(name: str, action: str) -> str:
    """The element id of an input in one action's form (several actions' forms share a page)."""
    return f"{name}-{action}"


def _other_errors(form: FlaskForm, shown: tuple[str, ...]) -> list[ErrorItem]:
    """Messages of fields that have no input on the page (a tampered post, an expired form): the summary only."""
    items: list[ErrorItem] = []
    for name, field in form._fields.items():
        if name in shown or not field.errors:
            continue
        if name == "csrf_token":
            items.append((None, _("Your form expired. Reload the page and try again.")))
        else:
            items.extend((None, message) for message in field.errors)
    return items


class ActionForm(FlaskForm):
    action = HiddenField()
    occurred_on = DateField(_l("Date it happened"), validators=[Optional()], format="%Y-%m-%d")
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    party = SelectField(
        _l("Ask whom"),
        choices=choice_list([("company", _l("The company")), ("expert", _l("The expert"))]),
        validate_choice=False,
    )
    # Text with no validators, not IntegerField/DateField: the grant's rules and messages are the service's (as for
    # the API), which reports every problem at once, and the page gives back exactly what was typed.
    quota_places = StringField(_l("Places granted"), default="1")
    quota_valid_until = StringField(_l("Quota valid until"))
    quota_reference = StringField(_l("Quota letter reference"))
    # The letter that records the outcome (Quota Approval Letter, visa label), kept with the case's documents.
    letter = FileField(_l("The letter (PDF, JPEG or PNG)"))

    def error_items(self, *, is_shown: bool, fields: tuple[str, ...] | None = None) -> list[ErrorItem]:
        """The error summary's lines for this form; is_shown says whether the page has the action's form, fields
        which inputs it has (by default those of the action's form on the case page)."""
        action = self.action.data or ""
        shown = (action_fields(action) if fields is None else fields) if is_shown else ()
        items: list[ErrorItem] = [(f"action-{action}" if is_shown else None, message) for message in self.form_errors]
        for name in shown:
            items.extend((action_field_id(name, action), message) for message in self[name].errors)
        return items + _other_errors(self, shown)


class CloseForm(ConfirmForm, ActionForm):
    """Withdraw or reject, from the page that asks first: the date, the reason, and the page's confirmation."""


class OverrideForm(FlaskForm):
    check_code = HiddenField(validators=[InputRequired()])
    justification = TextAreaField(
        _l("Justification"),
        filters=[lambda text: text.strip() if isinstance(text, str) else text],
        validators=[
            InputRequired(_l("Write why this check may be overridden.")),
            # The service's rule (and message), checked here too so that the page can say it at the field.
            Length(min=10, message=_l("Write a justification of at least 10 characters.")),
            Length(max=2000),
        ],
    )

    def error_items(self, *, is_shown: bool) -> list[ErrorItem]:
        """The error summary's lines; is_shown says whether the page has the override form for the posted check."""
        code = self.check_code.data or ""
        items: list[ErrorItem] = [(f"override-{code}" if is_shown else None, message) for message in self.form_errors]
        shown = ("justification",) if is_shown else ()
        if is_shown:
            items.extend((f"justification-{code}", message) for message in self.justification.errors)
        return items + _other_errors(self, shown)


class TravelForm(FlaskForm):
    """The days HR expect between the visa's issue and the expert's first day at work."""

    travel_days = IntegerField(
        _l("Days for travel and settling in"),
        description=_l("From the day the visa is issued to the first day at work, e.g. 14."),
        validators=[
            InputRequired(_l("Enter the number of days, e.g. 14.")),
            NumberRange(min=0, max=180, message=_l("Enter a number of days from 0 to 180.")),
        ],
    )
