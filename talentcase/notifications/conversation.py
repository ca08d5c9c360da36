"""Notices of a case's conversation: a message tells the side it is written to (a request's question is told with
its event, so it is not told twice)."""

from __future__ import annotations

from talentcase.cases.models import Case
from talentcase.common.text import Msg
from talentcase.extensions import db
from talentcase.messages.models import COMPANY, EXPERT, PARK, Message
from talentcase.notifications import expert_mail
from talentcase.notifications.links import case_link
from talentcase.notifications.routing import company_hr, notify, park_people

KIND = "case_message"


def on_message_posted(case: Case, *, message_id: int) -> None:
    """Tell the addressee of a new message: the company's HR, the park's owning officer, or the expert by mail."""
    message = db.session.get(Message, message_id)
    if message is None or message.request_event_id is not None:
        return
    if message.to_side == EXPERT:
        if expert_mail.is_invited(case):
            expert_mail.queue_message_mail(case, message.body)
        return
    people = company_hr(case.company_id) if message.to_side == COMPANY else []
    if message.to_side == PARK:
        people = park_people(case)
    title = Msg.gettext("%(ref)s: a new message from %(who)s", ref=case.reference, who=message.author_label or "—")
    link = case_link(case, "messages")
    for user in people:
        if user.id != message.author_id:
            notify(user, case, KIND, title, message.body, actionable=True, link=link)
