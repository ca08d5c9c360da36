"""A company administrator's pages: their company's HR users (invite, deactivate, reset the second factor, make
administrator) and their company's audit entries. Nothing of another company: a user id of another company, or of
the park's staff, is not found (404); an HR user who is not a company administrator is refused (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from talentcase.accounts import people_views, recovery, team
from talentcase.accounts import services as accounts
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import User
from talentcase.admin import team_queries
from talentcase.admin.forms import CompanyAdminForm, TeamInviteForm
from talentcase.audit.requests import record_request
from talentcase.common.confirm import ConfirmForm, to_confirmation
from talentcase.common.paging import page_arg
from talentcase.common.roles import Role, allows
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("team", __name__, url_prefix="/team")


def company_admin_required(view: Callable) -> Callable:
    """Signed in as a company administrator, else 403 (anonymous people go to the sign-in page)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not allows(current_user, "administer_company", current_user.company_id):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _member(user_id: int) -> User:
    """An HR user of the signed-in administrator's company; anyone else is not found, as if they did not exist."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.HR or user.company_id != current_user.company_id:
        abort(404)
    return user


@bp.route("/", methods=["GET", "POST"])
@company_admin_required
def index():
    form = TeamInviteForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, role=Role.HR, name=form.name.data or "", company=current_user.company
            )
        except accounts.AccountError as error:
            uow.discard()
            (form[error.field].errors if error.field in form else form.form_errors).append(str(error))
        else:
            record_request("user_created", target_type="user", target_id=user.id, role=user.role)
            recovery.invite(user)
            record_request("invitation_sent", target_type="user", target_id=user.id)
            flash(_("%(email)s is invited by email to set a password.", email=user.email), "success")
            return redirect(url_for("team.index"))
    status = 422 if form.errors or form.form_errors else 200
    page = render_template(
        "team/index.html",
        form=form,
        members=team_queries.members(current_user.company_id),
        action_form=EmptyForm(),
    )
    return page, status


@bp.route("/<int:user_id>/invite", methods=["POST"])
@company_admin_required
def invite(user_id: int):
    return people_views.resend_invitation(_member(user_id), url_for("team.index"))


@bp.route("/<int:user_id>/active", methods=["GET", "POST"])
@company_admin_required
def toggle_active(user_id: int):
    user = _member(user_id)
    form = ConfirmForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("team.index"))
    if request.method == "GET":
        if user.is_enabled:
            return render_template("team/confirm_deactivate.html", form=form, user=user)
    elif user.is_enabled and not form.is_confirmed:
        return to_confirmation()
    elif user.is_enabled == form.is_confirmed:
        # As on the admin's list: the page deactivates, the list's button activates; a repeated post changes nothing.
        accounts.set_enabled(user, not form.is_confirmed)
        action = "user_activated" if user.is_enabled else "user_deactivated"
        record_request(action, target_type="user", target_id=user.id)
    state = _("active") if user.is_enabled else _("deactivated")
    flash(_("%(email)s is now %(state)s.", email=user.email, state=state))
    return redirect(url_for("team.index"))


@bp.route("/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
@company_admin_required
def reset_mfa(user_id: int):
    user = _member(user_id)
    return people_views.reset_second_factor(
        user, action=url_for("team.reset_mfa", user_id=user.id), back=url_for("team.index")
    )


@bp.route("/<int:user_id>/company-admin", methods=["POST"])
@company_admin_required
def company_admin(user_id: int):
    user = _member(user_id)
    form = CompanyAdminForm()
    if not form.validate_on_submit():
        abort(400)
    change_company_admin(user, form.make.data, keep_one=True)
    return redirect(url_for("team.index"))


def change_company_admin(user: User, is_admin: bool, *, keep_one: bool) -> None:
    """Give or take the role, audit it and say so; a refusal is flashed and changes nothing."""
    try:
        changed = team.set_company_admin(user, is_admin, keep_one=keep_one)
    except accounts.AccountError as error:
        uow.discard()
        flash(str(error), "error")
        return
    if changed:
        action = "company_admin_granted" if is_admin else "company_admin_removed"
        record_request(action, target_type="user", target_id=user.id)
    if is_admin:
        flash(_("%(email)s is now an administrator of their company.", email=user.email), "success")
    else:
        flash(_("%(email)s is no longer an administrator of their company.", email=user.email), "success")


@bp.route("/audit")
@company_admin_required
def audit():
    entries = team_queries.company_audit_page(current_user.company_id, page_arg(request.args))
    return render_template(
        "team/audit.html", entries=entries.items, total=entries.total, page=entries.page, pages=entries.pages
    )
