"""Building the pack PDF: front matter and image pages with WeasyPrint, documents merged, a footer on every page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from talentcase.cases import labels
from talentcase.cases import services as cases
from talentcase.cases.models import Case
from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS
from talentcase.cases.schema import FIELDS
from talentcase.common import clock, pdf
from talentcase.documents import services as documents
from talentcase.documents.models import Document
from talentcase.packs.models import Pack
from talentcase.sla import chart
from talentcase.sla import services as sla

Progress = Callable[[int, str], None]


@dataclass
class IndexEntry:
    title: str
    status: str
    page: int


def _particulars(case: Case) -> list[tuple[str, str]]:
    rows = []
    for spec in FIELDS:
        value = getattr(case, spec.attr)
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif spec.attr == "degree_level":
            value = DEGREE_LEVELS.get(value, value)
        elif spec.attr == "tech_area":
            value = TECH_AREAS.get(value, value)
        elif spec.attr == "monthly_salary_hkd":
            value = f"HK${value:,}"
        rows.append((str(spec.label), str(value) if value not in (None, "") else "—"))
    return rows


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


def _document_pdf(document: Document) -> bytes:
    data = documents.read_file(document)
    if document.mime_type == "application/pdf":
        return data
    uri = f"data:{document.mime_type};base64,{base64.b64encode(data).decode()}"
    return pdf.render_html(render_template("pdf/images.html", images=[uri]))


def build_pack(pack: Pack, case: Case, progress: Progress) -> tuple[bytes, int]:
    """The pack's bytes and page count."""
    with force_locale(pack.language):
        return _build(pack, case, progress)


def _build(pack: Pack, case: Case, progress: Progress) -> tuple[bytes, int]:
    today = clock.today()
    progress(5, _("Collecting the documents"))
    chosen = _included(case, pack.is_draft)
    parts: list[bytes] = []
    for number, (_row, document) in enumerate(chosen, start=1):
        parts.append(_document_pdf(document))
        progress(
            5 + int(35 * number / max(len(chosen), 1)),
            _("Prepared document %(n)d of %(total)d", n=number, total=len(chosen)),
        )
    doc_pages = [pdf.page_count(part) for part in parts]

    results = sla.compute_for_case(case, today=today)
    chart_labels = {
        **{party: str(name) for party, name in labels.PARTY_NAMES.items()},
        "remaining": _("Remaining"),
        "due": _("Due"),
        "paused": _("paused"),
        "calendar": _("calendar days"),
        "working": _("working days"),
    }
    context = {
        "case": case,
        "language": pack.language,
        "draft": pack.is_draft,
        "content_hash": pack.content_hash,
        "generated_on": today.isoformat(),
        "status_name": labels.STATUS_NAMES[case.status],
        "tech_area": TECH_AREAS.get(case.tech_area, case.tech_area),
        "particulars": _particulars(case),
        "eligibility": cases.eligibility_report(case).rows,
        "clocks": list(results.items()),
        "charts": {
            name: chart.clock_svg(result, today=today, title=str(labels.CLOCK_NAMES[name]), labels=chart_labels)
            for name, result in results.items()
        },
        "clock_names": labels.CLOCK_NAMES,
        "state_names": labels.STATE_NAMES,
        "event_names": labels.EVENT_NAMES,
    }
    status_words = {"uploaded": _("Uploaded"), "accepted": _("Accepted"), "rejected": _("Rejected")}

    # The index needs the page where each document starts, which depends on the length of the front matter.
    front_pages = 5
    front = b""
    for _attempt in range(4):
        start = front_pages + 1
        index = []
        for (row, document), pages in zip(chosen, doc_pages, strict=True):
            title = str(row.item.label)
            if row.item.dependant_id:
                dependant = next((d for d in case.dependants if d.id == row.item.dependant_id), None)
                title += f" — {dependant.full_name}" if dependant else ""
            index.append(IndexEntry(title, str(status_words.get(document.status, document.status)), start))
            start += pages
        front = pdf.render_html(render_template("pdf/pack.html", index=index, **context))
        counted = pdf.page_count(front)
        if counted == front_pages:
            break
        front_pages = counted
    progress(50, _("Rendered the summary pages"))

    total_pages = front_pages + sum(doc_pages)
    overlay = pdf.render_html(
        render_template(
            "pdf/overlay.html",
            pages=total_pages,
            reference=case.reference,
            draft=pack.is_draft,
            page_word=_("Page"),
            of_word=_("of"),
        )
    )
    progress(60, _("Numbered %(n)d pages", n=total_pages))

    def merged(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            progress(60 + int(35 * done / max(total, 1)), _("Merged page %(n)d of %(total)d", n=done, total=total))

    data = pdf.assemble([front, *parts], overlay=overlay, progress=merged)
    return data, total_pages
