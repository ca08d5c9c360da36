"""The "Are you sure?" step of destructive actions: a confirmation page whose form alone sends `confirm`."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField


class ConfirmForm(FlaskForm):
    """The form of a confirmation page; only that page sends `confirm`, so a POST without it was never confirmed."""

    CONFIRMED = "yes"  # the value the page's template writes into the hidden field
    # No default: WTForms keeps a field's default when the post leaves the field out, which would confirm it.
    confirm = HiddenField()

    @property
    def is_confirmed(self) -> bool:
        """Whether the post came from the confirmation page's "Yes" button."""
        return self.confirm.data == self.CONFIRMED


def to_confirmation() -> Response:
    """Send a POST that did not come from the confirmation page to that page (the same address, by GET).

    Destructive actions act only on the page's "Yes": an old bookmarked form or a stray POST changes nothing.
    """
    return redirect(url_for(request.endpoint, **request.view_args))


def unconfirmed(form: ConfirmForm) -> Response | None:
    """For a POST to a destructive action: 400 when the form is not valid (CSRF), the question when it was not sent
    from the confirmation page, None when it may act."""
    if not form.validate_on_submit():
        abort(400)
    return None if form.is_confirmed else to_confirmation()
