"""Administration pages that read: the audit log (append-only, filterable) and the mail outbox, where a failed mail
can be sent again."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from talentcase.accounts.forms import EmptyForm
from talentcase.admin import queries
from talentcase.admin.views import bp
from talentcase.audit.requests import record_request
from talentcase.common.auth import roles_required
from talentcase.common.dates import implausible_date_message, is_plausible_date
from talentcase.common.paging import page_arg
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.notifications import services as mail
from talentcase.notifications.models import OutboundMail

MAIL_STATUSES = ("pending", "sent", "logged", "failed")
# An expert's private link opens their case: the outbox shows that a link was sent, never the link itself.
PRIVATE_LINK = re.compile(r"(/portal/)[A-Za-z0-9_\-]+")


def _day(name: str, errors: dict[str, str]) -> date | None:
    """The date filter `name`, or None when it is empty; a date that cannot be used goes into `errors` instead."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Use a real date in the form YYYY-MM-DD.")
        return None
    # Near the ends of the calendar the Hong Kong midnight and the day after do not exist.
    if not is_plausible_date(day):
        errors[name] = str(implausible_date_message())
        return None
    return day


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit():
    action = request.args.get("action", "").strip()[:60]
    actor = request.args.get("actor", "").strip()[:254]
    errors: dict[str, str] = {}
    since, until = _day("from", errors), _day("to", errors)
    entries = queries.audit_page(page_arg(request.args), action=action, actor=actor, since=since, until=until)
    filters = {
        "action": action,
        "actor": actor,
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    return render_template(
        "admin/audit.html",
        entries=entries.items,
        total=entries.total,
        page=entries.page,
        pages=entries.pages,
        actions=queries.audit_actions(),
        # A date in error stays in its box as typed, to be corrected; the pages' links carry only the filters used.
        filters={**filters, **{name: request.args.get(name, "").strip()[:40] for name in errors}},
        errors=errors,
        args={key: value for key, value in filters.items() if value},
    )


@bp.route("/outbox")
@roles_required(Role.ADMIN)
def outbox():
    status = request.args.get("status", "")
    if status not in MAIL_STATUSES:
        status = ""
    mails = queries.outbox_page(page_arg(request.args), status=status)
    return render_template(
        "admin/outbox.html",
        mails=mails.items,
        bodies={mail.id: PRIVATE_LINK.sub(r"\1…", mail.body_text or "") for mail in mails.items},
        total=mails.total,
        page=mails.page,
        pages=mails.pages,
        status=status,
        statuses=MAIL_STATUSES,
        args={"status": status} if status else {},
        action_form=EmptyForm(),
    )


@bp.route("/outbox/<int:mail_id>/resend", methods=["POST"])
@roles_required(Role.ADMIN)
def resend_mail(mail_id: int):
    row = db.session.get(OutboundMail, mail_id)
    if row is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if mail.send_again(row):
        record_request("mail_resent", target_type="mail", target_id=row.id)
        flash(_("The email to %(address)s will be sent again.", address=row.to_address), "success")
    elif row.status in mail.DONE:
        flash(_("The email to %(address)s was sent already.", address=row.to_address))
    else:
        flash(_("The email to %(address)s is already waiting to be sent.", address=row.to_address))
    status = request.args.get("status", "")
    back = {"status": status if status in MAIL_STATUSES else None, "page": request.args.get("page", type=int)}
    return redirect(url_for("admin.outbox", **{key: value for key, value in back.items() if value}))
