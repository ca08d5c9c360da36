"""What the park's administrator and a company administrator both do to a person, written once: send the
invitation again, and reset the second factor after a confirmation page. Each caller has checked who may act on whom
and says where to go back to."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from talentcase.accounts import mfa, mfa_services, recovery
from talentcase.accounts import services as accounts
from talentcase.accounts.forms import EmptyForm
from talentcase.accounts.models import User
from talentcase.audit.requests import record_request
from talentcase.common.confirm import ConfirmForm, unconfirmed
from talentcase.jobs import uow


def resend_invitation(user: User, back: str) -> Response:
    """Send the person's invitation again (the earlier link stops working), then go back."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        recovery.invite(user)
    except accounts.AccountError as error:
        uow.discard()
        flash(str(error), "error")
    else:
        record_request("invitation_sent", target_type="user", target_id=user.id, again=True)
        flash(_("The invitation is sent to %(email)s again; the earlier link stops working.", email=user.email))
    return redirect(back)


def reset_second_factor(user: User, *, action: str, back: str) -> Response | str:
    """The confirmation page (GET), or the reset once confirmed (POST), audited; then back."""
    form = ConfirmForm()
    if request.method == "POST":
        if (answer := unconfirmed(form)) is not None:
            return answer
        removed = mfa_services.reset_second_factor(user)
        record_request("mfa_reset", target_type="user", target_id=user.id, removed=removed)
        flash(_("The second factor of %(email)s is reset.", email=user.email), "success")
        return redirect(back)
    return render_template(
        "accounts/confirm_reset_mfa.html",
        form=form,
        user=user,
        action=action,
        back=back,
        has_totp=mfa_services.has_totp(user),
        passkeys=mfa_services.passkeys(user),
        is_required=mfa.is_required(user.role, current_app.config.get("REQUIRE_2FA_ROLES", ())),
    )
