"""The one door to PDF: WeasyPrint rendering with a locked-down URL fetcher, and page work with pypdf.

The fetcher refuses anything but data: URIs, files inside the templates and static folders, and the in-memory
attachments the caller hands over, so a case field or an uploaded document can never make the renderer read a
local file or reach the network.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import LimitReachedError

A4 = (595.276, 841.89)  # points

PROJECT_DIR = Path(__file__).resolve().parents[2]
ALLOWED_DIRS = (PROJECT_DIR / "templates", PROJECT_DIR / "talentcase" / "static")
ATTACHMENT_SCHEME = "tc-attachment"


class FetchRefused(ValueError):
    """The renderer asked for a resource outside what packs may use."""


# Why an uploaded PDF page cannot be laid into a pack: no usable size, a turn that is not a quarter turn (the PDF
# rule, which the fitting below relies on), content that unpacks past pypdf's limit, or content that cannot be read.
PAGE_PROBLEMS = ("no_size", "odd_rotation", "too_large", "unreadable")


class UnplaceablePage(ValueError):
    """Page `index` of the rendered pack could not take the uploaded page meant for it."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(f"page {index + 1}: {problem}")
        self.index = index
        self.problem = problem


def page_problem(page: PageObject, *, read_content: bool = False) -> str | None:
    """What stops this page from being laid into a pack (one of PAGE_PROBLEMS), or None.

    With `read_content` the page's content streams are unpacked too (as merging will), which the upload check does
    once so that a file that cannot be merged is refused there, not in the worker.
    """
    try:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        rotation = int(page.get("/Rotate") or 0)
    except Exception:  # pypdf raises many types for broken page objects
        return "unreadable"
    if width < 1 or height < 1:
        return "no_size"
    if rotation % 90:
        return "odd_rotation"
    if read_content:
        try:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        except LimitReachedError:
            return "too_large"
        except Exception:
            return "unreadable"
    return None


def attachment_url(name: str) -> str:
    """The URL a template uses for an attachment passed to render_html (e.g. an uploaded image)."""
    return f"{ATTACHMENT_SCHEME}:{name}"


def _safe_fetcher(attachments: Mapping[str, tuple[bytes, str]]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Allow attachments, data: URIs and local files under the allowed folders; refuse everything else."""

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme == ATTACHMENT_SCHEME:
                # Bytes handed over in memory: a data: URI of a photo costs WeasyPrint ~0.3 s per MB to decode.
                if parts.path not in attachments:
                    raise FetchRefused(f"no attachment {url[:80]!r}")
                data, mime_type = attachments[parts.path]
                return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not (any(path.is_relative_to(folder) for folder in ALLOWED_DIRS) and path.is_file()):
                    raise FetchRefused(f"refused to fetch {url[:80]!r}")
            elif parts.scheme != "data":
                raise FetchRefused(f"refused to fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return SafeURLFetcher(allowed_protocols=("data", "file", ATTACHMENT_SCHEME), allow_redirects=False)


@dataclass(frozen=True)
class Rendered:
    data: bytes
    anchors: list[frozenset[str]]  # the element ids on each page, in page order


def render(
    html: str,
    *,
    base_url: str | None = None,
    attachments: Mapping[str, tuple[bytes, str]] | None = None,
    laid_out: Callable[[int], None] | None = None,
) -> Rendered:
    """Render HTML to PDF with the safe fetcher; `laid_out(pages)` is called between layout and writing."""
    from weasyprint import HTML

    base = base_url or (ALLOWED_DIRS[0] / "pdf").as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=_safe_fetcher(attachments or {})).render()
    if laid_out:
        laid_out(len(document.pages))
    # PDF/UA-1: a tagged PDF (structure tree, /MarkInfo) with its language and title, which screen readers need.
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    return Rendered(data, [frozenset(page.anchors) for page in document.pages])


def warm_up() -> None:
    """Import WeasyPrint and lay out a line of Chinese text, so that processes forked afterwards start warm."""
    render_html("<p style=\"font-family: 'Noto Sans CJK TC'\">TalentCase 人才</p>")


def render_html(html: str, *, base_url: str | None = None) -> bytes:
    """Render HTML to PDF bytes with the safe fetcher."""
    return render(html, base_url=base_url).data


def css_string(text: str) -> str:
    """A CSS string literal for any text: everything but ASCII letters, digits and spaces as hex escapes."""
    # One space ends a hex escape and is not part of the string; it also stops a next letter reading as hex.
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


Box = tuple[float, float, float, float]  # left, bottom, right, top in points
FULL_PAGE: Box = (0.0, 0.0, A4[0], A4[1])


def _fit_into(page: PageObject, box: Box) -> Transformation:
    """The transformation that shows the page as a viewer would, scaled to fit `box` on an A4 page and centred."""
    rotation = (page.get("/Rotate") or 0) % 360
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if rotation in (90, 270):
        width, height = height, width
    left, bottom, right, top = box
    scale = min((right - left) / width, (top - bottom) / height)
    transform = Transformation().translate(-float(page.mediabox.left), -float(page.mediabox.bottom))
    if rotation:
        # Turn the content as a viewer would show it, back into the positive quadrant.
        transform = transform.rotate(-rotation)
        shift = {
            90: (0, float(page.mediabox.width)),
            180: (float(page.mediabox.width), float(page.mediabox.height)),
            270: (float(page.mediabox.height), 0),
        }[rotation]
        transform = transform.translate(*shift)
    return transform.scale(scale).translate(
        left + (right - left - width * scale) / 2, bottom + (top - bottom - height * scale) / 2
    )


def _inert(page: PageObject) -> PageObject:
    """The page without its annotations and actions: links, form fields, /Launch or /JavaScript never reach a pack.

    merge_page copies a page's /Annots onto the page it is merged into; an uploaded page is only ever a picture here.
    """
    for key in ("/Annots", "/AA"):
        if key in page:
            del page[key]
    return page


def underlay(
    rendered: bytes,
    under: Mapping[int, PageObject],
    progress: Callable[[int, int], None] | None = None,
    box: Box = FULL_PAGE,
) -> bytes:
    """Put each page of `under` (fitted into `box` of its A4 page, without its annotations) beneath the rendered page
    with that index, and return the bytes.

    The rendered pages are transparent, so what WeasyPrint drew there (footer, watermark) stays on top. An uploaded
    page that cannot be laid there raises UnplaceablePage with the rendered page's index.
    """
    writer = PdfWriter(clone_from=io.BytesIO(rendered))
    total = len(under)
    for done, (index, source) in enumerate(sorted(under.items()), start=1):
        problem = page_problem(source)
        if problem:
            raise UnplaceablePage(index, problem)
        try:
            writer.pages[index].merge_transformed_page(_inert(source), _fit_into(source, box), over=False)
        except LimitReachedError as error:
            raise UnplaceablePage(index, "too_large") from error
        except MemoryError:  # the worker's trouble, not the document's: RQ retries it
            raise
        except Exception as error:  # the uploaded page's content (pypdf raises many types for broken streams)
            raise UnplaceablePage(index, "unreadable") from error
        if progress:
            progress(done, total)
    writer.add_metadata({"/Producer": "TalentCase"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
