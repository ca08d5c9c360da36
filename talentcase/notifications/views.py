"""In-app notices: the bell's unread count, the list, and marking notices as read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from talentcase.accounts.forms import EmptyForm
from talentcase.common.paging import page_arg
from talentcase.jobs import uow
from talentcase.notifications import queries, services
from talentcase.notifications.messages import notice_text

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global()
def notice_href(notice) -> str:
    """Where a notice leads: the documents page for a rejected document (the company's own file for a company
    document), the conversation for a message, else the case page; nothing for a notice about no case."""
    if notice.kind == "document_rejected":
        if notice.case_id:
            return url_for("documents.index", case_id=notice.case_id)
        company_id = getattr(current_user, "company_id", None)
        return url_for("company_documents.index", company_id=company_id) if company_id else ""
    if not notice.case_id:
        return ""
    if notice.kind == "case_message":
        return url_for("messages.index", case_id=notice.case_id)
    return url_for("cases.show", case_id=notice.case_id)


@bp.app_context_processor
def unread_count() -> dict:
    """The bell's unread count: one COUNT query, only for a signed-in user (the expert's pages pay nothing)."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    try:
        count = queries.unread_count(current_user)
    except SQLAlchemyError:  # the bell must never be what breaks a page (an error page least of all)
        uow.rollback()
        return {}
    return {"unread_notifications": count}


@bp.route("")
@login_required
def index():
    chosen = queries.parse_filter(request.args)
    notices = queries.notices_page(current_user, page_arg(request.args), chosen)
    return render_template(
        "notifications/index.html",
        # Each notice in the reader's language of today, whichever they read when it was written.
        notices=[(notice, *notice_text(notice)) for notice in notices.items],
        total=notices.total,
        page=notices.page,
        pages=notices.pages,
        chosen=chosen,
        case_choices=queries.notice_cases(current_user),
        kind_labels=queries.KIND_LABELS,
        form=EmptyForm(),
    )


@bp.route("/<int:notice_id>/read", methods=["POST"])
@login_required
def mark_read(notice_id: int):
    if not EmptyForm().validate_on_submit() or not services.mark_read(current_user, notice_id):
        abort(404)
    return redirect(_back())


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    marked = services.mark_all_read(current_user)
    flash(_("%(n)d notice(s) marked as read.", n=marked), "success")
    return redirect(url_for("notifications.index"))


def _back() -> str:
    """The list as it was (its filters and page) after marking one notice read."""
    values = queries.parse_filter(request.args).args()
    page = page_arg(request.args)
    if page > 1:
        values["page"] = page
    return url_for("notifications.index", **values)
