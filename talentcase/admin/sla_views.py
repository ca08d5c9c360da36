"""Administration of the calendar (closure days, holidays as the system sees them) and the SLA settings."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from talentcase.admin import queries
from talentcase.admin.views import bp
from talentcase.audit.requests import record_request
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.confirm import ConfirmForm, unconfirmed
from talentcase.common.forms import choice_list
from talentcase.common.hkdays import holiday_language
from talentcase.common.i18n import day_text
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.sla import queries as sla_queries
from talentcase.sla import services as sla
from talentcase.sla.calendar import HKCalendar
from talentcase.sla.engine import DEFAULT_TARGETS
from talentcase.sla.models import ClosureDay, SlaPolicy
from talentcase.sla.thresholds import DEFAULT_DAYS_BEFORE_DUE, DEFAULT_PERCENTAGES

CLOSURE_KIND_NAMES = {"typhoon8": _l("Typhoon signal 8 or above"), "black_rainstorm": _l("Black rainstorm warning")}
# The years the calendar page shows, from the scheme's launch on.
FIRST_YEAR, LAST_YEAR = 2018, 2100
AT_RISK_MESSAGE = _l("Enter a whole number from 10 to 99, for example 75.")


class WholeNumberField(IntegerField):
    """An integer field that reports a number it cannot read ("75.5") once, not again as out of range."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:
            raise StopValidation()  # the reading error is already there; the range check would only repeat it


class ClosureForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date of the closure."))], format="%Y-%m-%d")
    kind = SelectField(_l("What happened"), choices=choice_list(CLOSURE_KIND_NAMES.items()))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class SlaPolicyForm(FlaskForm):
    effective_from = DateField(
        _l("Applies to clocks that start on or after"),
        validators=[DataRequired(_l("Enter the date from which the targets apply."))],
        format="%Y-%m-%d",
    )
    review_days = IntegerField(_l("Park review (working days)"), validators=[InputRequired(), NumberRange(1, 60)])
    quota_days = IntegerField(_l("ITC quota (calendar days)"), validators=[InputRequired(), NumberRange(1, 120)])
    visa_days = IntegerField(_l("ImmD visa (calendar days)"), validators=[InputRequired(), NumberRange(1, 120)])
    overall_days = IntegerField(_l("Overall (calendar days)"), validators=[InputRequired(), NumberRange(1, 240)])
    # A whole number: the page shows the percentage rounded, so 75.5 would be saved as one value and shown as another.
    at_risk_percent = WholeNumberField(
        _l("At risk from (percentage of the target)"),
        validators=[InputRequired(AT_RISK_MESSAGE), NumberRange(10, 99, AT_RISK_MESSAGE)],
        invalid_value_message=AT_RISK_MESSAGE,
    )
    alert_percentages = StringField(
        _l("Alert when this much of the target has passed (%)"), validators=[Length(max=60)]
    )
    alert_days_before_due = StringField(_l("Alert this many days before the due date"), validators=[Length(max=60)])

    def validate_overall_days(self, field) -> None:
        # The overall clock runs from submission to the visa and holds the quota or the visa stage whole: a shorter
        # overall target would have every case breach it while each stage is still on track.
        longest = max(self.quota_days.data or 0, self.visa_days.data or 0)
        if field.data is not None and field.data < longest:
            raise ValidationError(
                _("The overall target must be at least as long as the quota and visa targets (%(n)d days).", n=longest)
            )

    # The parsed lists go beside the text, which stays as typed when the form comes back with an error.
    def validate_alert_percentages(self, field) -> None:
        field.numbers = _number_list(field, low=1, high=99, unit=_("percentages from 1 to 99"))

    def validate_alert_days_before_due(self, field) -> None:
        field.numbers = _number_list(field, low=1, high=60, unit=_("numbers of days from 1 to 60"))


MAX_THRESHOLDS = 5


def _number_list(field, *, low: int, high: int, unit: str) -> list[int]:
    """A list like "50, 75" as sorted whole numbers; a field left out of the post keeps the current setting."""
    if not field.raw_data:
        return None
    text = (field.data or "").replace(";", ",").replace(" ", ",")
    parts = [part for part in text.split(",") if part]
    if not all(part.isdigit() for part in parts):
        raise ValidationError(_("Write whole numbers separated by commas, for example 50, 75."))
    numbers = sorted({int(part) for part in parts})
    if any(number < low or number > high for number in numbers):
        raise ValidationError(_("Use %(unit)s.", unit=unit))
    if len(numbers) > MAX_THRESHOLDS:
        raise ValidationError(_("Give at most %(n)d numbers.", n=MAX_THRESHOLDS))
    return numbers


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def calendar():
    form = ClosureForm()
    if form.validate_on_submit():
        if form.day.data > clock.today():
            form.day.errors.append(_("A closure day cannot be in the future."))
        else:
            try:
                row, touched = sla.add_closure_day(
                    form.day.data, form.kind.data, form.note.data or "", actor=current_user
                )
            except ValueError as error:
                uow.discard()
                form.day.errors.append(str(error))
            else:
                record_request(
                    "closure_added", target_type="closure_day", target_id=row.id, day=row.day.isoformat(), kind=row.kind
                )
                flash(
                    _(
                        "Closure day %(day)s recorded; %(n)d open case(s) recomputed.",
                        day=day_text(row.day),
                        n=touched,
                    ),
                    "success",
                )
                return redirect(url_for("admin.calendar"))
    try:
        year = int(request.args.get("year", clock.today().year))
    except ValueError:
        year = clock.today().year
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    closures = sla_queries.closure_days()
    hk = HKCalendar(language=holiday_language(str(get_locale())))  # the official names in the page's language
    holidays = []
    day = date(year, 1, 1)
    while day.year == year:
        name = hk.holiday_name(day)
        if name:
            holidays.append((day, name))
        day = date.fromordinal(day.toordinal() + 1)
    return render_template(
        "admin/calendar.html",
        form=form,
        closures=closures,
        holidays=holidays,
        year=year,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        kinds=CLOSURE_KIND_NAMES,
    ), (422 if form.errors else 200)


@bp.route("/calendar/<int:closure_id>/delete", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def remove_closure(closure_id: int):
    row = db.session.get(ClosureDay, closure_id)
    if row is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template(
            "admin/confirm_remove_closure.html",
            form=form,
            closure=row,
            kinds=CLOSURE_KIND_NAMES,
            cases_touched=queries.cases_touching_count(row.day),
        )
    if (answer := unconfirmed(form)) is not None:
        return answer
    day = row.day
    touched = sla.remove_closure_day(row)
    record_request("closure_removed", target_type="closure_day", target_id=closure_id, day=day.isoformat())
    flash(
        _("Closure day %(day)s removed; %(n)d open case(s) recomputed.", day=day_text(day), n=touched),
        "success",
    )
    return redirect(url_for("admin.calendar"))


@bp.route("/sla", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def sla_settings():
    policies = sla_queries.sla_policies()
    current = policies[0] if policies else None
    form = SlaPolicyForm()
    if request.method == "GET":
        _prefill(form, current)
    if form.validate_on_submit():
        try:
            policy, replaced = sla.schedule_policy(
                form.effective_from.data,
                review_days=form.review_days.data,
                quota_days=form.quota_days.data,
                visa_days=form.visa_days.data,
                overall_days=form.overall_days.data,
                at_risk_ratio=form.at_risk_percent.data / 100,
                alert_percentages=_or_current(
                    form.alert_percentages.numbers, current and current.alert_percentages, DEFAULT_PERCENTAGES
                ),
                alert_days_before_due=_or_current(
                    form.alert_days_before_due.numbers,
                    current and current.alert_days_before_due,
                    DEFAULT_DAYS_BEFORE_DUE,
                ),
                actor=current_user,
            )
        except ValueError as error:
            uow.discard()
            form.effective_from.errors.append(str(error))
        else:
            _record_policy(policy, replaced)
            _flash_policy(policy, replaced)
            return redirect(url_for("admin.sla_settings"))
    return render_template(
        "admin/sla.html",
        form=form,
        policies=policies,
        defaults=DEFAULT_TARGETS,
        default_percentages=_joined(DEFAULT_PERCENTAGES),
        default_days_before_due=_joined(DEFAULT_DAYS_BEFORE_DUE),
        joined=_joined,
    ), (422 if form.errors else 200)


def _prefill(form: SlaPolicyForm, current: SlaPolicy | None) -> None:
    """A new policy starts from tomorrow with the targets in force (or the defaults), to be changed where needed."""
    form.effective_from.data = clock.today() + timedelta(days=1)
    form.review_days.data = current.review_days if current else DEFAULT_TARGETS["review"].target_days
    form.quota_days.data = current.quota_days if current else DEFAULT_TARGETS["quota"].target_days
    form.visa_days.data = current.visa_days if current else DEFAULT_TARGETS["visa"].target_days
    form.overall_days.data = current.overall_days if current else DEFAULT_TARGETS["overall"].target_days
    form.at_risk_percent.data = round((current.at_risk_ratio if current else 0.75) * 100)
    form.alert_percentages.data = _joined(current.alert_percentages if current else DEFAULT_PERCENTAGES)
    form.alert_days_before_due.data = _joined(current.alert_days_before_due if current else DEFAULT_DAYS_BEFORE_DUE)


def _record_policy(policy: SlaPolicy, replaced) -> None:
    values = sla.policy_values(policy)
    if replaced is None:
        record_request("sla_policy_added", target_type="sla_policy", target_id=policy.id, **values)
    else:
        values["replaced"] = replaced
        record_request("sla_policy_replaced", target_type="sla_policy", target_id=policy.id, **values)


def _flash_policy(policy: SlaPolicy, replaced) -> None:
    day = day_text(policy.effective_from)
    if replaced is None:
        flash(_("New targets saved; they apply to clocks that start on or after %(day)s.", day=day), "success")
    else:
        flash(_("The targets for clocks that start on or after %(day)s are replaced.", day=day), "success")


def _joined(numbers) -> str:
    return ", ".join(str(int(number)) for number in numbers or ())


def _or_current(numbers: list[int] | None, current, default) -> list[int]:
    """The submitted list; when the field was left out of the post, the version in force (or the default)."""
    if numbers is not None:
        return list(numbers)
    return [int(number) for number in (current if current is not None else default)]
