"""Form helpers shared across domains."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def choice_list(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects that WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]
