"""Two-factor sign-in: the second-factor page after the password, enrolling an authenticator app, recovery codes,
and an administrator's reset of a person's second factor.

Between the password and the second factor a person is "half signed in": the session holds who they are (under
PENDING), but no login; no page but the second-factor pages and the language switch is reachable until they finish
or cancel. API tokens are a separate door: they are made by someone fully signed in and are not asked for a code.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from talentcase.accounts import mfa, mfa_services, people_views, services
from talentcase.accounts.mfa_forms import CodeForm, RemoveAppForm
from talentcase.accounts.models import User
from talentcase.audit import services as audit
from talentcase.audit.requests import record_request
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.confirm import ConfirmForm, to_confirmation
from talentcase.common.http import client_ip
from talentcase.common.roles import Role
from talentcase.extensions import db, limiter
from talentcase.jobs import uow

bp = Blueprint("mfa", __name__)

PENDING = "mfa_pending"
PENDING_SECONDS = 600  # the password was checked this long ago at most
MAX_FAILURES = 5  # wrong codes in one half-signed-in session before the password is asked again
HALF_SIGNED_IN_ENDPOINTS = frozenset(
    {
        "mfa.verify",
        "mfa.setup",
        "mfa.cancel",
        "mfa.passkey_login_options",
        "mfa.passkey_login",
        "accounts.set_language",
        "static",
    }
)


def second_factor_due(user: User) -> bool:
    """Whether signing in needs a second step: the user has a second factor, or must set one up."""
    required = mfa.is_required(user.role, current_app.config.get("REQUIRE_2FA_ROLES", ()))
    return required or mfa_services.has_second_factor(user)


def ask_second_factor(user: User, next_url: str) -> Response:
    """Remember the user as half signed in (no login yet) and send them to the second factor or to set one up."""
    enrol = not mfa_services.has_second_factor(user)
    session[PENDING] = {"user": user.get_id(), "next": next_url, "enrol": enrol, "at": clock.now().timestamp()}
    return redirect(url_for("mfa.setup" if enrol else "mfa.verify"))


def pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or clock.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return services.load_user(pending["user"])


@bp.before_app_request
def keep_half_signed_in_people_to_the_second_factor() -> Response | None:
    pending = session.get(PENDING)
    if not pending or request.endpoint in HALF_SIGNED_IN_ENDPOINTS:
        return None
    if request.blueprint == "api":
        return None  # no login in the session: the API answers 401 unless a token is sent
    if pending_user() is None:
        session.pop(PENDING, None)
        return redirect(url_for("accounts.login"))
    return redirect(url_for("mfa.setup" if pending.get("enrol") else "mfa.verify"))


def pending_key() -> str:
    # Per account, not per address: a new session or another address gives an attacker no fresh guesses.
    pending = session.get(PENDING) or {}
    return f"mfa|{str(pending.get('user', '')).split(':')[0]}"


def mfa_limit() -> str:
    return current_app.config.get("MFA_RATE_LIMIT", "10 per minute")


def finish_sign_in(user: User, method: str) -> str:
    """Sign the half-signed-in user in; returns where they were going."""
    pending = session.pop(PENDING, None) or {}
    login_user(user)
    audit.record("login", actor=user, ip=client_ip(), second_factor=method)
    return pending.get("next") or url_for("main.home")


def _wrong_code() -> str:
    return _("That code is not right, or it has been used already. Try the next code your app shows.")


def _refuse_code(user: User, form: CodeForm) -> Response | None:
    """Count a wrong code; after MAX_FAILURES the half-signed-in session ends and the password is asked again."""
    audit.record("mfa_failed", actor=user, ip=client_ip())
    uow.checkpoint()  # kept, though the answer is an error
    pending = session[PENDING]
    pending["failures"] = pending.get("failures", 0) + 1
    session[PENDING] = pending
    if pending["failures"] >= MAX_FAILURES:
        session.pop(PENDING, None)
        flash(_("Too many wrong codes. Sign in again."), "error")
        return redirect(url_for("accounts.login"))
    form.code.errors.append(_wrong_code())
    return None


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(mfa_limit, methods=["POST"], key_func=pending_key)
def verify():
    user = pending_user()
    if user is None or not mfa_services.has_second_factor(user):  # e.g. reset by an administrator meanwhile
        session.pop(PENDING, None)
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        method = _check_code(user, form.code.data)
        if method is not None:
            return redirect(finish_sign_in(user, method))
        refused = _refuse_code(user, form)
        if refused is not None:
            return refused
    status = 422 if form.errors else 200
    has_passkeys = bool(mfa_services.passkeys(user))
    return render_template("accounts/mfa_verify.html", form=form, user=user, has_passkeys=has_passkeys), status


def _check_code(user: User, typed: str) -> str | None:
    """How the typed code proved the second factor ("totp", "recovery_code"), or None."""
    secret_key = current_app.config["SECRET_KEY"]
    if mfa.looks_like_totp(typed):
        return "totp" if mfa_services.check_totp(user, typed, secret_key) else None
    if mfa_services.use_recovery_code(user, typed):
        left = mfa_services.unused_recovery_codes(user)
        audit.record("mfa_recovery_code_used", actor=user, ip=client_ip(), left=left)
        flash(_("You used a recovery code. %(n)d are left.", n=left), "info")
        return "recovery_code"
    return None


@bp.route("/login/two-factor/cancel", methods=["POST"])
def cancel():
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("accounts.login"))


@bp.route("/login/two-factor/setup", methods=["GET", "POST"])
@limiter.limit(mfa_limit, methods=["POST"], key_func=pending_key)
def setup():
    user = pending_user()
    if user is None or not session[PENDING].get("enrol"):
        session.pop(PENDING, None)
        return redirect(url_for("accounts.login"))
    return _enrol_app(user, action=url_for("mfa.setup"), on_done=lambda: finish_sign_in(user, "totp"))


@bp.route("/account/two-factor")
@login_required
def overview():
    user = current_user
    return render_template(
        "accounts/mfa.html",
        has_totp=mfa_services.has_totp(user),
        codes_left=mfa_services.unused_recovery_codes(user),
        passkeys=mfa_services.passkeys(user),
        is_required=mfa.is_required(user.role, current_app.config.get("REQUIRE_2FA_ROLES", ())),
        form=ConfirmForm(),
    )


@bp.route("/account/two-factor/app", methods=["GET", "POST"])
@login_required
def enrol_app():
    if mfa_services.has_totp(current_user):
        flash(_("You already have an authenticator app set up."), "info")
        return redirect(url_for("mfa.overview"))
    return _enrol_app(current_user, action=url_for("mfa.enrol_app"), on_done=lambda: url_for("mfa.overview"))


def _enrol_app(user: User, *, action: str, on_done) -> Response | str | tuple:
    """The page with the QR code and the secret, and the code that confirms it; then the recovery codes, once."""
    secret_key = current_app.config["SECRET_KEY"]
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = mfa_services.confirm_totp(user, form.code.data, secret_key)
        except mfa_services.MfaError as error:
            form.code.errors.append(str(error))
        else:
            audit.record("mfa_enrolled", actor=user, ip=client_ip(), method="totp")
            return show_recovery_codes(user, codes, on_done())
    secret = mfa_services.begin_totp(user, secret_key)
    uri = mfa.otpauth_uri(secret, user.email)
    qr = mfa.qr_svg(uri, _("QR code for your authenticator app"))
    page = render_template("accounts/mfa_app.html", form=form, qr=qr, secret=secret, action=action)
    return page, (422 if form.errors else 200)


def show_recovery_codes(user: User, codes: list[str], continue_url: str) -> str:
    # Rendered in the answer to the POST, never kept: the page is the only time the codes exist in clear.
    return render_template(
        "accounts/mfa_recovery_codes.html",
        codes=codes,
        text=mfa.recovery_codes_text(
            codes,
            _("TalentCase recovery codes for %(email)s", email=user.email),
            _("Each code works once, instead of a code from your authenticator app."),
        ),
        continue_url=continue_url,
    )


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    if not mfa_services.has_second_factor(current_user):
        abort(404)
    codes = mfa_services.issue_recovery_codes(current_user)
    record_request("mfa_recovery_codes_issued", target_type="user", target_id=current_user.id)
    return show_recovery_codes(current_user, codes, url_for("mfa.overview"))


@bp.route("/account/two-factor/app/remove", methods=["GET", "POST"])
@login_required
def remove_app():
    if not mfa_services.has_totp(current_user):
        return redirect(url_for("mfa.overview"))
    form = RemoveAppForm()
    if request.method == "POST" and not form.is_confirmed:
        return to_confirmation()
    if form.validate_on_submit():
        # A code, not the session alone: a computer left signed in must not be enough to take the factor away.
        if _check_code(current_user, form.code.data) is not None:
            mfa_services.remove_totp(current_user)
            record_request("mfa_removed", target_type="user", target_id=current_user.id, method="totp")
            flash(_("Your authenticator app is removed."), "success")
            return redirect(url_for("mfa.overview"))
        record_request("mfa_failed", target_type="user", target_id=current_user.id, purpose="remove")
        uow.checkpoint()
        form.code.errors.append(_wrong_code())
    is_required = mfa.is_required(current_user.role, current_app.config.get("REQUIRE_2FA_ROLES", ()))
    page = render_template("accounts/mfa_confirm_remove.html", form=form, is_required=is_required)
    return page, (422 if form.errors else 200)


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def reset(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return people_views.reset_second_factor(
        user, action=url_for("mfa.reset", user_id=user.id), back=url_for("admin.users")
    )
