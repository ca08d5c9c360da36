"""PDF files that open but cannot go into a pack, made in code: one for each problem of pdf.PAGE_PROBLEMS."""

from __future__ import annotations

import io
import zlib
from functools import cache

from pypdf import PdfWriter
from pypdf.generic import EncodedStreamObject, NameObject, NumberObject, RectangleObject

UNPACKED_MEGABYTES = 80  # above pypdf's 75 MB limit on what one stream may unpack into


def _deflated_blanks(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


@cache
def bad_pdf(problem: str) -> bytes:
    """A one-page PDF with the given problem: no_size, odd_rotation or too_large."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if problem == "no_size":
        page[NameObject("/MediaBox")] = RectangleObject([0, 0, 0, 0])
    elif problem == "odd_rotation":
        page[NameObject("/Rotate")] = NumberObject(45)
    elif problem == "too_large":
        stream = EncodedStreamObject()
        stream._data = _deflated_blanks(UNPACKED_MEGABYTES)  # already deflated: no public setter takes that
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    else:
        raise ValueError(problem)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
