"""Checks on an uploaded file's bytes and name; pure functions that never touch the filesystem."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from babel.numbers import format_decimal
from babel.units import format_unit
from flask import has_app_context
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile
from pypdf import PdfReader

from talentcase.cases.policy import Text
from talentcase.common import pdf
from talentcase.documents import pdf_safety  # also sets Pillow's pixel limit for uploads

MAX_DISPLAY_NAME_CHARS = 120
FALLBACK_NAME = "document"

# Acrobat itself only looks for %%EOF in the last 1024 bytes; allowing that much trailing junk keeps real-world
# PDFs (e.g. with a trailing newline or padding from a mail gateway) while a truncated file has no %%EOF there.
_PDF_EOF_WINDOW = 1024
_STARTXREF_RE = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
# The trailer (or cross-reference stream) key that marks an encrypted file: "/Encrypt 12 0 R" or "/Encrypt <<".
_ENCRYPT_KEY_RE = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


@dataclass(frozen=True)
class _FileType:
    mime_type: str
    extension: str
    magic: bytes
    # Extensions users give this type; a name with another of the accepted extensions gets corrected.
    aliases: frozenset[str]


_PDF = _FileType("application/pdf", ".pdf", b"%PDF-", frozenset({".pdf"}))
_JPEG = _FileType("image/jpeg", ".jpg", b"\xff\xd8\xff", frozenset({".jpg", ".jpeg", ".jpe"}))
_PNG = _FileType("image/png", ".png", b"\x89PNG\r\n\x1a\n", frozenset({".png"}))
_ACCEPTED = (_PDF, _JPEG, _PNG)
_ACCEPTED_EXTENSIONS = frozenset().union(*(t.aliases for t in _ACCEPTED))

# Only used to make the refusal message say what the file seems to be; acceptance never depends on this table.
_KNOWN_OTHER_TYPES: tuple[tuple[bytes, Text], ...] = (
    (b"\x7fELF", _l("a program (executable)")),
    (b"MZ", _l("a program (executable)")),
    (b"PK\x03\x04", _l("a ZIP archive or Office document")),
    (b"\xd0\xcf\x11\xe0", _l("an old-style Office document")),
    (b"GIF8", _l("a GIF image")),
    (b"II*\x00", _l("a TIFF image")),
    (b"MM\x00*", _l("a TIFF image")),
    (b"<", _l("a web page or other text document")),
)

_WHITESPACE_RE = re.compile(r"\s+")
# Characters Windows refuses in file names; replaced so that a downloaded copy can be saved as named.
_WINDOWS_FORBIDDEN_RE = re.compile(r'[<>:"|?*]')
_EXTENSION_RE = re.compile(r"\.[A-Za-z0-9]{1,10}$")
# Zero-width joiners are format characters too, but scripts such as Persian and emoji sequences need them.
_KEEP_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})


# What is wrong with a PDF page that cannot go into a submission pack (pdf.PAGE_PROBLEMS), in the user's words:
# said at upload, and by a pack that meets such a page in a file uploaded before this check existed.
PAGE_PROBLEM_TEXTS: dict[str, Text] = {
    "no_size": _l("a page has no size, or an impossible one"),
    "odd_rotation": _l("a page is turned at an angle that PDF does not allow (only quarter turns)"),
    "too_large": _l("a page unpacks into far more content than a document page holds"),
    "unreadable": _l("a page cannot be read"),
}


class UploadRejected(Exception):
    """An upload that cannot be accepted, with a stable code, a message for the user and the HTTP status."""

    def __init__(self, code: str, message: Text) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        # 413 is "payload too large"; everything else is a well-formed request with unacceptable content.
        self.http_status = 413 if code == "too_large" else 422

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class ValidatedUpload:
    """What an accepted upload is: its real type, digest, size, pages and a safe name to show."""

    mime_type: str
    extension: str  # with the dot, from the sniffed type: ".pdf", ".jpg" or ".png"
    sha256: str
    size: int
    page_count: int  # PDF pages, 1 for an image
    display_name: str
    width: int | None = None  # pixels, images only
    height: int | None = None


def human_size(size: int, *, rounding: str = ROUND_HALF_EVEN) -> str:
    """A file size as the reader's locale writes it ("551 bytes", "4.2 MB"; "551 位元組").

    Bytes are a word, so Babel (CLDR) names them in the locale; KB and MB are symbols, written as Hong Kong writes them
    in either language. `rounding` is ROUND_CEILING for a file measured against a limit and ROUND_FLOOR for the limit,
    so that a file over the limit never shows the limit's own figure ("10.1 MB" against "10.0 MB")."""
    locale = (get_locale() if has_app_context() else None) or "en"
    if size < 1024:
        return format_unit(size, "digital-byte", length="long", locale=locale)
    unit, divisor = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    figure = (Decimal(size) / divisor).quantize(Decimal("0.1"), rounding=rounding)
    return f"{format_decimal(figure, format='#,##0.0', locale=locale)} {unit}"


def _split_extension(name: str) -> tuple[str, str]:
    match = _EXTENSION_RE.search(name)
    if match is None:
        return name, ""
    return name[: match.start()], match.group()


def _compose(stem: str, extension: str) -> str:
    stem = stem.rstrip(" .")
    room = MAX_DISPLAY_NAME_CHARS - len(extension)
    if len(stem) > room:
        stem = stem[:room].rstrip(" .")
        # A cut right after a base letter must not leave an orphaned combining mark at the end.
        while stem and unicodedata.combining(stem[-1]):
            stem = stem[:-1]
    return (stem or FALLBACK_NAME) + extension


def sanitise_filename(name: str) -> str:
    """A safe display name: basename only, no control characters, NFC, at most 120 chars, never empty."""
    name = unicodedata.normalize("NFC", name or "")
    # Both separators: a name from a Windows browser may carry a full C:\... path, and ../ must never survive.
    parts = [p for p in re.split(r"[/\\]", name) if p.strip()]
    name = parts[-1] if parts else ""
    name = _WHITESPACE_RE.sub(" ", name)
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        # Cc: control characters incl. NUL; Cf: bidi overrides that can disguise "gpj.exe" as "exe.jpg";
        # Cs: lone surrogates that cannot be encoded to UTF-8 for headers or the database. Private-use (Co) and
        # unassigned (Cn) code points stay: legacy HKSCS name characters live in the private-use area, and new
        # CJK extensions may be newer than this Python's Unicode tables.
        if category in ("Cc", "Cs") or (category == "Cf" and ch not in _KEEP_FORMAT_CHARS):
            continue
        kept.append(ch)
    name = _WINDOWS_FORBIDDEN_RE.sub("_", "".join(kept))
    name = _WHITESPACE_RE.sub(" ", name).strip()
    stem, extension = _split_extension(name)
    # Leading dots would make a hidden file or a leftover ".."; trailing dots and spaces Windows drops. The
    # extension is split off first so that a bare ".pdf" becomes "document.pdf" rather than "pdf".
    return _compose(stem.lstrip(". "), extension)


def _display_name(filename: str, file_type: _FileType) -> str:
    # The name shown and offered on download must match what the file really is, so a wrong accepted extension
    # is corrected and any other extension keeps its text with the real one added ("cv v2.1" -> "cv v2.1.pdf").
    stem, extension = _split_extension(sanitise_filename(filename))
    if extension.lower() in file_type.aliases:
        return _compose(stem, extension)
    if extension.lower() in _ACCEPTED_EXTENSIONS:
        return _compose(stem, file_type.extension)
    return _compose(stem + extension, file_type.extension)


def _sniff(data: bytes) -> _FileType:
    for file_type in _ACCEPTED:
        # The magic must be at offset 0: a PDF that starts with anything else may be sniffed as HTML by a browser.
        if data.startswith(file_type.magic):
            return file_type
    head = data[:16].lstrip()
    seems = next((what for magic, what in _KNOWN_OTHER_TYPES if head.startswith(magic)), None)
    if seems is not None:
        message: Text = _l(
            "This file looks like %(what)s. Only PDF, JPEG and PNG files can be uploaded; save or scan the document "
            "as one of those and try again.",
            what=seems,
        )
    else:
        message = _l(
            "This file is not a PDF, JPEG or PNG file (whatever its name says). Save or scan the document as one of "
            "those and try again."
        )
    raise UploadRejected("unsupported_type", message)


def _check_pdf_structure(data: bytes) -> None:
    # pypdf in non-strict mode rebuilds a missing cross-reference table and may then "open" a cut-off file with
    # pages missing, so check the end of the file ourselves before asking pypdf.
    tail = data[-_PDF_EOF_WINDOW:]
    cut_off = UploadRejected(
        "corrupt_pdf",
        _l(
            "This PDF is incomplete: its end is missing, so it was probably cut off while downloading or copying. "
            "Save the PDF again and upload the new copy."
        ),
    )
    if b"%%EOF" not in tail:
        raise cut_off
    # startxref may sit just before the 1024-byte window when the file has trailing junk, so look a bit further.
    matches = list(_STARTXREF_RE.finditer(data[-2 * _PDF_EOF_WINDOW :]))
    if not matches or int(matches[-1].group(1)) >= len(data):
        raise cut_off


def _encrypted() -> UploadRejected:
    return UploadRejected(
        "encrypted_pdf",
        _l(
            "This PDF is protected with a password or encryption. Save a copy without the password (for example "
            'with "Print to PDF") and upload that.'
        ),
    )


def _validate_pdf(data: bytes) -> int:
    _check_pdf_structure(data)
    unreadable = UploadRejected(
        "corrupt_pdf",
        _l("This PDF is damaged and cannot be opened. Save or export it again and upload the new copy."),
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        # pypdf already fails while opening an AES-encrypted file when the optional `cryptography` package is
        # missing (DependencyError), so a failure on a file that declares encryption is reported as encryption.
        if _ENCRYPT_KEY_RE.search(data):
            raise _encrypted() from exc
        # pypdf raises many types for damaged files (PdfReadError, ValueError, KeyError, RecursionError, ...).
        raise unreadable from exc
    if encrypted:
        # Refused even with an empty user password: the submission pack has to merge and stamp every page.
        raise _encrypted()
    try:
        pages = reader.pages
        page_count = len(pages)
        # Every page is checked as the pack will use it (size, turn, content unpacked), which walks the whole page
        # tree: a file that cannot go into a pack is refused now rather than when the pack is built.
        problem = next(filter(None, (pdf.page_problem(page, read_content=True) for page in pages)), None)
        is_active = pdf_safety.has_active_content(reader)  # probe F1: scripts, launch actions, embedded files
    except Exception as exc:
        raise unreadable from exc
    if is_active:
        raise UploadRejected("active_pdf", pdf_safety.ACTIVE_MESSAGE)
    if problem:
        raise UploadRejected(
            "unusable_pdf",
            _l(
                "This PDF cannot go into a submission pack: %(problem)s. Print or export it to PDF again and upload"
                " the new copy.",
                problem=PAGE_PROBLEM_TEXTS[problem],
            ),
        )
    if page_count < 1:
        raise UploadRejected("corrupt_pdf", _l("This PDF has no pages. Upload a PDF with the document in it."))
    return page_count


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _validate_image(data: bytes, file_type: _FileType) -> tuple[int, int]:
    pillow_format = "JPEG" if file_type is _JPEG else "PNG"
    try:
        # formats= stops Pillow from trying any other decoder on bytes we already sniffed as this type.
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()
        # verify() leaves the image unusable and does not decode pixel data (it does little for JPEG), so the
        # image is opened again and fully decoded: a truncated file fails here, even in a process where WeasyPrint
        # was imported (it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process).
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image, _truncated_images_refused():
            image.load()
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning is only raised (rather than logged) when warnings are errors, as in the tests.
        raise UploadRejected(
            "corrupt_image",
            _l("This image has far too many pixels to be a scan or photo. Upload a smaller image."),
        ) from exc
    except Exception as exc:
        raise UploadRejected(
            "corrupt_image",
            _l(
                "This image is damaged or incomplete and cannot be opened. Save or take the photo again and upload "
                "the new copy."
            ),
        ) from exc
    if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse those too.
        raise UploadRejected(
            "corrupt_image",
            _l("This image has far too many pixels to be a scan or photo. Upload a smaller image."),
        )
    return width, height


def validate_upload(data: bytes, filename: str, *, max_bytes: int) -> ValidatedUpload:
    """Check an upload's bytes (type by content, size, readability) or raise UploadRejected."""
    size = len(data)
    if size == 0:
        raise UploadRejected("empty", _l("The file is empty (0 bytes). Choose the file again and upload it."))
    if size > max_bytes:
        raise UploadRejected(
            "too_large",
            _l(
                "The file is %(size)s; files can be at most %(limit)s. Scan at a lower resolution or split the "
                "document and try again.",
                # Written when the message is shown, in the reader's locale (like the rest of the sentence).
                size=LazyString(human_size, size, rounding=ROUND_CEILING),
                limit=LazyString(human_size, max_bytes, rounding=ROUND_FLOOR),
            ),
        )
    file_type = _sniff(data)
    width: int | None = None
    height: int | None = None
    if file_type is _PDF:
        page_count = _validate_pdf(data)
    else:
        width, height = _validate_image(data, file_type)
        page_count = 1
    return ValidatedUpload(
        mime_type=file_type.mime_type,
        extension=file_type.extension,
        sha256=hashlib.sha256(data).hexdigest(),
        size=size,
        page_count=page_count,
        display_name=_display_name(filename, file_type),
        width=width,
        height=height,
    )
