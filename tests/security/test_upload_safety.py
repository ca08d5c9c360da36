"""Uploads: PDFs with active content are refused from every door, the expert's link included (probe F1), and an
image with more pixels than any scan needs is refused before it can cost a worker hundreds of MB (probe F9)."""

from __future__ import annotations

import io

import pytest
import time_machine
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from sqlalchemy import select

from talentcase.documents.models import Document
from talentcase.documents.validation import UploadRejected, validate_upload
from tests.portal import NOW, issue_link, make_case, make_pdf

LIMIT = 10 * 1024 * 1024


def _action(kind: str, key: str, value: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject(kind), NameObject(key): TextStringObject(value)})


def _pdf(change) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    change(writer, page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _link(action: DictionaryObject):
    def change(writer, page):
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 595, 842)]),
                NameObject("/A"): action,
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return change


def _open_action(writer, page):
    writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", "/JS", "app.alert(1)")


def _document_aa(writer, page):
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): _action("/JavaScript", "/JS", "app.alert(1)")}
    )


def _page_aa(writer, page):
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action("/Launch", "/F", "calc.exe")})


def _names_javascript(writer, page):
    script = writer._add_object(_action("/JavaScript", "/JS", "app.alert('document JS');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("js"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _embedded_file(writer, page):
    writer.add_attachment("payload.exe", b"MZ not really a program")


ACTIVE = {
    "launch link": _link(_action("/Launch", "/F", "C:\\Windows\\System32\\calc.exe")),
    "javascript link": _link(_action("/JavaScript", "/JS", "app.alert('link JS');")),
    "open action": _open_action,
    "document additional actions": _document_aa,
    "page additional actions": _page_aa,
    "document javascript": _names_javascript,
    "embedded file": _embedded_file,
}


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_a_pdf_with_active_content_is_refused_with_a_clear_message(app, name):
    with app.test_request_context():
        with pytest.raises(UploadRejected) as refused:
            validate_upload(_pdf(ACTIVE[name]), "contract.pdf", max_bytes=LIMIT)
        assert refused.value.code == "active_pdf"
        assert "print it to PDF again" in str(refused.value.message)


def test_a_pdf_with_an_ordinary_web_link_is_accepted(app):
    # CVs and letters carry web links (a LinkedIn page); the pack drops every annotation when it merges the pages.
    with app.test_request_context():
        validate_upload(_pdf(_link(_action("/URI", "/URI", "https://example.com/"))), "cv.pdf", max_bytes=LIMIT)


def test_the_expert_link_refuses_an_active_pdf_and_stores_nothing(app, client, db, people):
    with time_machine.travel(NOW, tick=False):
        case = make_case(people, email="priya@candidate.test", full_name="Priya Raghunathan")
        token = issue_link(app, case)
        data = _pdf(ACTIVE["launch link"])
        response = client.post(
            f"/portal/{token}/documents/cv",
            data={"cv-file": (io.BytesIO(data), "cv.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert "print it to PDF again" in response.get_data(as_text=True)
        assert db.session.scalars(select(Document).where(Document.case_id == case.id)).all() == []
        ok = client.post(
            f"/portal/{token}/documents/cv",
            data={"cv-file": (io.BytesIO(make_pdf()), "cv.pdf")},
            content_type="multipart/form-data",
        )
        assert ok.status_code == 302


def test_an_88_megapixel_png_is_refused(app):
    buffer = io.BytesIO()
    Image.new("1", (9400, 9400)).save(buffer, "PNG")  # 1 bit a pixel: small to make, 88 Mpx all the same
    with app.test_request_context(), pytest.raises(UploadRejected) as refused:
        validate_upload(buffer.getvalue(), "photo.png", max_bytes=LIMIT)
    assert "too many pixels" in str(refused.value.message)


def test_a_scan_sized_image_is_still_accepted(app):
    buffer = io.BytesIO()
    Image.new("1", (4960, 7016)).save(buffer, "PNG")  # A4 at 600 dpi: 34.8 Mpx
    with app.test_request_context():
        assert validate_upload(buffer.getvalue(), "scan.png", max_bytes=LIMIT).width == 4960
