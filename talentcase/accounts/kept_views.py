"""A form sent after its session ended (expired, signed out elsewhere, a token of an earlier session): rather than a
bare "Bad request" that loses the edit, keep what was typed, have the person sign in, and show the same page with it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict

from talentcase.accounts import kept_forms
from talentcase.common import clock
from talentcase.common import kept_forms as form_filling
from talentcase.common.errors import form_expired, wants_json

COOKIE = "tc_kept_form"
NOT_KEPT = ("/login", "/logout")  # sign-in's own form, and sign-out (nothing to keep)


def _same_site(url: str | None) -> bool:
    return bool(url) and urlsplit(url).netloc == request.host


def _page_path() -> str:
    """The page the form was on: the referring page of this site (a form may post elsewhere), else the form's path."""
    referrer = request.headers.get("Referer")
    return urlsplit(referrer).path or request.path if _same_site(referrer) else request.path


def keep_and_sign_in() -> Response | None:
    """For a browser's form sent from this site: keep its fields and send the person to sign in (or, when signed in
    already, back) to the form's page; None for anything else (an API call, a GET, another site's form)."""
    if request.method != "POST" or wants_json() or request.path in NOT_KEPT:
        return None
    # Another site's form is never kept: its fields would come back as though the person had typed them.
    if not (_same_site(request.headers.get("Origin")) or _same_site(request.headers.get("Referer"))):
        return None
    fields = kept_forms.keepable_fields(list(request.form.items(multi=True)))
    if not fields:
        return None
    signed_in = current_user.is_authenticated  # loads the user first: an ended session records whose it was
    user_id = current_user.id if signed_in else g.get("ended_user_id")
    page = _page_path()
    plain = kept_forms.keep_form(page, fields, user_id)
    response = redirect(page if signed_in else url_for("accounts.login", next=page))
    response.set_cookie(COOKIE, plain, max_age=int(kept_forms.KEPT_FOR.total_seconds()), httponly=True, samesite="Lax")
    return response


def _csrf_failed(error: CSRFError):
    return keep_and_sign_in() or form_expired(error)


def _refill() -> None:
    """On the GET of the page a kept form came from, once signed in: its fields fill the page's forms, once."""
    plain = request.cookies.get(COOKIE)
    if not plain or request.method != "GET" or not current_user.is_authenticated:
        return
    fields = kept_forms.take_kept_form(plain, request.path, current_user.id, clock.now())
    if fields is None:
        return
    g.kept_formdata = MultiDict(fields)
    g.forget_kept_form = True
    flash(_("Your session had ended; we kept what you typed. Check it and send it again."), "info")


def _forget_cookie(response: Response) -> Response:
    if g.get("forget_kept_form"):
        response.delete_cookie(COOKIE)
    return response


def init_app(app: Flask) -> None:
    """Keep forms that fail for an ended session, and fill them in again after sign-in."""
    form_filling.install()
    app.register_error_handler(CSRFError, _csrf_failed)  # after common.errors: this one decides, then falls back
    app.before_request(_refill)
    app.after_request(_forget_cookie)
