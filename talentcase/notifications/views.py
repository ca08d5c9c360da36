"""In-app notices: the bell's unread count, the list, and marking notices as read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from talentcase.accounts.forms import EmptyForm
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.notifications.messages import notice_text
from talentcase.notifications.models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

PER_PAGE = 25


@bp.app_context_processor
def unread_count() -> dict:
    """The bell's unread count: one COUNT query, only for a signed-in user (the expert's pages pay nothing)."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    try:
        count = db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == current_user.id, Notification.read_at.is_(None)
            )
        )
    except SQLAlchemyError:  # the bell must never be what breaks a page (an error page least of all)
        uow.rollback()
        return {}
    return {"unread_notifications": count or 0}


@bp.route("")
@login_required
def index():
    try:
        page = max(1, min(int(request.args.get("page", 1)), 100_000))
    except ValueError:
        page = 1
    mine = Notification.user_id == current_user.id
    total = db.session.scalar(select(func.count(Notification.id)).where(mine)) or 0
    notices = db.session.scalars(
        select(Notification)
        .where(mine)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "notifications/index.html",
        # Each notice in the reader's language of today, whichever they read when it was written.
        notices=[(notice, *notice_text(notice)) for notice in notices],
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        form=EmptyForm(),
    )


@bp.route("/<int:notice_id>/read", methods=["POST"])
@login_required
def mark_read(notice_id: int):
    notice = db.session.get(Notification, notice_id)
    # Someone else's notice is not there at all for this user.
    if notice is None or notice.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(404)
    if notice.read_at is None:
        notice.read_at = clock.now()
    return redirect(_back())


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    marked = db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    ).rowcount
    flash(_("%(n)d notice(s) marked as read.", n=marked), "success")
    return redirect(url_for("notifications.index"))


def _back() -> str:
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    return url_for("notifications.index", page=page) if page > 1 else url_for("notifications.index")
