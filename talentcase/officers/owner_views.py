"""Reassigning cases to another officer (one from its case page, or the ticked ones of the all-cases list), and an
officer's own cover while away."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import User
from talentcase.audit.requests import record_request
from talentcase.cases import ownership
from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.http import safe_next
from talentcase.common.roles import Role
from talentcase.common.tenancy import get_visible_or_404, visible
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.officers.views import bp


def _chosen_officer() -> User | None:
    """The officer picked in the form's `owner` select (None when none or not a number)."""
    value = (request.form.get("owner") or "").strip()
    return db.session.get(User, int(value)) if value.isdigit() and len(value) < 12 else None


def _reassign_audited(case: Case, officer: User | None) -> None:
    """Reassign and record who moved the case from whom to whom (raises OwnerInvalid, nothing recorded)."""
    previous = ownership.reassign(case, officer)
    if previous != case.owner_id:
        record_request(
            "case_reassigned", target_type="case", target_id=case.id, from_owner=previous, to_owner=case.owner_id
        )


@bp.route("/cases/<int:case_id>/owner", methods=["POST"])
@roles_required(Role.OFFICER)
def reassign_case(case_id: int):
    case = get_visible_or_404(Case, case_id, current_user)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        _reassign_audited(case, _chosen_officer())
    except ownership.OwnerInvalid as refused:
        uow.discard()
        flash(refused.message, "error")
    else:
        name = case.owner.display_name
        flash(_("%(reference)s now belongs to %(name)s.", reference=case.reference, name=name), "success")
    return redirect(url_for("cases.show", case_id=case.id) + "#owner")


@bp.route("/cases/reassign", methods=["POST"])
@roles_required(Role.OFFICER)
def reassign_cases():
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = safe_next(url_for("officers.cases"))
    ids = [int(value) for value in request.form.getlist("case_ids") if value.isdigit() and len(value) < 12]
    if not ids:
        flash(_("Tick the cases to reassign first."), "error")
        return redirect(back)
    cases = list(db.session.scalars(visible(Case, current_user).where(Case.id.in_(ids)).order_by(Case.id)))
    officer = _chosen_officer()
    try:
        for case in cases:
            _reassign_audited(case, officer)
    except ownership.OwnerInvalid as refused:
        uow.discard()  # all or nothing: a refusal leaves every ticked case where it was
        flash(refused.message, "error")
        return redirect(back)
    flash(
        ngettext(
            "%(num)d case now belongs to %(name)s.",
            "%(num)d cases now belong to %(name)s.",
            len(cases),
            name=officer.display_name,
        ),
        "success",
    )
    return redirect(back)


def _away_page(status: int = 200, errors: dict[str, str] | None = None):
    covers = [period for period in ownership.covers_from(clock.today()) if period.officer_id == current_user.id]
    officers = [(officer.id, officer.display_name) for officer in ownership.active_officers()]
    return (
        render_template(
            "officers/away.html",
            covers=covers,
            officer_options=[option for option in officers if option[0] != current_user.id],
            cover_errors=errors or {},
            typed=request.form if errors else {},
        ),
        status,
    )


def _typed_days() -> tuple[date | None, date | None, dict[str, str]]:
    """The first and last day away as typed, with a message at each that is not a date."""
    errors: dict[str, str] = {}
    days = []
    for name, message in (
        ("starts_on", _("Enter the first day away as a date.")),
        ("ends_on", _("Enter the last day away as a date.")),
    ):
        try:
            days.append(date.fromisoformat(request.form.get(name, "").strip()))
        except ValueError:
            errors[name] = message
            days.append(None)
    return days[0], days[1], errors


@bp.route("/away", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def away():
    """The officer records their own absence and the colleague who covers (an admin can for anyone)."""
    if request.method == "GET":
        return _away_page()
    if not EmptyForm().validate_on_submit():
        abort(400)
    starts_on, ends_on, errors = _typed_days()
    if errors:
        return _away_page(422, errors)
    me = current_user._get_current_object()
    try:
        period = ownership.record_cover(me, _covering(), starts_on, ends_on, recorded_by=me)
    except ownership.OwnerInvalid as refused:
        uow.discard()
        return _away_page(422, refused.field_errors)
    record_request(
        "cover_recorded",
        target_type="user",
        target_id=me.id,
        covered_by=period.covered_by_id,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    flash(_("Cover recorded."), "success")
    return redirect(url_for("officers.away"))


def _covering() -> User | None:
    value = (request.form.get("covered_by") or "").strip()
    return db.session.get(User, int(value)) if value.isdigit() and len(value) < 12 else None
