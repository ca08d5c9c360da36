"""Building cases with real documents for the pack tests."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from talentcase.cases import services
from talentcase.documents import services as documents
from tests.factories import ANSWERED

VALUES = {
    "full_name": "Alice Chan",
    "chinese_name": "陳愛麗",
    "nationality": "GB",
    "email": "alice@example.com",
    "degree_level": "master",
    "university": "Imperial College London",
    "years_experience": "2",
    "position_title": "Machine Learning Engineer",
    "tech_area": "artificial_intelligence",
    "monthly_salary_hkd": "60000",
    **ANSWERED,
}


def pdf_bytes(pages: int = 1, size: tuple[float, float] = (612, 792)) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def labelled_pdf(label: str, pages: int = 1, size: tuple[float, float] = (612, 792), rotate: int = 0) -> bytes:
    """A PDF whose page n says "<label> page n" in Helvetica near its top left corner (text pypdf can find)."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(*size)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 18 Tf 40 {size[1] - 60} Td ({label} page {number}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        if rotate:
            page.rotate(rotate)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(colour: tuple[int, int, int] = (200, 100, 50), size: tuple[int, int] = (800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def submitted_case(db, company, user):
    case = services.open_case(company, VALUES, creator=user)
    services.take_action(case, "submit", role="hr", actor=user)
    db.session.commit()
    return case


def upload_everything(db, case, user, *, image_kinds: tuple[str, ...] = ("passport", "photo"), accept_by=None) -> dict:
    """Upload a document for every checklist item (PDFs of 2 pages, images for image_kinds); returns pages per kind."""
    pages = {}
    for row in documents.checklist(case):
        kind = row.item.kind
        if kind in ("visa_label", "other"):
            continue
        if kind in image_kinds:
            data, count = png_bytes(), 1
        else:
            data, count = pdf_bytes(2), 2
        document = documents.upload(case, kind, data, f"{kind}.dat", dependant_id=row.item.dependant_id, uploader=user)
        if accept_by is not None:
            documents.review(document, "accept", reviewer=accept_by)
        pages[(kind, row.item.dependant_id)] = count
    db.session.commit()
    return pages
