"""Administration of case owners: each park's assignment rule, the areas' officers, who takes new cases and who
supervises, and cover periods for officers away."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.accounts.models import PARKS, User
from talentcase.admin.views import bp
from talentcase.audit.requests import record_request
from talentcase.cases import ownership
from talentcase.cases.ownership_models import ALL_PARKS, RULES, CoverPeriod
from talentcase.cases.policy import TECH_AREAS, park_name
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.i18n import day_text
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.jobs import uow


def _officer(value: str | None) -> User | None:
    value = (value or "").strip()
    return db.session.get(User, int(value)) if value.isdigit() and len(value) < 12 else None


def _page(status: int = 200, cover_errors: dict[str, str] | None = None):
    officers = ownership.active_officers()
    return (
        render_template(
            "admin/owners.html",
            parks=[(code, park_name(code)) for code in PARKS],
            all_parks=ALL_PARKS,
            rules=ownership.rules(),
            rule_names=rule_names(),
            officers=officers,
            officer_options=[(officer.id, officer.display_name) for officer in officers],
            taken=ownership.taken_parks(),
            areas=ownership.area_officers(),
            tech_areas=[(code, str(name)) for code, name in TECH_AREAS.items()],
            covers=ownership.covers_from(clock.today()),
            cover_errors=cover_errors or {},
            typed=request.form if cover_errors else {},
        ),
        status,
    )


def rule_names() -> dict[str, str]:
    """The rules in words."""
    return {
        "round_robin": _("Round robin among the officers who take the park's cases"),
        "by_area": _("By technology area (the area's officer; round robin for an area with none)"),
    }


@bp.route("/owners")
@roles_required(Role.ADMIN)
def owners():
    return _page()


@bp.route("/owners/rule", methods=["POST"])
@roles_required(Role.ADMIN)
def owners_rule():
    park, rule = request.form.get("park", ""), request.form.get("rule", "")
    if park not in PARKS or rule not in RULES:
        abort(400)
    ownership.set_rule(park, rule)
    record_request("assignment_rule_set", target_type="park", park=park, rule=rule)
    flash(
        _(
            "%(park)s: new cases now find their owner this way: %(rule)s.",
            park=park_name(park),
            rule=rule_names()[rule],
        ),
        "success",
    )
    return redirect(url_for("admin.owners") + "#rules")


@bp.route("/owners/areas", methods=["POST"])
@roles_required(Role.ADMIN)
def owners_areas():
    park = request.form.get("park", "")
    if park not in PARKS:
        abort(400)
    try:
        for code in TECH_AREAS:
            ownership.set_area_officer(park, code, _officer(request.form.get(code)))
    except ownership.OwnerInvalid as refused:
        uow.discard()
        flash(refused.message, "error")
        return redirect(url_for("admin.owners") + "#areas")
    record_request("area_officers_set", target_type="park", park=park)
    flash(_("The technology areas' officers of %(park)s are saved.", park=park_name(park)), "success")
    return redirect(url_for("admin.owners") + "#areas")


@bp.route("/owners/officers/<int:user_id>", methods=["POST"])
@roles_required(Role.ADMIN)
def owners_officer(user_id: int):
    officer = db.session.get(User, user_id)
    if officer is None or officer.role != Role.OFFICER:
        abort(404)
    parks = [park for park in request.form.getlist("parks") if park in (*PARKS, ALL_PARKS)]
    try:
        ownership.set_officer(officer, parks, is_supervisor=request.form.get("is_supervisor") == "1")
    except ownership.OwnerInvalid as refused:
        uow.discard()
        flash(refused.message, "error")
        return redirect(url_for("admin.owners") + "#officers")
    record_request(
        "officer_cases_set", target_type="user", target_id=officer.id, parks=parks, is_supervisor=officer.is_supervisor
    )
    flash(_("%(name)s: saved.", name=officer.display_name), "success")
    return redirect(url_for("admin.owners") + "#officers")


def _typed_day(name: str, message: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        errors[name] = message
        return None


@bp.route("/owners/cover", methods=["POST"])
@roles_required(Role.ADMIN)
def owners_cover():
    errors: dict[str, str] = {}
    starts_on = _typed_day("starts_on", _("Enter the first day away as a date."), errors)
    ends_on = _typed_day("ends_on", _("Enter the last day away as a date."), errors)
    if errors:
        return _page(422, errors)
    try:
        period = ownership.record_cover(
            _officer(request.form.get("officer")),
            _officer(request.form.get("covered_by")),
            starts_on,
            ends_on,
            recorded_by=current_user._get_current_object(),
        )
    except ownership.OwnerInvalid as refused:
        uow.discard()
        return _page(422, refused.field_errors or {"officer": refused.message})
    record_request(
        "cover_recorded",
        target_type="user",
        target_id=period.officer_id,
        covered_by=period.covered_by_id,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    flash(
        _(
            "Cover recorded: %(name)s's open cases go to %(colleague)s from %(start)s to %(end)s, and come back after.",
            name=period.officer.display_name,
            colleague=period.covered_by.display_name,
            start=day_text(starts_on),
            end=day_text(ends_on),
        ),
        "success",
    )
    return redirect(url_for("admin.owners") + "#cover")


@bp.route("/owners/cover/<int:period_id>/end", methods=["POST"])
@roles_required(Role.ADMIN)
def owners_cover_end(period_id: int):
    period = db.session.get(CoverPeriod, period_id)
    if period is None:
        abort(404)
    record_request("cover_ended", target_type="user", target_id=period.officer_id, covered_by=period.covered_by_id)
    ownership.end_cover(period)
    flash(_("The cover period is removed: the cases are their owner's again."), "success")
    return redirect(url_for("admin.owners") + "#cover")
