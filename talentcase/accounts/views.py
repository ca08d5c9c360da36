"""Sign-in, sign-out, the account page and API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from talentcase.accounts import mfa_views, queries, services, sessions
from talentcase.accounts.forms import ChangePasswordForm, EmptyForm, LoginForm, PreferencesForm, TokenForm
from talentcase.accounts.models import ApiToken
from talentcase.audit import services as audit
from talentcase.audit.requests import record_request
from talentcase.common.http import client_ip, safe_next
from talentcase.common.i18n import normalise_language
from talentcase.common.security import no_store
from talentcase.extensions import db, limiter
from talentcase.jobs import uow

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    # Per client address: the real one behind a configured proxy (TALENTCASE_PROXY_COUNT), not the balancer's.
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _login_key() -> str:
    # Per address and account: one office behind a shared NAT does not lock its colleagues out.
    return f"{client_ip()}|{request.form.get('email', '').strip().lower()[:254]}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_key)
@limiter.limit(_address_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result.ok:
            user = result.user
            language = normalise_language(session.get("lang"))
            session.clear()  # a fresh session at sign-in (no fixation)
            if language:
                session["lang"] = language
            services.keep_sign_in_language(user, language)
            if mfa_views.second_factor_due(user):  # half signed in: the second factor (or setting one up) first
                return mfa_views.ask_second_factor(user, safe_next(url_for("main.home")))
            login_user(user)
            audit.record("login", actor=user, ip=client_ip())
            return redirect(safe_next(url_for("main.home")))
        audit.record(
            "login_failed", actor=result.user, actor_label=form.email.data[:254], ip=client_ip(), reason=result.reason
        )
        if result.reason == "inactive" and result.user.is_enabled:  # the user's company is deactivated
            form.form_errors.append(
                _(
                    "%(company)s is deactivated in TalentCase. Ask the park's administrator.",
                    company=result.user.company.name,
                )
            )
        elif result.reason == "inactive":
            form.form_errors.append(_("This account has been deactivated. Ask your administrator."))
        else:
            # One answer for an unknown email, a wrong password and a locked account (only the audit entry tells them
            # apart), so that nobody learns which addresses have accounts by trying them.
            form.form_errors.append(
                _(
                    "The email address or password is not right, or the account is locked for a few minutes after "
                    "repeated failed sign-ins."
                )
            )
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        record_request("logout")
        # Only this device: its session row ends, so a copy of the cookie (a shared computer) signs no one in. The
        # other devices stay signed in; "My account" lists them, with "Sign out all other devices".
        device = g.get("device_session")
        if device is not None:
            sessions.end_session(device)
        # The language the user chose (on this browser, else in their preferences) stays for the sign-in page;
        # with no choice at all, the browser's language decides then.
        language = normalise_language(session.get("lang")) or normalise_language(current_user.preferred_language)
        logout_user()
        session.clear()
        if language:
            session["lang"] = language
        flash(
            _("You have signed out on this device. Your other devices stay signed in until they sign out or time out."),
            "info",
        )
    return redirect(url_for("accounts.login"))


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    language = normalise_language(code)
    if language is None:
        abort(404)
    if request.method == "POST" and current_user.is_authenticated:
        # Picked in the signed-in header (a form, so CSRF-checked): a choice that the person's notices and mail
        # follow from now on.
        services.choose_language(current_user, language)
        session.pop("lang", None)  # the preference decides now, as after saving it on the account page
    else:
        # A link (signed out, the expert's page) or any GET: this browser's session only. A GET never changes what
        # is stored, so a link or an image on another site cannot change someone's language for their mail.
        session["lang"] = language
    return redirect(safe_next(url_for("main.home")))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    prefs = _preferences_form()
    if prefs.validate_on_submit():
        try:
            services.rename_user(current_user, prefs.name.data or "")
        except services.AccountError as error:
            uow.discard()
            prefs.name.errors.append(str(error))
            return _render_account(prefs=prefs), 422
        services.choose_language(current_user, prefs.preferred_language.data or None)
        current_user.notification_mode = prefs.notification_mode.data
        current_user.phone = (prefs.phone.data or "").strip()
        session.pop("lang", None)
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("accounts.account"))
    return _render_account(prefs=prefs)


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        checked = services.authenticate(current_user.email, form.current_password.data)
        if checked.reason == "locked":  # signed in already: saying so tells nobody anything new
            form.current_password.errors.append(_("Too many wrong passwords in a row: try again in a few minutes."))
        elif not checked.ok:
            form.current_password.errors.append(_("Your current password is not right."))
        else:
            try:
                services.set_password(current_user, form.new_password.data)
            except services.AccountError as error:
                form.new_password.errors.append(str(error))
            else:
                record_request("password_changed")
                login_user(current_user._get_current_object())  # new session version: keep this one signed in
                flash(_("Your password is changed. Other sessions have been signed out."), "success")
                return redirect(url_for("accounts.account"))
        uow.checkpoint()  # the failure count is kept, though the answer is an error
    return _render_account(password_form=form), 422


def _preferences_form() -> PreferencesForm:
    form = PreferencesForm(prefix="prefs", obj=current_user)
    if form.preferred_language.data is None:
        form.preferred_language.data = ""  # not chosen: "Same as my browser" is the option selected
    return form


def _render_account(
    prefs: PreferencesForm | None = None,
    password_form: ChangePasswordForm | None = None,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
) -> str:
    return render_template(
        "accounts/account.html",
        prefs=prefs or _preferences_form(),
        password_form=password_form or ChangePasswordForm(prefix="pw"),
        token_form=token_form or TokenForm(prefix="token"),
        tokens=queries.api_tokens(current_user),
        revoke_form=EmptyForm(),
        new_token=new_token,
    )


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm(prefix="token")
    if form.validate_on_submit():
        checked = services.authenticate(current_user.email, form.password.data)
        if checked.ok:
            token, plain = services.issue_token(current_user, form.name.data)
            record_request("token_created", target_type="api_token", target_id=token.id)
            # Shown once, in the answer to this POST (no-store): only the hash is kept, never the cookie (probe F7).
            return no_store(make_response(_render_account(new_token=plain)))
        form.password.errors.append(
            _("Too many wrong passwords in a row: try again in a few minutes.")
            if checked.reason == "locked"
            else _("Your current password is not right.")
        )
        uow.checkpoint()  # the failure count is kept, though the answer is an error
    return _render_account(token_form=form), 422


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    form = EmptyForm()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id or not form.validate_on_submit():
        abort(404)
    services.revoke_token(token)
    record_request("token_revoked", target_type="api_token", target_id=token.id)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.account") + "#tokens")
