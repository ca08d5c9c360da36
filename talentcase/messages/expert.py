"""The expert's part of the conversation as the portal shows it: what they may read, the forms they write with."""

from __future__ import annotations

from talentcase.cases.models import Case
from talentcase.messages import services
from talentcase.messages.forms import AnswerForm, MessageForm
from talentcase.messages.models import EXPERT
from talentcase.messages.queries import author_name, conversation, open_question


def expert_conversation(
    case: Case, *, message_form: MessageForm | None = None, answer_form: AnswerForm | None = None
) -> dict:
    """The portal's conversation context: the messages the expert may read, the question asked of them (if any)
    with its answer form ("resume" ticked), and the form to write to their employer or the park."""
    question = open_question(case)
    kinds = services.attachment_kinds(case, EXPERT)
    message_form = message_form or MessageForm(formdata=None, prefix="message")
    message_form.set_addressees([(to, str(services.SIDE_NAMES[to])) for to in services.addressees(EXPERT)])
    message_form.set_kinds(kinds)
    answer_form = answer_form or AnswerForm(formdata=None, prefix="answer", data={"resume": True})
    answer_form.set_kinds(kinds)
    return {
        "messages": conversation(case, EXPERT),
        "question": question if question is not None and question.is_asked_of(EXPERT) else None,
        "message_form": message_form,
        "answer_form": answer_form,
        "author_name": author_name,
        "side_names": services.SIDE_NAMES,
    }
