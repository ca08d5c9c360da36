"""Active content in uploaded PDFs, and the pixel limit for uploaded images (security probe F1, F9).

An uploaded PDF is read by officers and goes into the pack meant for ITC and ImmD, so a file that can run something
when opened is refused at upload with a message saying how to make a clean copy (printing it to PDF again drops
every action). Refusing rather than rewriting keeps the stored file exactly what the person sent, byte for byte
(its SHA-256 names it in storage). Ordinary web links (/URI) and links within the file (/GoTo) are accepted: CVs and
letters carry them, and the pack drops every annotation when it merges the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

# A4 at 600 dpi is 35 Mpx; Pillow's own default (89 Mpx) let an 88-Mpx PNG cost a pack job 877 MB. Pillow refuses
# outright at twice this, and validation.py refuses anything above it.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# Actions that run something, reach outside the file or send data away.
ACTIVE_ACTIONS = frozenset(
    {"/Launch", "/JavaScript", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMediaExecute", "/Rendition"}
)
# Annotations that carry a file or a player rather than a link.
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})

ACTIVE_MESSAGE = _l(
    "This PDF has active content (an action that runs a program or a script, or a file inside it), which TalentCase "
    "does not accept. Open it and print it to PDF again (Print, then Save as PDF), and upload the new copy."
)


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _actions(value: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """An action dictionary, an /AA dictionary of actions or an array of them, with each action's /Next chain."""
    value = _resolved(value)
    if depth > 50:  # a /Next loop in a hostile file
        return
    if isinstance(value, ArrayObject):
        for item in value:
            yield from _actions(item, depth + 1)
    elif isinstance(value, DictionaryObject):
        if "/S" in value:
            yield value
            if "/Next" in value:
                yield from _actions(value["/Next"], depth + 1)
        else:  # an additional-actions dictionary: trigger name -> action
            for trigger in value.values():
                yield from _actions(trigger, depth + 1)


def _page_actions(page: DictionaryObject) -> Iterator[DictionaryObject | str]:
    yield from _actions(page.get("/AA"))
    for annotation in _resolved(page.get("/Annots")) or []:
        annotation = _resolved(annotation)
        if not isinstance(annotation, DictionaryObject):
            continue
        if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
            yield str(annotation["/Subtype"])
        yield from _actions(annotation.get("/A"))
        yield from _actions(annotation.get("/AA"))


def _document_parts(reader: PdfReader) -> Iterator[DictionaryObject | str]:
    root = _resolved(reader.trailer["/Root"])
    names = _resolved(root.get("/Names")) or {}
    for tree in ("/JavaScript", "/EmbeddedFiles"):
        if tree in names:
            yield tree
    form = _resolved(root.get("/AcroForm")) or {}
    if "/XFA" in form:  # XFA forms carry their own scripts
        yield "/XFA"
    yield from _actions(root.get("/OpenAction"))
    yield from _actions(root.get("/AA"))


def has_active_content(reader: PdfReader) -> bool:
    """Whether the PDF has document or page actions that run something, scripts, embedded files or players."""
    for part in (*_document_parts(reader), *(item for page in reader.pages for item in _page_actions(page))):
        if isinstance(part, str) or part.get("/S") in ACTIVE_ACTIONS:
            return True
    return False
