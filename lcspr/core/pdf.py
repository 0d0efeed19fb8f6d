"""The platform's one way to make a PDF: a Django template (extending pdf/base.html) rendered by
WeasyPrint. This is the only module that imports weasyprint. Its URL fetcher serves the project's
own static files and refuses everything else, because WeasyPrint's default fetcher would read
local files (file://) and internal URLs named by anything that reaches a document's HTML or CSS.
"""

import mimetypes
import os
import posixpath
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from io import BytesIO
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.http import content_disposition_header
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered against this origin so that "/static/..." resolves to an absolute URL
# that reaches the fetcher. The .invalid top-level domain never resolves (RFC 6761), so nothing
# can be fetched from it even by mistake.
BASE_URL = "https://lcspr-pdf.invalid/"


class ResourceRefused(ValueError):
    """A document referred to something other than one of the project's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves URLs under STATIC_URL from the project's static files; refuses every other URL.

    WeasyPrint logs a refusal, skips the resource and goes on rendering.
    """

    def fetch(self, url, headers=None):
        name = self._static_name(url)
        path = finders.find(name)
        if path and os.path.isfile(path):
            with open(path, "rb") as file:
                body = file.read()
        elif staticfiles_storage.exists(name):
            # Hashed names ("print.3f2a9c.css") from a manifest storage exist only after
            # collectstatic, in STATIC_ROOT.
            with staticfiles_storage.open(name) as file:
                body = file.read()
        else:
            raise ResourceRefused(f"No such static file: {name}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _static_name(url: str) -> str:
        prefix = urljoin(BASE_URL, settings.STATIC_URL)
        if not url.startswith(prefix):
            raise ResourceRefused(f"Only the project's static files may be used: {url}")
        name = posixpath.normpath(unquote(urlsplit(url[len(prefix) :]).path))
        if name in (".", "..") or name.startswith(("/", "../")) or "\\" in name:
            raise ResourceRefused(f"Not a static file name: {url}")
        return name


def _document_html(template_name: str, context: dict, *, title: str, landscape: bool) -> str:
    return render_to_string(
        template_name,
        {
            **context,
            "title": title,
            "landscape": landscape,
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        },
    )


def _html(markup: str) -> HTML:
    return HTML(string=markup, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())


def render_pdf(template_name: str, context: dict, *, title: str, landscape: bool = False) -> bytes:
    """Render a template that extends pdf/base.html to PDF bytes."""
    html = _document_html(template_name, context, title=title, landscape=landscape)
    # Tagged PDF: headings, tables and reading order for screen readers.
    return _html(html).write_pdf(pdf_tags=True)


def render_pdf_in_parts(
    template_name: str,
    context: dict,
    *,
    rows_key: str,
    part_size: int,
    title: str,
    landscape: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render a document with one long table (the rows in `context[rows_key]`) a part of
    `part_size` rows at a time, calling `progress(done, total)` after each part is laid out,
    so that a job waiting minutes for WeasyPrint shows how far it has really got. The template
    sees `part` (from 1) and `parts`: it shows what comes before the table in part 1 only, as
    pdf/base.html does with the document's heading. The parts' pages are written as one PDF
    whose running header and "Page n of m" run on across the parts (see _number_pages)."""
    rows = list(context[rows_key])
    chunks = [rows[start : start + part_size] for start in range(0, len(rows), part_size)]
    chunks = chunks or [[]]
    steps = len(chunks) + 1  # the parts' layouts, then numbering and writing the pages
    report = progress or (lambda done, total: None)
    report(0, steps)
    documents = []
    for number, chunk in enumerate(chunks, start=1):
        part = {**context, rows_key: chunk, "part": number, "parts": len(chunks)}
        html = _document_html(
            template_name, {**part, "stamped_pages": True}, title=title, landscape=landscape
        )
        documents.append(_html(html).render(pdf_tags=True))
        report(number, steps)
    pages = [page for document in documents for page in document.pages]
    _number_pages(pages, title)
    pdf = documents[0].copy(pages).write_pdf(pdf_tags=True)
    report(steps, steps)
    return pdf


def render_pdf_in_bounded_memory(
    template_name: str,
    context: dict,
    *,
    rows_key: str,
    chunks: Iterable[list],
    title: str,
    landscape: bool = False,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Render a document far too long to lay out at once (tens of thousands of rows), in flat
    memory and in time linear in its length. Each chunk of rows (`chunks` may be a generator
    that loads them as it goes) is laid out and written as a PDF of its own to a temporary file,
    and its layout dropped, before the next; the parts are then joined with pypdf and every page
    given the running header and "Page n of m" of the whole (a page of WeasyPrint's own, merged
    over it). `progress(parts_done)` is called after each part. The template sees `part` and
    `parts` (None: not known in advance) as render_pdf_in_parts's does.

    Unlike render_pdf_in_parts, the joined document is not a tagged PDF (pypdf does not join
    structure trees): keep that one for documents a screen reader user reads whole, and offer
    a short form of a document this long."""
    report = progress or (lambda done: None)
    sizes, files = [], []
    with ExitStack() as stack:
        for number, chunk in enumerate(_at_least_one(chunks), start=1):
            part = {**context, rows_key: chunk, "part": number, "parts": None}
            html = _document_html(
                template_name, {**part, "stamped_pages": True}, title=title, landscape=landscape
            )
            document = _html(html).render(pdf_tags=True)
            sizes += [(page.width, page.height) for page in document.pages]
            files.append(stack.enter_context(tempfile.TemporaryFile()))
            document.write_pdf(files[-1])
            del document, html, part  # the layout goes before the next part is laid out
            report(number)
        numbers = PdfReader(BytesIO(_html(_numbering_html(sizes, title, overlay=True)).write_pdf()))
        if len(numbers.pages) != len(sizes):
            raise ValueError("The pages could not be numbered: the page counts differ.")
        writer = PdfWriter()
        index = 0
        for file in files:
            file.seek(0)
            for page in PdfReader(file).pages:
                writer.add_page(page).merge_page(numbers.pages[index])
                index += 1
        out = BytesIO()
        writer.write(out)
    return out.getvalue()


def _at_least_one(chunks: Iterable[list]):
    """The chunks, or one empty chunk if there are none (a document with no rows still has its
    heading and summary)."""
    empty = True
    for chunk in chunks:
        empty = False
        yield chunk
    if empty:
        yield []


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string: anything but letters, digits and plain punctuation is
    written as a CSS escape, so no title can close the string or the style element."""
    safe = " .,:;-_()&'·–"
    return '"' + "".join(c if c.isalnum() or c in safe else f"\\{ord(c):x} " for c in text) + '"'


# The margin boxes pdf/print.css fills with the running header and the page number.
NUMBERED_BOXES = ("@top-left", "@bottom-right")


def _numbering_html(sizes: list[tuple[float, float]], title: str, *, overlay=False) -> str:
    """A document of one page per size in `sizes` (CSS px) with the running header and
    "Page n of m" of a whole document of those pages; as an `overlay` (to be merged over pages
    that have the rest of the page furniture already), nothing else."""
    names = {size: f"numbered{n}" for n, size in enumerate(dict.fromkeys(sizes))}
    page_rules = "".join(
        f"@page {name} {{ size: {width}px {height}px }}" for (width, height), name in names.items()
    )
    sheets = "".join(f"<div class='sheet' style='page: {names[size]}'></div>" for size in sizes)
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{static('pdf/print.css')}'><style>"
        f"@page {{ @top-left {{ content: {_css_string(title)} }} }}"
        + (
            "@page { @top-right { content: none } @bottom-left { content: none } }"
            if overlay
            else ""
        )
        + f"{page_rules} body {{ page: auto }} .sheet + .sheet {{ break-before: page }}"
        "</style></head><body>" + sheets + "</body></html>"
    )


def _number_pages(pages: list, title: str) -> None:
    """Give laid-out `pages` (of parts rendered with stamped_pages, which leave NUMBERED_BOXES
    empty) the running header and "Page n of m" of one whole document. WeasyPrint lays out one
    page of a few lines per page, with the print stylesheet and the pages' own sizes, and its
    two margin boxes take the place of the parts' empty ones. This reaches into WeasyPrint's
    laid-out pages (Page._page_box, MarginBox.at_keyword), far cheaper than re-reading and
    rewriting the finished PDF; tests/core/test_pdf.py checks every page's number."""
    html = _numbering_html([(page.width, page.height) for page in pages], title)
    numbered = _html(html).render().pages
    if len(numbered) != len(pages):
        raise ValueError("The pages could not be numbered: the page counts differ.")
    for page, numbers in zip(pages, numbered, strict=True):
        taken = {
            box.at_keyword: box
            for box in numbers._page_box.children
            if getattr(box, "at_keyword", None) in NUMBERED_BOXES
        }
        kept = [
            box
            for box in page._page_box.children
            if getattr(box, "at_keyword", None) not in NUMBERED_BOXES
        ]
        page._page_box.children = (*kept, *taken.values())


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """A download of a rendered PDF that browsers and proxies do not sniff or keep."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_safe_filename(filename)
    )
    response["Content-Length"] = str(len(pdf_bytes))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _safe_filename(filename: str) -> str:
    """ASCII letters, digits, dots, hyphens and underscores only, ending in .pdf."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    stem = re.sub(r"\.pdf$", "", re.split(r"[/\\]", ascii_name)[-1], flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("._-")[:100]
    return f"{stem or 'document'}.pdf"


class CannotStamp(ValueError):
    """A PDF that cannot be marked (damaged, or encrypted with a password)."""


def stamp_pdf(data: bytes, text: str) -> bytes:
    """`data` (a PDF) with `text` marked at the top and bottom of every page, for a protective
    marking such as "DRAFT — OFFICIAL-SENSITIVE" on a document viewed online. The original
    pages are kept as they are; the marking is an overlay made by WeasyPrint at each page's size.
    """
    try:
        writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
        overlays = {}
        for page in writer.pages:
            # A rotated page is turned upright first, so the marking reads the right way up.
            if page.rotation:
                page.transfer_rotation_to_content()
            box = page.mediabox
            size = (round(float(box.width), 2), round(float(box.height), 2))
            if size not in overlays:
                overlays[size] = PdfReader(BytesIO(_marking_page(size, text))).pages[0]
            page.merge_transformed_page(
                overlays[size], Transformation().translate(float(box.left), float(box.bottom))
            )
        out = BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise CannotStamp(f"The PDF could not be marked: {e}") from e
    return out.getvalue()


def _marking_page(size: tuple[float, float], text: str) -> bytes:
    """One transparent page of `size` (points) with `text` centred at its top and bottom."""
    width, height = size
    marking = escape(text)
    html = (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><style>"
        f"@page {{ size: {width}pt {height}pt; margin: 0 }}"
        "html, body { margin: 0 }"
        ".marking { position: absolute; left: 0; right: 0; text-align: center;"
        " font: bold 11pt sans-serif; color: #d4351c; letter-spacing: 0.5pt }"
        ".top { top: 10pt } .bottom { bottom: 10pt }"
        "</style></head><body>"
        f"<p class='marking top'>{marking}</p><p class='marking bottom'>{marking}</p>"
        "</body></html>"
    )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
