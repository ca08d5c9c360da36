"""The one door to PDF: WeasyPrint rendering with a locked-down URL fetcher, and page work with pypdf.

The fetcher refuses anything but data: URIs and files inside the templates and static folders, so a case field
or an uploaded document can never make the renderer read a local file or reach the network.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

A4 = (595.276, 841.89)  # points

PROJECT_DIR = Path(__file__).resolve().parents[2]
ALLOWED_DIRS = (PROJECT_DIR / "templates", PROJECT_DIR / "talentcase" / "static")


class FetchRefused(ValueError):
    """The renderer asked for a resource outside what packs may use."""


def _safe_fetcher():
    from weasyprint.urls import URLFetcher

    class SafeURLFetcher(URLFetcher):
        """Allow data: URIs and local files under the allowed folders; refuse everything else."""

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not (any(path.is_relative_to(folder) for folder in ALLOWED_DIRS) and path.is_file()):
                    raise FetchRefused(f"refused to fetch {url[:80]!r}")
            elif parts.scheme != "data":
                raise FetchRefused(f"refused to fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return SafeURLFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def render_html(html: str, *, base_url: str | None = None) -> bytes:
    """Render HTML to PDF bytes with the safe fetcher."""
    from weasyprint import HTML

    base = base_url or (ALLOWED_DIRS[0] / "pdf").as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=_safe_fetcher()).write_pdf()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _is_a4(page: PageObject) -> bool:
    box = page.mediabox
    return (
        abs(float(box.width) - A4[0]) < 1
        and abs(float(box.height) - A4[1]) < 1
        and float(box.left) == 0
        and float(box.bottom) == 0
        and not (page.get("/Rotate") or 0) % 360
    )


def _add_fitted(writer: PdfWriter, page: PageObject) -> PageObject:
    """Add the page to the writer as an A4 page: as it is when it already is one, else scaled to fit, centred."""
    if _is_a4(page):
        return writer.add_page(page)
    rotation = (page.get("/Rotate") or 0) % 360
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if rotation in (90, 270):
        width, height = height, width
    scale = min(A4[0] / width, A4[1] / height)
    target = writer.add_blank_page(width=A4[0], height=A4[1])
    transform = Transformation()
    left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
    transform = transform.translate(-left, -bottom)
    if rotation:
        # Turn the content as a viewer would show it, back into the positive quadrant.
        transform = transform.rotate(-rotation)
        shift = {
            90: (0, float(page.mediabox.width)),
            180: (float(page.mediabox.width), float(page.mediabox.height)),
            270: (float(page.mediabox.height), 0),
        }[rotation]
        transform = transform.translate(*shift)
    transform = transform.scale(scale).translate((A4[0] - width * scale) / 2, (A4[1] - height * scale) / 2)
    target.merge_transformed_page(page, transform)
    return target


def assemble(
    parts: Iterable[bytes],
    overlay: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Concatenate PDFs (each page fitted to A4), stamp overlay page i onto page i, and return the bytes."""
    writer = PdfWriter()
    sources = [page for data in parts for page in PdfReader(io.BytesIO(data)).pages]
    overlay_pages = PdfReader(io.BytesIO(overlay)).pages if overlay else []
    total = len(sources)
    for index, source in enumerate(sources):
        page = _add_fitted(writer, source)
        if index < len(overlay_pages):
            page.merge_page(overlay_pages[index])
        if progress:
            progress(index + 1, total)
    writer.add_metadata({"/Producer": "TalentCase"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
