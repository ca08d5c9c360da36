"""Building the pack PDF in one WeasyPrint pass: front matter, image pages and a blank page for every page of an
uploaded PDF, numbered and watermarked by CSS; then the uploaded PDF pages are laid under their blank pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from pypdf import PageObject, PdfReader

from talentcase.cases import labels
from talentcase.cases import services as cases
from talentcase.cases.models import Case
from talentcase.cases.policy import TECH_AREAS
from talentcase.cases.schema import FIELDS
from talentcase.common import clock, pdf
from talentcase.common.i18n import day_text
from talentcase.documents import services as documents
from talentcase.documents.models import Document
from talentcase.jobs.queue import PermanentJobError
from talentcase.packs.models import Pack
from talentcase.sla import chart
from talentcase.sla import services as sla

Progress = Callable[[int, str], None]

# The fonts of the clock charts' text, as templates/pdf/pack.css names them for the page: Latin first, then the
# Traditional Chinese face (WeasyPrint's SVG does not inherit the page's CSS, and alone would pick the JP face). Its
# SVG reader takes the names unquoted, separated by bare commas.
_LATIN_FONTS = "Noto Sans,Arial,Helvetica Neue,Liberation Sans,DejaVu Sans"
CHART_FONTS = {
    "en": f"{_LATIN_FONTS},Noto Sans CJK TC,sans-serif",
    "zh_Hant_HK": f"{_LATIN_FONTS},Noto Sans CJK HK,Noto Sans CJK TC,sans-serif",
}


@dataclass
class Part:
    """One uploaded document in the pack: an image page, or `pages` blank pages that its PDF pages go under."""

    anchor: str
    title: str
    status: str
    pages: int
    image_url: str = ""
    pdf_pages: list[PageObject] | None = None
    document_id: int | None = None


class UnusableDocument(PermanentJobError):
    """An uploaded document that cannot be laid into the pack (a pdf.PAGE_PROBLEMS code): it fails every time."""

    def __init__(self, document_id: int, problem: str) -> None:
        super().__init__(f"document {document_id}: {problem}")
        self.document_id = document_id
        self.problem = problem


def _particulars(case: Case) -> list[tuple[str, str]]:
    return [(str(spec.label), labels.field_text(case, spec.attr)) for spec in FIELDS]


def _included(case: Case, draft: bool) -> list[tuple[documents.ChecklistRow, Document]]:
    """Current documents in checklist order; a submission pack carries accepted ones only."""
    chosen = []
    for row in documents.checklist(case):
        if row.current is None:
            continue
        if not draft and row.current.status != "accepted":
            continue
        chosen.append((row, row.current))
    return chosen


def _part(case: Case, row: documents.ChecklistRow, document: Document, status: str) -> tuple[Part, bytes]:
    title = str(row.item.label)
    if row.item.dependant_id:
        dependant = next((d for d in case.dependants if d.id == row.item.dependant_id), None)
        title += f" — {dependant.full_name}" if dependant else ""
    anchor = f"doc-{document.id}"
    data = documents.read_file(document)
    if document.mime_type == "application/pdf":
        try:
            pages = list(PdfReader(io.BytesIO(data)).pages)
        except Exception as error:  # pypdf raises many types for damaged files
            raise UnusableDocument(document.id, "unreadable") from error
        return Part(anchor, title, status, len(pages), pdf_pages=pages, document_id=document.id), data
    return Part(anchor, title, status, 1, image_url=pdf.attachment_url(anchor)), data


# Stand-ins for the two page counters: the translated sentence is cut around them, so each language keeps its order.
_PAGE_MARK, _PAGES_MARK = 918273645, 546372819


def _footer(reference: str) -> dict[str, Markup]:
    """The footer text around the two page counters ("Page X of Y" in the pack's language), as CSS strings."""
    sentence = _("Page %(page)d of %(pages)d", page=_PAGE_MARK, pages=_PAGES_MARK)
    before, rest = sentence.split(str(_PAGE_MARK), 1)
    between, after = rest.split(str(_PAGES_MARK), 1)
    return {
        "footer_before": Markup(pdf.css_string(f"{reference} · {before}")),
        "footer_between": Markup(pdf.css_string(between)),
        "footer_after": Markup(pdf.css_string(after)),
    }


def build_pack(pack: Pack, case: Case, progress: Progress) -> tuple[bytes, int]:
    """The pack's bytes and page count."""
    with force_locale(pack.language):
        return _build(pack, case, progress)


def _build(pack: Pack, case: Case, progress: Progress) -> tuple[bytes, int]:
    today = clock.today()
    parts, attachments = _parts(pack, case, progress)

    def laid_out(pages: int) -> None:
        progress(55, _("Rendered the summary pages"))

    html = render_template(
        "pdf/pack.html", index=parts, parts=parts, **_footer(case.reference), **_context(pack, case, today)
    )
    rendered = pdf.render(html, attachments=attachments, laid_out=laid_out)
    total_pages = len(rendered.anchors)
    progress(65, _("Numbered %(n)d pages", n=total_pages))

    # Each uploaded page goes under the blank page that carries its id, wherever the layout put it.
    wanted = {
        part.anchor if number == 0 else f"{part.anchor}-{number}": (page, part.document_id)
        for part in parts
        for number, page in enumerate(part.pdf_pages or [])
    }
    placed = {index: wanted[name] for index, names in enumerate(rendered.anchors) for name in names if name in wanted}
    if len(placed) != len(wanted):
        raise RuntimeError(f"the layout lost uploaded pages: {len(placed)} of {len(wanted)} placed")
    under = {index: page for index, (page, _document_id) in placed.items()}

    def merged(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            progress(65 + int(30 * done / max(total, 1)), _("Merged page %(n)d of %(total)d", n=done, total=total))

    try:
        return pdf.underlay(rendered.data, under, progress=merged), total_pages
    except pdf.UnplaceablePage as error:
        raise UnusableDocument(placed[error.index][1], error.problem) from error


def _parts(pack: Pack, case: Case, progress: Progress) -> tuple[list[Part], dict[str, tuple[bytes, str]]]:
    """The pack's documents in order, and the images to embed by anchor."""
    progress(5, _("Collecting the documents"))
    status_words = {"uploaded": _("Uploaded"), "accepted": _("Accepted"), "rejected": _("Rejected")}
    chosen = _included(case, pack.is_draft)
    parts: list[Part] = []
    attachments: dict[str, tuple[bytes, str]] = {}
    for number, (row, document) in enumerate(chosen, start=1):
        part, data = _part(case, row, document, str(status_words.get(document.status, document.status)))
        parts.append(part)
        if part.image_url:
            attachments[part.anchor] = (data, document.mime_type)
        progress(
            5 + int(25 * number / max(len(chosen), 1)),
            _("Prepared document %(n)d of %(total)d", n=number, total=len(chosen)),
        )
    return parts, attachments


def _context(pack: Pack, case: Case, today: date) -> dict[str, Any]:
    """What the summary pages show: the particulars, the eligibility, the clocks and their charts."""
    results = sla.compute_for_case(case, today=today)
    chart_labels = {
        **{party: str(name) for party, name in labels.PARTY_NAMES.items()},
        "remaining": _("Remaining"),
        "due": _("Due"),
        "paused": _("paused"),
        "calendar": _("calendar days"),
        "working": _("working days"),
    }
    return {
        "case": case,
        "language": pack.language,
        "draft": pack.is_draft,
        "content_hash": pack.content_hash,
        "generated_on": today,
        "status_name": labels.STATUS_NAMES[case.status],
        "tech_area": TECH_AREAS.get(case.tech_area, case.tech_area),
        "particulars": _particulars(case),
        "eligibility": cases.eligibility_report(case).rows,
        "clocks": list(results.items()),
        "charts": {
            name: chart.clock_svg(
                result,
                today=today,
                title=str(labels.CLOCK_NAMES[name]),
                labels=chart_labels,
                day_text=day_text,
                font_family=CHART_FONTS.get(pack.language, CHART_FONTS["en"]),
            )
            for name, result in results.items()
        },
        "clock_names": labels.CLOCK_NAMES,
        "state_names": labels.STATE_NAMES,
        "event_names": labels.EVENT_NAMES,
    }
