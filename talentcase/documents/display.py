"""What the documents screens show beside the forms: item ids, download names, the upload limit, the case page's
summary. Plain functions, so that the API and the templates use the same ones."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_FLOOR
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _

from talentcase.cases.models import Case
from talentcase.documents import services
from talentcase.documents.validation import human_size

SUMMARY_ATTENTION_SHOWN = 5
ATTENTION_ORDER = {"rejected": 0, "uploaded": 1, "missing": 2, "accepted": 3}

_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def slug(kind: str, dependant_id: int | None) -> str:
    """The part of element ids and anchors that names one checklist item."""
    return f"{kind}-{dependant_id or 0}"


def content_disposition(display_name: str) -> str:
    """An attachment header: an ASCII fallback name, plus the exact name as RFC 5987 filename* when they differ."""
    decomposed = unicodedata.normalize("NFKD", display_name)
    ascii_name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    fallback = _FALLBACK_UNSAFE.sub("_", ascii_name).strip(" ._") or "document"
    stem, dot, extension = fallback.rpartition(".")
    if dot and not re.search(r"[A-Za-z0-9]", stem.replace("_", "")):
        fallback = f"document.{extension}"
    header = f'attachment; filename="{fallback}"'
    if fallback != display_name:
        header += f"; filename*=UTF-8''{quote(display_name, safe='!#$&+-.^_`|~')}"
    return header


def upload_limit() -> str:
    """The most a file may be, rounded down so that it never promises more than is accepted."""
    return human_size(current_app.config["MAX_UPLOAD_BYTES"], rounding=ROUND_FLOOR)


def too_large_message() -> str:
    return _(
        "The file is too large: files can be at most %(limit)s. Scan at a lower resolution or split the document, "
        "then try again. Nothing was saved.",
        limit=upload_limit(),
    )


def document_summary(case: Case) -> dict:
    """Counts and the items needing attention, for the summary on the case page."""
    rows = services.checklist(case)
    required = [row for row in rows if row.item.required]
    attention = [
        row for row in rows if (row.item.required and not row.is_done) or row.status in ("uploaded", "rejected")
    ]
    # What someone must act on first: rejected (re-upload), then waiting for review, then missing.
    attention.sort(key=lambda row: ATTENTION_ORDER[row.status])
    return {
        "accepted": sum(row.is_done for row in required),
        "required": len(required),
        "attention": attention[:SUMMARY_ATTENTION_SHOWN],
        "more": max(len(attention) - SUMMARY_ATTENTION_SHOWN, 0),
        "waiting_review": sum(row.status == "uploaded" for row in rows),
        "rejected": sum(row.status == "rejected" for row in rows),
    }
