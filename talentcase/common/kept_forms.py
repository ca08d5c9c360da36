"""Forms filled from what was typed before a session ended: when a page's request carries such fields (g.kept_formdata,
set by accounts.kept_views), the page's forms show them instead of the stored values. Never a submission: the request
stays a GET, so `validate_on_submit()` is false and nothing is saved until the person sends the form again."""

from __future__ import annotations

from flask import g, has_request_context
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict


def kept_formdata() -> MultiDict | None:
    """The fields kept for this page, or None."""
    return g.get("kept_formdata") if has_request_context() else None


def is_refilling() -> bool:
    """Whether this page shows kept fields: a view then leaves its forms' stored values alone."""
    return kept_formdata() is not None


def install() -> None:
    """Have every FlaskForm read the kept fields when the page has them and the form holds one of them."""
    original = FlaskForm.Meta.wrap_formdata
    if getattr(original, "reads_kept_forms", False):
        return  # once per process, however many apps are made (the tests make many)

    def wrap_formdata(self, form, formdata):
        kept = kept_formdata()
        if kept is not None and formdata is _Auto and any(field.name in kept for field in form):
            return kept
        return original(self, form, formdata)

    wrap_formdata.reads_kept_forms = True
    FlaskForm.Meta.wrap_formdata = wrap_formdata
