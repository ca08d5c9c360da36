"""Administration pages: companies and users."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from talentcase.accounts import people_views, recovery
from talentcase.accounts import services as accounts
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import Company, User
from talentcase.admin import queries
from talentcase.admin.forms import CompanyAdminForm, CompanyForm, ResetPasswordForm, UserForm
from talentcase.admin.team_views import change_company_admin
from talentcase.audit.requests import record_request
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.confirm import ConfirmForm, to_confirmation, unconfirmed
from talentcase.common.forms import choice_list
from talentcase.common.i18n import day_text
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.jobs import uow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return redirect(url_for("admin.companies"))


# The form field that shows a refusal from the accounts services, where its name differs from the service's.
FORM_FIELDS = {"company": "company_id"}


def _show_refusal(form: FlaskForm, error: accounts.AccountError) -> None:
    """Put the refusal beside the field it is about, or at the top of the form when it is about no field."""
    name = FORM_FIELDS.get(error.field, error.field)
    if name and name in form:
        form[name].errors.append(str(error))
    else:
        form.form_errors.append(str(error))


def _warn_of_expired_br(company: Company) -> None:
    if accounts.has_expired_br(company, clock.today()):
        flash(
            _(
                "The business registration of %(name)s expired on %(day)s. Ask the company for a current one.",
                name=company.name,
                day=day_text(company.br_expiry_on),
            ),
            "warning",
        )


@bp.route("/companies", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def companies():
    form = CompanyForm()
    if form.validate_on_submit():
        try:
            company = accounts.create_company(**form.particulars())
        except accounts.AccountError as error:
            uow.discard()
            _show_refusal(form, error)
        else:
            record_request("company_created", target_type="company", target_id=company.id)
            flash(_("Company %(name)s added.", name=company.name), "success")
            _warn_of_expired_br(company)
            return redirect(url_for("admin.companies"))
    status = 422 if form.errors else 200
    return render_template("admin/companies.html", form=form, companies=queries.companies()), status


def _target_company(company_id: int) -> Company:
    company = db.session.get(Company, company_id)
    if company is None:
        abort(404)
    return company


@bp.route("/companies/<int:company_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_company(company_id: int):
    company = _target_company(company_id)
    form = CompanyForm(obj=company)
    if form.validate_on_submit():
        try:
            changed = accounts.update_company(company, **form.particulars())
        except accounts.AccountError as error:
            uow.discard()
            _show_refusal(form, error)
        else:
            record_request("company_updated", target_type="company", target_id=company.id, changed=changed)
            flash(_("Company %(name)s saved.", name=company.name), "success")
            _warn_of_expired_br(company)
            return redirect(url_for("admin.companies"))
    status = 422 if form.errors else 200
    return render_template("admin/company.html", form=form, company=company, action_form=EmptyForm()), status


@bp.route("/companies/<int:company_id>/deactivate", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def deactivate_company(company_id: int):
    company = _target_company(company_id)
    form = ConfirmForm()
    if request.method == "POST" and (answer := unconfirmed(form)) is not None:
        return answer
    if request.method == "GET" and company.is_active:
        return render_template(
            "admin/confirm_deactivate_company.html",
            form=form,
            company=company,
            hr_users=sorted(company.users, key=lambda user: user.email),
            open_cases=queries.open_case_count(company),
        )
    # A second confirmation, or the question's address once the company is deactivated, changes and records nothing.
    if company.is_active:
        signed_out = accounts.deactivate_company(company)
        record_request("company_deactivated", target_type="company", target_id=company.id, hr_users=signed_out)
    flash(
        _(
            "%(name)s is deactivated: its HR users are signed out and can no longer sign in or use API tokens.",
            name=company.name,
        ),
        "success",
    )
    return redirect(url_for("admin.edit_company", company_id=company.id))


@bp.route("/companies/<int:company_id>/reactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def reactivate_company(company_id: int):
    company = _target_company(company_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not company.is_active:
        accounts.reactivate_company(company)
        record_request("company_activated", target_type="company", target_id=company.id)
    flash(_("%(name)s is active again.", name=company.name), "success")
    return redirect(url_for("admin.edit_company", company_id=company.id))


def _user_form() -> UserForm:
    form = UserForm()
    # A deactivated company gets no new users (the service refuses one all the same).
    names = queries.active_company_names()
    form.company_id.choices = choice_list([(0, _("— none —"))] + [(row.id, row.name) for row in names])
    return form


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users():
    form = _user_form()
    if form.validate_on_submit():
        company = db.session.get(Company, form.company_id.data) if form.company_id.data else None
        try:
            user = accounts.create_user(
                form.email.data,
                role=form.role.data,
                name=form.name.data or "",  # None when the post leaves the optional field out
                company=company,
            )
        except accounts.AccountError as error:
            uow.discard()
            _show_refusal(form, error)
        else:
            record_request("user_created", target_type="user", target_id=user.id, role=user.role)
            recovery.invite(user)  # the person chooses their own password: nobody else ever knows it
            record_request("invitation_sent", target_type="user", target_id=user.id)
            flash(_("User %(email)s added and invited by email to set a password.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return (
        render_template("admin/users.html", form=form, users=queries.users(), action_form=EmptyForm()),
        status,
    )


def _target_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _set_enabled(user: User, is_enabled: bool) -> None:
    accounts.set_enabled(user, is_enabled)
    record_request("user_activated" if is_enabled else "user_deactivated", target_type="user", target_id=user.id)


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def toggle_active(user_id: int):
    user = _target_user(user_id)
    form = ConfirmForm()
    if request.method == "POST" and not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    if request.method == "GET":
        if user.is_enabled:
            return render_template(
                "admin/confirm_deactivate_user.html", form=form, user=user, tokens=queries.usable_tokens(user)
            )
    elif user.is_enabled and not form.is_confirmed:
        return to_confirmation()
    elif user.is_enabled == form.is_confirmed:
        # The confirmation page deactivates and the list's one-click button activates, so that a confirmed
        # deactivation sent twice never turns the account back on.
        _set_enabled(user, not form.is_confirmed)
    state = _("active") if user.is_enabled else _("deactivated")
    flash(_("%(email)s is now %(state)s.", email=user.email, state=state))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required(Role.ADMIN)
def invite_user(user_id: int):
    return people_views.resend_invitation(_target_user(user_id), url_for("admin.users"))


@bp.route("/users/<int:user_id>/company-admin", methods=["POST"])
@roles_required(Role.ADMIN)
def company_admin(user_id: int):
    user = _target_user(user_id)
    form = CompanyAdminForm()
    if not form.validate_on_submit():
        abort(400)
    # The park's administrator is the backstop who may take the role from a company's last administrator.
    change_company_admin(user, form.make.data, keep_one=False)
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def reset_password(user_id: int):
    user = _target_user(user_id)
    form = ResetPasswordForm()
    if request.method == "POST" and not form.is_confirmed:
        return to_confirmation()  # a password typed into an old form is dropped: never carried in a URL
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except accounts.AccountError as error:
            uow.discard()
            _show_refusal(form, error)
        else:
            record_request("password_reset", target_type="user", target_id=user.id)
            flash(_("The password of %(email)s is reset.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/confirm_reset_password.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/tokens/revoke", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def revoke_tokens(user_id: int):
    user = _target_user(user_id)
    form = ConfirmForm()
    if request.method == "POST" and (answer := unconfirmed(form)) is not None:
        return answer
    tokens = queries.usable_tokens(user)
    if request.method == "GET":
        return render_template("admin/confirm_revoke_tokens.html", form=form, user=user, tokens=tokens)
    for token in tokens:
        accounts.revoke_token(token)
    record_request("tokens_revoked", target_type="user", target_id=user.id, count=len(tokens))
    flash(_("%(count)d token(s) of %(email)s revoked.", count=len(tokens), email=user.email), "success")
    return redirect(url_for("admin.users"))
