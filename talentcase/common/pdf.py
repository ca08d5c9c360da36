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

import pydyf
from pypdf import PageObject, PdfReader, Transformation
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

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


# Which uploaded page goes under which rendered page, chosen from the element ids on each laid-out page.
Placement = Callable[[list[frozenset[str]]], Mapping[int, PageObject]]


def render(
    html: str,
    *,
    base_url: str | None = None,
    attachments: Mapping[str, tuple[bytes, str]] | None = None,
    laid_out: Callable[[int], None] | None = None,
    place: Placement | None = None,
    box: Box | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Render HTML to PDF with the safe fetcher, laying the pages `place` picks under theirs (see underlay_pages).

    `laid_out(pages)` is called between layout and writing.
    """
    from weasyprint import HTML

    base = base_url or (ALLOWED_DIRS[0] / "pdf").as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=_safe_fetcher(attachments or {})).render()
    anchors = [frozenset(page.anchors) for page in document.pages]
    if laid_out:
        laid_out(len(document.pages))
    under = place(anchors) if place else {}

    def finish(_document, target) -> None:
        underlay_pages(target, under, box=box or FULL_PAGE, progress=progress)

    # PDF/UA-1: a tagged PDF (structure tree, /MarkInfo) with its language and title, which screen readers need. The
    # uploaded pages go in while WeasyPrint writes, so the tagged file is never read back and copied (pypdf's clone
    # of the structure tree was a fifth of a pack's time).
    data = document.write_pdf(pdf_variant="pdf/ua-1", finisher=finish)
    return Rendered(data, anchors)


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


def underlay_pages(
    target: pydyf.PDF,
    under: Mapping[int, PageObject],
    *,
    box: Box = FULL_PAGE,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Put each page of `under` (fitted into `box` of its A4 page, as a picture) beneath the page with that index of
    `target`, a WeasyPrint pydyf document not yet written, marked as an artifact.

    Only the uploaded page's content and resources are copied, never its annotations or actions (links, form fields,
    /Launch or /JavaScript never reach a pack). The rendered pages are transparent, so what WeasyPrint drew there
    (caption, footer, watermark) stays on top. An uploaded page that cannot be laid there raises UnplaceablePage.
    """
    kids = target.pages["Kids"][::3]
    copied: dict[tuple[int, int, int], bytes] = {}
    for done, (index, source) in enumerate(sorted(under.items()), start=1):
        # The content is copied still packed, so it is unpacked here once to refuse what merging used to find.
        problem = page_problem(source, read_content=True)
        if problem:
            raise UnplaceablePage(index, problem)
        try:
            form = _form_xobject(target, source, copied)
        except MemoryError:  # the worker's trouble, not the document's: RQ retries it
            raise
        except Exception as error:  # the uploaded page's objects (pypdf raises many types for broken files)
            raise UnplaceablePage(index, "unreadable") from error
        page = target.objects[kids[index]]
        name = f"TCUpload{index}"
        _resolved(target, _resolved(target, page["Resources"])["XObject"])[name] = form.reference
        matrix = " ".join(f"{value:f}" for value in _fit_into(source, box).ctm)
        # First in the page's content, before WeasyPrint's flip to top-down coordinates: in PDF user space, below
        # everything WeasyPrint draws. An artifact for PDF/UA: a picture of the enclosure, not the pack's text.
        _resolved(target, page["Contents"]).stream[0:0] = [f"/Artifact BMC q {matrix} cm /{name} Do Q EMC".encode()]
        if progress:
            progress(done, len(under))
    target.info["Producer"] = pydyf.String("TalentCase")


def _resolved(target: pydyf.PDF, value):
    """A pydyf value, or the object it refers to when it is a reference (b"12 0 R")."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return target.objects[int(value.split()[0])]
    return value


def _form_xobject(target: pydyf.PDF, source: PageObject, copied: dict) -> pydyf.Stream:
    """The uploaded page as a Form XObject added to `target`: its content streams (still compressed) and resources."""
    contents = source.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    extra = {}
    if isinstance(contents, StreamObject):
        # One stream: copied as it is stored, without unpacking and packing it again.
        data = contents._data
        extra = {key: _copy(target, contents[key], copied) for key in ("/Filter", "/DecodeParms") if key in contents}
    elif contents is not None:
        data = b"\n".join(part.get_object().get_data() for part in contents)
    else:
        data = b""
    form = pydyf.Stream([data], compress=isinstance(contents, ArrayObject))
    form.extra = {
        "Type": "/XObject",
        "Subtype": "/Form",
        "BBox": pydyf.Array([float(value) for value in source.mediabox]),
        "Resources": _copy(target, source.get("/Resources", DictionaryObject()), copied),
        **{_name(key): value for key, value in extra.items()},
    }
    target.add_object(form)
    return form


def _name(key: str) -> bytes:
    """A dictionary key as pydyf writes it (it adds the slash)."""
    return _direct(NameObject(key))[1:]


def _direct(value) -> bytes:
    """A pypdf simple value (name, number, string, boolean, null) as PDF bytes."""
    buffer = io.BytesIO()
    value.write_to_stream(buffer)
    return buffer.getvalue()


def _copy(target: pydyf.PDF, value, copied: dict):
    """A pypdf value as a pydyf one, its indirect objects added to `target` once each."""
    if isinstance(value, IndirectObject):
        key = (id(value.pdf), value.idnum, value.generation)
        if key in copied:
            return copied[key]
        resolved = value.get_object()
        if isinstance(resolved, StreamObject):
            new = pydyf.Stream([resolved._data])
        elif isinstance(resolved, DictionaryObject):
            new = pydyf.Dictionary()
        elif isinstance(resolved, ArrayObject):
            new = pydyf.Array()
        else:
            return _copy(target, resolved, copied)
        target.add_object(new)
        copied[key] = new.reference  # before its children: a cycle comes back to this reference
        filled = _copy(target, resolved, copied)
        if isinstance(new, pydyf.Stream):
            new.extra = {name: item for name, item in filled.items() if name != b"Length"}  # pydyf counts it
        elif isinstance(new, pydyf.Dictionary):
            new.update(filled)
        else:
            new.extend(filled)
        return new.reference
    if isinstance(value, DictionaryObject):
        # /Parent would lead back into the uploaded file's page tree.
        return pydyf.Dictionary(
            {_name(key): _copy(target, item, copied) for key, item in value.items() if key != "/Parent"}
        )
    if isinstance(value, ArrayObject):
        return pydyf.Array([_copy(target, item, copied) for item in value])
    return _direct(value)
