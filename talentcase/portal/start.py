"""The portal's start page, where an expert lands without a working link: "Get a fresh link" by email.

The answer is the same whether or not the address is known (no one learns who has a case here), and the form is
rate-limited; a fresh link goes only to the expert's own address, by mail, never to the page."""

from __future__ import annotations

from flask import Blueprint, render_template

from talentcase.audit.requests import record_request
from talentcase.extensions import limiter
from talentcase.notifications import expert_mail
from talentcase.portal.forms import FreshLinkForm

start_bp = Blueprint("fresh", __name__, url_prefix="/portal")


@start_bp.route("/", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def start():
    form = FreshLinkForm()
    if not form.validate_on_submit():
        return render_template("portal/start.html", form=form), 422 if form.is_submitted() else 200
    sent = expert_mail.queue_fresh_links(form.email.data)
    record_request("expert_fresh_link_asked", actor_label="expert", sent=sent)
    return render_template("portal/start.html", form=None, asked_for=form.email.data)
