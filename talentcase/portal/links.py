"""HR's buttons that send, re-send and revoke the expert's link, under the case's address (endpoints portal.links.*).

They live with the portal they control; the token itself goes only to the expert's email, never to a page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.audit.requests import record_request
from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.common.auth import roles_required
from talentcase.common.roles import CASE_ROLES, Role, can_manage_expert_link
from talentcase.common.security import no_store
from talentcase.common.tenancy import get_visible_or_404
from talentcase.portal import queries, services
from talentcase.portal.forms import ButtonForm

links_bp = Blueprint("links", __name__, url_prefix="/cases/<int:case_id>/expert-link")
links_bp.after_request(no_store)  # case pages are never kept: Back shows the case as it is now


@links_bp.app_template_global()
def expert_link_status(case: Case) -> dict:
    """What the HR case page shows about the expert's link, and which buttons the signed-in user gets."""
    can_manage = can_manage_expert_link(current_user, case)
    return {
        "active": services.active_link(case),
        "latest": queries.latest_link(case),
        "can_manage": can_manage,
        "can_invite": can_manage and case.status not in workflow.FINAL_STATES,
    }


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


@links_bp.route("")
@roles_required(*CASE_ROLES)
def show(case_id: int):
    return render_template("portal/hr_link.html", case=_load_case(case_id))


def _send(case_id: int, audit_action: str, *, is_resend: bool):
    case = _load_case(case_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
    elif case.status in workflow.FINAL_STATES:
        flash(_("The case is closed, so no new link can be sent."), "error")
    else:
        link, _token = services.invite(case, by=current_user)  # the token goes only to the expert's email
        record_request(audit_action, target_type="case", target_id=case.id, sent_to=link.sent_to, link_id=link.id)
        if is_resend:
            flash(
                _("A new link was emailed to %(email)s. Earlier links no longer work.", email=link.sent_to), "success"
            )
        else:
            flash(_("A private link was emailed to %(email)s.", email=link.sent_to), "success")
    return redirect(url_for("cases.show", case_id=case_id) + "#expert-link")


@links_bp.route("/invite", methods=["POST"])
@roles_required(Role.HR)
def invite(case_id: int):
    return _send(case_id, "expert_link_sent", is_resend=False)


@links_bp.route("/resend", methods=["POST"])
@roles_required(Role.HR)
def resend(case_id: int):
    return _send(case_id, "expert_link_resent", is_resend=True)


@links_bp.route("/revoke", methods=["POST"])
@roles_required(Role.HR)
def revoke(case_id: int):
    case = _load_case(case_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        flash(_("Your form expired. Reload the page and try again."), "error")
    else:
        count = services.revoke_links(case)
        record_request("expert_link_revoked", target_type="case", target_id=case.id, count=count)
        flash(_("The expert's link no longer works."), "success")
    return redirect(url_for("cases.show", case_id=case.id) + "#expert-link")
