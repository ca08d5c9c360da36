"""The one-pass pack layout: index page numbers, uploaded pages under the footer and watermark, odd page sizes."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from talentcase.common import pdf
from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.packs import services as packs
from talentcase.packs.builder import UPLOAD_BOX
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import labelled_pdf, png_bytes, submitted_case

A4_WIDTH, A4_HEIGHT = pdf.A4


def rendered_pack(db, case, *, draft: bool = True, language: str = "en") -> tuple[Pack, PdfReader]:
    request = packs.request_pack(case, draft=draft, language=language, stage="visa")
    db.session.commit()
    assert render_pack(request.pack.id) == "rendered"
    db.session.expire_all()
    pack = db.session.get(Pack, request.pack.id)
    return pack, PdfReader(io.BytesIO(get_storage().read(pack.storage_key)))


def upload_labelled(db, case, user, *, sizes: dict[str, tuple[tuple[float, float], int]] | None = None) -> dict:
    """A labelled PDF for every checklist kind except the photo (an image); returns {label: (kind, pages)}."""
    sizes = sizes or {}
    uploaded = {}
    for row in documents.checklist(case):
        kind = row.item.kind
        if kind in ("visa_label", "other"):
            continue
        if kind == "photo":
            documents.upload(case, kind, png_bytes(size=(600, 800)), "photo.png", uploader=user)
            uploaded[str(row.item.label)] = (kind, 1)
            continue
        size, rotate = sizes.get(kind, ((612, 792), 0))
        pages = 3 if kind == "cv" else 1
        documents.upload(case, kind, labelled_pdf(kind, pages, size, rotate), f"{kind}.pdf", uploader=user)
        uploaded[str(row.item.label)] = (kind, pages)
    db.session.commit()
    return uploaded


def index_pages(texts: list[str], titles) -> dict[str, int]:
    """The page number the index gives for each title, in the index's (tab) order."""
    index = next(text for text in texts if "Index of enclosures" in text)
    found = {}
    for title in titles:
        # A cell's words wrap in its narrow column: any run of white space between them.
        words = r"\s+".join(map(re.escape, title.split()))
        match = re.search(words + r".*?Waiting\s+for\s+review\s+(\d+)", index, re.DOTALL)
        assert match, (title, index)
        found[title] = (match.start(), int(match.group(1)))
    return {title: page for title, (_position, page) in sorted(found.items(), key=lambda item: item[1][0])}


def has_image(page) -> bool:
    xobjects = page["/Resources"].get("/XObject", {})
    return any(xobject.get_object().get("/Subtype") == "/Image" for xobject in xobjects.values())


def test_the_index_points_at_the_first_page_of_each_document(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    uploaded = upload_labelled(db, case, people["hr_a"])
    pack, reader = rendered_pack(db, case)
    texts = [page.extract_text() for page in reader.pages]
    assert pack.page_count == len(texts)
    starts = index_pages(texts, uploaded)
    assert sorted(starts.values()) == list(starts.values())  # tab order
    for title, (kind, pages) in uploaded.items():
        first = starts[title] - 1
        if kind == "photo":
            assert has_image(reader.pages[first])
            continue
        for number in range(pages):
            assert f"{kind} page {number + 1}" in texts[first + number], (title, number)
    # The uploaded documents fill the end of the pack with nothing in between.
    assert pack.page_count - min(starts.values()) + 1 == sum(pages for _kind, pages in uploaded.values())


def test_uploaded_pages_carry_the_footer_and_the_watermark_on_top(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    upload_labelled(db, case, people["hr_a"])
    pack, reader = rendered_pack(db, case)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{case.reference} · Page {number} of {pack.page_count}" in text
        assert "DRAFT" in text
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(pdf.A4, abs=0.5)
    cv_page = next(page for page in reader.pages if "cv page 1" in page.extract_text())
    # The uploaded content is drawn first (under); the footer text comes after it in the page's content.
    text = cv_page.extract_text()
    assert text.index("cv page 1") < text.index(case.reference)


def text_origin(page, needle: str) -> tuple[float, float]:
    """Where on the page the text containing needle starts (after the page's transformations)."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if needle in text:
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    assert found, needle
    x, y = found[0]
    # An uploaded page is drawn as a form XObject; pypdf's visitor reports its text in the form's own space, so the
    # matrix that places the form on the page is applied here.
    placed = re.search(rb"q ([-0-9. ]+) cm /\S+ Do Q", page.get_contents().get_data())
    if placed:
        a, b, c, d, e, f = (float(value) for value in placed.group(1).split())
        x, y = a * x + c * y + e, b * x + d * y + f
    return x, y


def test_landscape_rotated_and_large_uploads_are_fitted_onto_a4(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    sizes = {
        "cv": ((842, 595), 0),  # A4 landscape
        "employment_contract": ((1191, 1684), 0),  # A2
        "degree_certificate": ((612, 792), 90),  # letter, turned a quarter
    }
    upload_labelled(db, case, people["hr_a"], sizes=sizes)
    _pack, reader = rendered_pack(db, case)
    for kind in sizes:
        page = next(page for page in reader.pages if f"{kind} page 1" in page.extract_text())
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(pdf.A4, abs=0.5)
        assert not page.get("/Rotate")
        x, y = text_origin(page, f"{kind} page 1")
        assert 0 <= x <= A4_WIDTH and 0 <= y <= A4_HEIGHT, (kind, x, y)
    # Landscape A4 scaled by 595/842 and centred in the space under the caption and above the footer.
    x, y = text_origin(next(p for p in reader.pages if "cv page 1" in p.extract_text()), "cv page 1")
    left, bottom, right, top = UPLOAD_BOX
    scale = min((right - left) / 842, (top - bottom) / 595)
    assert x == pytest.approx(left + (right - left - 842 * scale) / 2 + 40 * scale, abs=1)
    assert y == pytest.approx(bottom + (top - bottom - 595 * scale) / 2 + (595 - 60) * scale, abs=1)


def test_chinese_pack_numbers_pages_in_chinese(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    upload_labelled(db, case, people["hr_a"])
    pack, reader = rendered_pack(db, case, language="zh_Hant_HK")
    texts = [page.extract_text() for page in reader.pages]
    assert "陳愛麗" in texts[0]
    assert "附件索引" in "\n".join(texts)
    for number, text in enumerate(texts, start=1):
        assert f"{case.reference} · 第 {number} 頁，共 {pack.page_count} 頁" in text


def test_css_string_escapes_everything_that_could_end_the_string():
    assert pdf.css_string('TC-1 · Page "x"\\') == '"TC\\2d 1 \\b7  Page \\22 x\\22 \\5c "'
    assert "}" not in pdf.css_string("}</style><script>")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:1/x.png", "https://example.com/x.css", "tc-attachment:missing"],
)
def test_the_renderer_fetches_nothing_outside_the_templates_and_the_attachments(url):
    fetcher = pdf._safe_fetcher({"doc-1": (b"\x89PNG", "image/png")})
    with pytest.raises(pdf.FetchRefused):
        fetcher.fetch(url)
    assert fetcher.fetch(pdf.attachment_url("doc-1")).status == 200
