"""Building the pack PDF in one WeasyPrint pass: the front matter (cover letter, particulars, declaration, index),
a captioned page for every image and a captioned blank page for every page of an uploaded PDF, numbered and
watermarked by CSS; then the uploaded PDF pages are laid under their blank pages, below the caption."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from pypdf import PdfReader

from talentcase.cases import labels
from talentcase.cases import services as cases
from talentcase.cases.models import Case
from talentcase.cases.policy import TECH_AREAS
from talentcase.common import clock, pdf
from talentcase.common.i18n import day_text
from talentcase.documents import services as documents
from talentcase.jobs.queue import PermanentJobError
from talentcase.packs import content, stages
from talentcase.packs.content import Tab
from talentcase.packs.models import Pack, PackSignature
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
# Where an uploaded page goes on its A4 page (points from the bottom left): below the caption, above the footer
# (the "upload" page margins of templates/pdf/pack.css).
UPLOAD_BOX = (0.0, 40.0, pdf.A4[0], pdf.A4[1] - 46.0)
HTML_LANGUAGES = {"en": "en", "zh_Hant_HK": "zh-Hant-HK"}


class UnusableDocument(PermanentJobError):
    """An uploaded document that cannot be laid into the pack (a pdf.PAGE_PROBLEMS code): it fails every time."""

    def __init__(self, document_id: int, problem: str) -> None:
        super().__init__(f"document {document_id}: {problem}")
        self.document_id = document_id
        self.problem = problem


def load_pages(tab: Tab) -> bytes:
    """Read the tab's document and count its pages (a PDF's pages are kept for the merge); returns the bytes."""
    document = tab.document
    data = documents.read_file(document)
    if document.mime_type == "application/pdf":
        try:
            tab.pdf_pages = list(PdfReader(io.BytesIO(data)).pages)
        except Exception as error:  # pypdf raises many types for damaged files
            raise UnusableDocument(document.id, "unreadable") from error
        tab.pages = len(tab.pdf_pages)
    else:
        tab.pages, tab.image_url = 1, pdf.attachment_url(tab.anchor)
    return data


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


def build_pack(pack: Pack, case: Case, progress: Progress, signature: PackSignature | None = None) -> tuple[bytes, int]:
    """The pack's bytes and page count."""
    with force_locale(pack.language):
        return _build(pack, case, progress, signature)


def _build(pack: Pack, case: Case, progress: Progress, signature: PackSignature | None) -> tuple[bytes, int]:
    today = clock.today()
    tabs, attachments = _tabs(pack, case, progress)

    def laid_out(pages: int) -> None:
        progress(55, _("Rendered the summary pages"))

    context = _context(pack, case, today, tabs, signature)
    html = render_template("pdf/pack.html", **_footer(case.reference), **context)
    # Each uploaded page goes under the blank page that carries its id, wherever the layout put it.
    wanted = {
        f"{tab.anchor}-{number}": (page, tab.document.id)
        for tab in tabs
        for number, page in enumerate(tab.pdf_pages or [])
    }
    placed: dict[int, tuple[Any, int]] = {}

    def place(anchors: list[frozenset[str]]) -> dict[int, Any]:
        placed.update({index: wanted[name] for index, names in enumerate(anchors) for name in names if name in wanted})
        if len(placed) != len(wanted):
            raise RuntimeError(f"the layout lost uploaded pages: {len(placed)} of {len(wanted)} placed")
        progress(65, _("Numbered %(n)d pages", n=len(anchors)))
        return {index: page for index, (page, _document_id) in placed.items()}

    def merged(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            progress(65 + int(30 * done / max(total, 1)), _("Merged page %(n)d of %(total)d", n=done, total=total))

    try:
        rendered = pdf.render(
            html, attachments=attachments, laid_out=laid_out, place=place, box=UPLOAD_BOX, progress=merged
        )
    except pdf.UnplaceablePage as error:
        raise UnusableDocument(placed[error.index][1], error.problem) from error
    return rendered.data, len(rendered.anchors)


def _tabs(pack: Pack, case: Case, progress: Progress) -> tuple[list[Tab], dict[str, tuple[bytes, str]]]:
    """The pack's enclosures in tab order, and the images to embed by anchor."""
    progress(5, _("Collecting the documents"))
    tabs = content.tabs_for(case, stages.BY_CODE[pack.stage], draft=pack.is_draft)
    present = [tab for tab in tabs if not tab.is_missing]
    attachments: dict[str, tuple[bytes, str]] = {}
    for number, tab in enumerate(present, start=1):
        data = load_pages(tab)
        if tab.image_url:
            attachments[tab.anchor] = (data, tab.document.mime_type)
        progress(
            5 + int(25 * number / max(len(present), 1)),
            _("Prepared document %(n)d of %(total)d", n=number, total=len(present)),
        )
    return tabs, attachments


def _context(pack: Pack, case: Case, today: date, tabs: list[Tab], signature: PackSignature | None) -> dict[str, Any]:
    """What the front matter shows: the letter, the particulars by the authority's form, the declaration."""
    stage = stages.BY_CODE[pack.stage]
    company = case.company
    return {
        "case": case,
        "company": company,
        "stage": stage,
        "language": HTML_LANGUAGES.get(pack.language, "en"),
        "draft": pack.is_draft,
        "generated_on": today,
        "tech_area": TECH_AREAS.get(case.tech_area, case.tech_area),
        "company_rows": content.company_rows(case),
        "particulars": content.particulars(case, stage.code),
        "places": content.places_rows(case) if stage.code == "quota" else [],
        "dependants": [(d, content.dependant_rows(case, d)) for d in case.dependants] if stage.code == "visa" else [],
        "tabs": tabs,
        "status_text": content.status_text,
        "signatory_name": (signature.typed_name if signature else "") or company.signatory_name,
        "signatory_title": (signature.signer_title if signature else "") or company.signatory_title,
        "signature": signature,
        "annex": _annex(case, pack.language, today) if pack.has_internal_annex else None,
    }


def _annex(case: Case, language: str, today: date) -> dict[str, Any]:
    """The park's internal annex: the clocks with their charts, the timeline with staff notes, the eligibility."""
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
        "eligibility": cases.eligibility_report(case).rows,
        "clocks": list(results.items()),
        "charts": {
            name: chart.clock_svg(
                result,
                today=today,
                title=str(labels.CLOCK_NAMES[name]),
                labels=chart_labels,
                day_text=day_text,
                font_family=CHART_FONTS.get(language, CHART_FONTS["en"]),
            )
            for name, result in results.items()
        },
        "clock_names": labels.CLOCK_NAMES,
        "state_names": labels.STATE_NAMES,
        "event_names": labels.EVENT_NAMES,
    }
