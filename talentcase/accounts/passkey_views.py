"""Passkey pages, on the two-factor blueprint: register, list and remove under My account, and sign in with one as
the second factor. The browser part is static/js/passkeys.js; without script the forms stay hidden and the codes
work as before."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from talentcase.accounts import mfa_services, passkeys
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.mfa_forms import CodeForm, PasskeyNameForm
from talentcase.accounts.mfa_models import Passkey
from talentcase.accounts.mfa_views import (
    PENDING,
    bp,
    finish_sign_in,
    mfa_limit,
    pending_key,
    pending_user,
    show_recovery_codes,
)
from talentcase.audit import services as audit
from talentcase.audit.requests import record_request
from talentcase.common.http import client_ip
from talentcase.extensions import db, limiter
from talentcase.jobs import uow

CHALLENGE = "passkey_challenge"


def _relying_party() -> tuple[str, str]:
    """The relying party id (a host name) and the origin the browser must report: configured, else this site's."""
    origin = current_app.config.get("WEBAUTHN_ORIGIN") or request.host_url.rstrip("/")
    return urlsplit(origin).hostname or "", origin


@bp.route("/account/passkeys/options", methods=["POST"])
@login_required
def passkey_register_options():
    rp_id, _origin = _relying_party()
    options, challenge = passkeys.registration_options(current_user, rp_id, mfa_services.passkeys(current_user))
    session[CHALLENGE] = challenge
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/account/passkeys", methods=["POST"])
@login_required
def passkey_register():
    form = PasskeyNameForm()
    challenge = session.pop(CHALLENGE, None)
    credential = request.form.get("credential", "")
    if not form.validate_on_submit() or not challenge or not credential:
        flash(_("The passkey was not saved. Try again."), "error")
        return redirect(url_for("mfa.overview"))
    rp_id, origin = _relying_party()
    name = form.name.data or _("Passkey")
    try:
        passkey = passkeys.register(
            current_user, credential, name=name, challenge=challenge, rp_id=rp_id, origin=origin
        )
    except passkeys.PasskeyError:
        flash(_("The passkey was not saved. Try again."), "error")
        return redirect(url_for("mfa.overview"))
    record_request("mfa_enrolled", target_type="passkey", target_id=passkey.id, method="passkey")
    if mfa_services.unused_recovery_codes(current_user) == 0:  # the first factor: recovery codes to go with it
        codes = mfa_services.issue_recovery_codes(current_user)
        return show_recovery_codes(current_user, codes, url_for("mfa.overview"))
    flash(_("Your passkey %(name)s is saved.", name=passkey.name), "success")
    return redirect(url_for("mfa.overview"))


@bp.route("/account/passkeys/<int:passkey_id>/remove", methods=["POST"])
@login_required
def passkey_remove(passkey_id: int):
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(404)
    passkeys.remove(passkey)
    record_request("mfa_removed", target_type="passkey", target_id=passkey_id, method="passkey")
    flash(_("The passkey %(name)s is removed.", name=passkey.name), "success")
    return redirect(url_for("mfa.overview"))


@bp.route("/login/two-factor/passkey/options", methods=["POST"])
def passkey_login_options():
    user = pending_user()
    keys = mfa_services.passkeys(user) if user is not None else []
    if not keys:
        return jsonify(error={"code": "not_found", "message": "No passkey to use."}), 404
    rp_id, _origin = _relying_party()
    options, challenge = passkeys.authentication_options(rp_id, keys)
    session[CHALLENGE] = challenge
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/login/two-factor/passkey", methods=["POST"])
@limiter.limit(mfa_limit, methods=["POST"], key_func=pending_key)
def passkey_login():
    user = pending_user()
    if user is None or not session.get(PENDING):
        return redirect(url_for("accounts.login"))
    challenge = session.pop(CHALLENGE, None)
    rp_id, origin = _relying_party()
    try:
        if not challenge or not EmptyForm().validate_on_submit():
            raise passkeys.PasskeyError("no challenge")
        answer = request.form.get("credential", "")
        keys = mfa_services.passkeys(user)
        passkeys.authenticate(keys, answer, challenge=challenge, rp_id=rp_id, origin=origin)
    except passkeys.PasskeyError:
        audit.record("mfa_failed", actor=user, ip=client_ip(), method="passkey")
        uow.checkpoint()
        form = CodeForm(formdata=None)
        form.form_errors.append(_("The passkey was not accepted. Try again, or enter a code."))
        return render_template("accounts/mfa_verify.html", form=form, user=user, has_passkeys=True), 422
    return redirect(finish_sign_in(user, "passkey"))
