"""Forgot password and invitations: the pages behind the links that let a person set their own password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from talentcase.accounts import recovery
from talentcase.accounts.forms import ForgotPasswordForm, SetPasswordForm
from talentcase.accounts.services import AccountError
from talentcase.accounts.views import bp
from talentcase.audit import services as audit
from talentcase.common.http import client_ip
from talentcase.extensions import limiter
from talentcase.jobs import uow


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _reset_key() -> str:
    # Per address and account: a stranger elsewhere cannot use up someone's resets.
    return f"reset|{client_ip()}|{request.form.get('email', '').strip().lower()[:254]}"


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_key)
@limiter.limit("30 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200
    user = recovery.request_reset(form.email.data)
    # The entry says whether an account was found; the page never does (nobody learns who has an account).
    audit.record(
        "password_reset_requested", actor=user, actor_label=form.email.data[:254], ip=client_ip(), found=bool(user)
    )
    return render_template("accounts/forgot_password.html", form=form, sent_to=form.email.data.strip())


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(token, recovery.RESET)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(token, recovery.INVITATION)


def _set_password_page(token: str, purpose: str):
    user = recovery.user_for_link(token, purpose)
    if user is None:
        return render_template("accounts/link_expired.html", purpose=purpose), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.set_password_by_link(user, form.new_password.data)
        except AccountError as error:
            uow.discard()
            form.new_password.errors.append(str(error))
        else:
            action = "password_reset_completed" if purpose == recovery.RESET else "invitation_accepted"
            audit.record(action, actor=user, ip=client_ip(), target_type="user", target_id=user.id)
            flash(_("Your password is set. Sign in with it now."), "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.errors else 200
    return render_template("accounts/set_password.html", form=form, user=user, purpose=purpose), status
