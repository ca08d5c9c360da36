"""Notices kept as catalogue messages (common.text.Msg) with their parameters, so each is shown in the reader's
language of the day rather than the one they read when it was written."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from talentcase.cases import labels
from talentcase.common.i18n import day_text, translator
from talentcase.common.text import Msg
from talentcase.notifications.models import Notification

LABEL_GROUPS = {"clock": labels.CLOCK_NAMES, "event": labels.EVENT_NAMES, "status": labels.STATUS_NAMES}


@dataclass(frozen=True)
class Label:
    """A case-life code (a clock, an event, a status) inside a message, named in the reader's language when shown."""

    group: str
    code: str

    def __str__(self) -> str:
        return str(LABEL_GROUPS[self.group].get(self.code, self.code))


def to_json(message: Msg) -> dict:
    """A message as JSON for the notice's row: msgid, plural and count, and the parameters tagged by kind."""
    data: dict[str, Any] = {"msgid": message.msgid, "params": {name: _value_to_json(v) for name, v in message.params}}
    if message.plural is not None:
        data["plural"], data["n"] = message.plural, message.n
    return data


def from_json(data: dict) -> Msg:
    """The message stored by to_json."""
    params = tuple((name, _value_from_json(value)) for name, value in data.get("params", {}).items())
    return Msg(data["msgid"], params, data.get("plural"), data.get("n", 1))


def render(message: Msg) -> str:
    """The message in the current locale, dates written as on the rest of the page ("29 Nov 2026")."""
    return message.render(dataclasses.replace(translator(), long_date=day_text))


def notice_text(notice: Notification) -> tuple[str, str]:
    """A notice's title and body in the current locale; a notice written without its messages keeps its text."""
    title = render(from_json(notice.title_message)) if notice.title_message else notice.title
    body = render(from_json(notice.body_message)) if notice.body_message else notice.body
    return title, body


def _value_to_json(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": to_json(value)}
    if isinstance(value, Label):
        return {"label": [value.group, value.code]}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # anything else is worded now, once, as it was before notices kept their messages


def _value_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "msg" in value:
            return from_json(value["msg"])
        if "label" in value:
            return Label(*value["label"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value
