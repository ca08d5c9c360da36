"""A case's conversation for HR and officers: the page, a new message, the answer to the open question; and the
open question with its answer form for the case page (a context processor, so that cases import nothing of
messages)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentcase.audit.requests import record_request
from talentcase.cases.errors import CaseActionError
from talentcase.cases.models import Case
from talentcase.common.auth import roles_required
from talentcase.common.roles import CASE_ROLES
from talentcase.common.security import no_store
from talentcase.common.tenancy import get_visible_or_404
from talentcase.jobs import uow
from talentcase.messages import services
from talentcase.messages.forms import AnswerForm, MessageForm
from talentcase.messages.queries import author_name, conversation, open_question
from talentcase.messages.services import SIDE_NAMES, MessageError

bp = Blueprint("messages", __name__, url_prefix="/cases")
bp.after_request(no_store)


def place_error(form, error: MessageError) -> None:
    """A refusal goes to the field it names, else to the whole form."""
    field = getattr(form, error.field or "", None)
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def blank_answer(case: Case, side: str) -> AnswerForm:
    """The answer form, with "resume" ticked for the side the question was asked of."""
    question = open_question(case)
    form = AnswerForm(formdata=None, prefix="answer", data={"resume": bool(question and question.is_asked_of(side))})
    form.set_kinds(services.attachment_kinds(case, side))
    return form


def blank_message(case: Case, side: str, form: MessageForm | None = None) -> MessageForm:
    """The new-message form (or the posted one again), with whom this side may write to and the kinds of files."""
    form = form or MessageForm(formdata=None, prefix="message")
    form.set_addressees([(to, str(SIDE_NAMES[to])) for to in services.addressees(side)])
    form.set_kinds(services.attachment_kinds(case, side))
    return form


@bp.app_context_processor
def _case_page_helpers() -> dict:
    def my_side() -> str | None:
        return services.side_of(getattr(current_user, "role", None))

    def answer_form_for(case: Case) -> AnswerForm:
        return blank_answer(case, my_side())

    return {
        "open_question": open_question,
        "answer_form_for": answer_form_for,
        "message_side": my_side,
        "side_names": SIDE_NAMES,
    }


def _load_case(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id, current_user)


def _page(case: Case, *, message_form: MessageForm | None = None, answer_form: AnswerForm | None = None):
    side = services.side_of(current_user.role)
    if answer_form is not None:
        answer_form.set_kinds(services.attachment_kinds(case, side))
    return render_template(
        "messages/index.html",
        case=case,
        side=side,
        messages=conversation(case, side),
        question=open_question(case),
        message_form=blank_message(case, side, message_form),
        answer_form=answer_form or blank_answer(case, side),
        author_name=author_name,
        file_url=lambda document: url_for("documents.download", case_id=case.id, document_id=document.id),
    )


@bp.route("/<int:case_id>/messages")
@roles_required(*CASE_ROLES)
def index(case_id: int):
    return _page(_load_case(case_id))


@bp.route("/<int:case_id>/messages", methods=["POST"])
@roles_required(*CASE_ROLES)
def post(case_id: int):
    case = _load_case(case_id)
    form = MessageForm(prefix="message")
    status = 422
    if form.validate_on_submit():
        try:
            message = services.post_message(
                case,
                side=services.side_of(current_user.role),
                to=form.to.data or "",
                body=form.body.data or "",
                author=current_user._get_current_object(),
                attachments=form.attachments(),
                kind=form.kind.data or services.DEFAULT_KIND,
            )
        except MessageError as error:
            uow.discard()
            status = error.status
            place_error(form, error)
        else:
            record_request("case_message_posted", target_type="case", target_id=case.id, message_id=message.id)
            flash(_("Your message is sent."), "success")
            return redirect(url_for("messages.index", case_id=case.id) + f"#message-{message.id}")
    return _page(_load_case(case_id), message_form=form), status


@bp.route("/<int:case_id>/messages/answer", methods=["POST"])
@roles_required(*CASE_ROLES)
def answer(case_id: int):
    case = _load_case(case_id)
    form = AnswerForm(prefix="answer")
    status = 422
    if form.validate_on_submit():
        try:
            services.answer_question(
                case,
                role=current_user.role,
                body=form.body.data or "",
                resume=bool(form.resume.data),
                author=current_user._get_current_object(),
                attachments=form.attachments(),
                kind=form.kind.data or services.DEFAULT_KIND,
            )
        except MessageError as error:
            uow.discard()
            status = error.status
            place_error(form, error)
        except CaseActionError as error:  # the answer is not kept either: one step, all or nothing
            uow.discard()
            status = error.status
            form.resume.errors = list(form.resume.errors) + [error.message]
        else:
            record_request("case_question_answered", target_type="case", target_id=case.id, resumed=form.resume.data)
            flash(
                _("Your answer is sent; the clocks run again.") if form.resume.data else _("Your answer is sent."),
                "success",
            )
            return redirect(url_for("cases.show", case_id=case.id))
    return _page(_load_case(case_id), answer_form=form), status
