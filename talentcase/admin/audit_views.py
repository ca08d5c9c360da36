"""Administration pages that read: the audit log (append-only, filterable) and the mail outbox, where a failed mail
can be sent again."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from talentcase.accounts.forms import EmptyForm
from talentcase.admin.views import bp
from talentcase.audit.models import AuditEntry
from talentcase.audit.requests import record_request
from talentcase.common import clock
from talentcase.common.auth import roles_required
from talentcase.common.dates import implausible_date_message, is_plausible_date
from talentcase.extensions import db
from talentcase.notifications import services as mail
from talentcase.notifications.models import OutboundMail

PER_PAGE = 50
MAIL_STATUSES = ("pending", "sent", "logged", "failed")
# An expert's private link opens their case: the outbox shows that a link was sent, never the link itself.
PRIVATE_LINK = re.compile(r"(/portal/)[A-Za-z0-9_\-]+")


def _page() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), 1_000_000)
    except ValueError:
        return 1


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


def _hk_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.HONG_KONG).astimezone(clock.UTC)


def _paginate(stmt, order_by):
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(_page(), pages)
    rows = db.session.scalars(stmt.order_by(*order_by).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return rows, total, page, pages


@bp.route("/audit")
@roles_required("admin")
def audit():
    action = request.args.get("action", "").strip()[:60]
    actor = request.args.get("actor", "").strip()[:254]
    errors: dict[str, str] = {}
    since, until = _day("from", errors), _day("to", errors)
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        # The text as typed: escaped, so that "%" and "_" match themselves rather than anything.
        stmt = stmt.where(AuditEntry.actor_label.icontains(actor, autoescape=True))
    if since:
        stmt = stmt.where(AuditEntry.at >= _hk_midnight(since))
    if until:
        stmt = stmt.where(AuditEntry.at < _hk_midnight(until + timedelta(days=1)))
    entries, total, page, pages = _paginate(stmt, (AuditEntry.id.desc(),))
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    filters = {
        "action": action,
        "actor": actor,
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    return render_template(
        "admin/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        actions=actions,
        # A date in error stays in its box as typed, to be corrected; the pages' links carry only the filters used.
        filters={**filters, **{name: request.args.get(name, "").strip()[:40] for name in errors}},
        errors=errors,
        args={key: value for key, value in filters.items() if value},
    )


@bp.route("/outbox")
@roles_required("admin")
def outbox():
    status = request.args.get("status", "")
    stmt = select(OutboundMail)
    if status in MAIL_STATUSES:
        stmt = stmt.where(OutboundMail.status == status)
    else:
        status = ""
    mails, total, page, pages = _paginate(stmt, (OutboundMail.created_at.desc(), OutboundMail.id.desc()))
    return render_template(
        "admin/outbox.html",
        mails=mails,
        bodies={mail.id: PRIVATE_LINK.sub(r"\1…", mail.body_text or "") for mail in mails},
        total=total,
        page=page,
        pages=pages,
        status=status,
        statuses=MAIL_STATUSES,
        args={"status": status} if status else {},
        action_form=EmptyForm(),
    )


@bp.route("/outbox/<int:mail_id>/resend", methods=["POST"])
@roles_required("admin")
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
