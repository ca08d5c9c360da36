"""The expert's messages in the portal (on the portal blueprint): writing to their employer or the park, and
answering the question asked of them, which can record provide_info in the same step."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from talentcase.audit.requests import record_request
from talentcase.cases.errors import CaseActionError
from talentcase.common.roles import Role
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.jobs import uow
from talentcase.messages import services
from talentcase.messages.forms import AnswerForm, MessageForm
from talentcase.messages.models import EXPERT
from talentcase.messages.queries import open_question
from talentcase.messages.views import place_error
from talentcase.portal.views import bp, render_home, with_link


@bp.route("/portal/<token>/messages", methods=["POST"])
@with_link
def message(link: ExpertLink, token: str):
    case = link.case
    form = MessageForm(prefix="message")
    status = 422
    if form.validate_on_submit():
        try:
            services.post_message(
                case,
                side=EXPERT,
                to=form.to.data or "",
                body=form.body.data or "",
                author_label=EXPERT,
                attachments=form.attachments(),
                kind=form.kind.data or services.DEFAULT_KIND,
            )
        except services.MessageError as error:
            uow.discard()
            status = error.status
            place_error(form, error)
        else:
            record_request("expert_message_posted", actor_label=EXPERT, target_type="case", target_id=case.id)
            flash(_("Thank you. Your message is sent."), "success")
            return redirect(url_for("portal.home", token=token) + "#conversation")
    return render_home(db.session.get(ExpertLink, link.id), token, message_form=form), status


@bp.route("/portal/<token>/answer", methods=["POST"])
@with_link
def answer(link: ExpertLink, token: str):
    case = link.case
    question = open_question(case)
    if question is None or not question.is_asked_of(EXPERT):
        flash(_("Nothing is being asked of you right now."), "info")
        return redirect(url_for("portal.home", token=token))
    form = AnswerForm(prefix="answer")
    status = 422
    if form.validate_on_submit():
        try:
            services.answer_question(
                case,
                role=Role.EXPERT,
                body=form.body.data or "",
                resume=bool(form.resume.data),
                author_label=EXPERT,
                attachments=form.attachments(),
                kind=form.kind.data or services.DEFAULT_KIND,
            )
        except services.MessageError as error:
            uow.discard()
            status = error.status
            place_error(form, error)
        except CaseActionError as error:
            uow.discard()
            status = error.status
            form.resume.errors = list(form.resume.errors) + [error.message]
        else:
            record_request("expert_answered", actor_label=EXPERT, target_type="case", target_id=case.id)
            flash(_("Thank you. Your employer and the park can now see your answer."), "success")
            return redirect(url_for("portal.home", token=token))
    return render_home(db.session.get(ExpertLink, link.id), token, answer_form=form), status
