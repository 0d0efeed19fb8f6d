"""The text of an uploaded Word (DOCX) or PDF document, in labelled segments ("Paragraph 12",
"Footnote 3", "Page 4"), for checks that must read what a reader of the file would read.

A DOCX is a zip archive of XML parts. Word splits a paragraph's text into runs wherever the
formatting, spell-check state or revision changes, so a name may be stored as "Jo" + "hn":
runs are joined back into their paragraph before anyone searches the text. Untrusted archives
are refused when they would expand beyond a fixed size (zip bombs), and XML with a DOCTYPE is
refused outright by defusedxml (Word never writes one; entity tricks need one).
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # a part expanding more than this is not a real document
MAX_MEMBERS = 5000
MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 20 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Parts whose text a reader of the document sees, with how each one's location is named.
_HEADER_FOOTER = re.compile(r"^word/(header|footer)(\d*)\.xml$")
_NOTES = {"word/footnotes.xml": "Footnote", "word/endnotes.xml": "Endnote"}
_PROPERTIES = ("docProps/core.xml", "docProps/app.xml")
# Elements that stand for a space, a character or nothing inside a run.
_SPACE = {f"{W}tab", f"{W}br", f"{W}cr", f"{W}ptab"}

Segment = tuple[str, str]


class DocumentError(ValueError):
    """The document could not be read; the message says why, in words for the person who
    uploaded it."""


def extract_text(data: bytes, file_name: str) -> list[Segment]:
    """The (location, text) segments of a DOCX or PDF, in reading order; empty ones left out."""
    name = file_name.lower()
    if name.endswith(".docx"):
        return _docx_segments(data)
    if name.endswith(".pdf"):
        return _pdf_segments(data)
    raise DocumentError("Only Word (DOCX) and PDF documents can be checked.")


# --- DOCX -----------------------------------------------------------------------------------


def archive_problem(members: list[zipfile.ZipInfo], *, max_bytes: int | None = None) -> str:
    """Why an untrusted zip archive (DOCX, XLSX) must not be opened, judged from its directory
    alone before anything is decompressed, or "" when it may be. The directory's sizes bound
    what zipfile will ever decompress, so a lying header cannot expand past them."""
    max_bytes = MAX_UNCOMPRESSED_BYTES if max_bytes is None else max_bytes
    if len(members) > MAX_MEMBERS:
        return "it contains too many parts"
    if sum(m.file_size for m in members) > max_bytes:
        return f"it expands to more than {max_bytes // (1024 * 1024)} MB"
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            return "it is compressed suspiciously tightly"
    return ""


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DocumentError(
            "The document could not be read: it is not a valid Word (DOCX) file."
        ) from None
    problem = archive_problem(members)
    if problem:
        raise DocumentError(f"The document could not be read: {problem}.")
    return archive


def _read_xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    try:
        with archive.open(name) as part:
            # The declared size is checked above; the cap guards against a lying header.
            raw = part.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise DocumentError(
            "The document could not be read: part of it is damaged or encrypted."
        ) from None
    if len(raw) > MAX_PART_BYTES:
        raise DocumentError("The document could not be read: part of it is too large.")
    try:
        return SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise DocumentError(
            "The document could not be read: it contains a DOCTYPE declaration."
        ) from None
    except ET.ParseError:
        raise DocumentError(
            "The document could not be read: its XML is damaged. Save it again from Word."
        ) from None


def _paragraphs(element: ET.Element) -> list[tuple[str, str]]:
    """(visible text, tracked-deleted text) of each paragraph under `element`, in document
    order. A paragraph inside a text box inside another paragraph is a paragraph of its own."""
    found: list[list] = []

    def walk(node: ET.Element, current: list | None) -> None:
        tag = node.tag
        if tag == f"{W}p":
            current = [[], []]
            found.append(current)
        elif current is not None:
            if tag == f"{W}t" and node.text:
                current[0].append(node.text)
            elif tag == f"{W}delText" and node.text:
                # Deleted but still tracked: anyone who opens the file can read it.
                current[1].append(node.text)
            elif tag in _SPACE:
                current[0].append(" ")
            elif tag == f"{W}noBreakHyphen":
                current[0].append("-")
        # A nested paragraph gets its own `current`; the caller's text goes on in its own.
        for child in node:
            walk(child, current)

    walk(element, None)
    return [(_squash("".join(visible)), _squash(" ".join(deleted))) for visible, deleted in found]


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def _add(segments: list[Segment], location: str, paragraphs: list[tuple[str, str]]) -> None:
    for visible, deleted in paragraphs:
        if visible:
            segments.append((location, visible))
        if deleted:
            segments.append((f"{location} (tracked deletion)", deleted))


def _docx_segments(data: bytes) -> list[Segment]:
    archive = _open_archive(data)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise DocumentError("The document could not be read: it is not a Word (DOCX) document.")
    segments: list[Segment] = []
    body = _read_xml(archive, "word/document.xml")
    number = 0
    for visible, deleted in _paragraphs(body):
        if visible or deleted:
            number += 1
            _add(segments, f"Paragraph {number}", [(visible, deleted)])
    for name in sorted(names, key=_part_order):
        match = _HEADER_FOOTER.match(name)
        if match:
            _add(segments, match.group(1).capitalize(), _paragraphs(_read_xml(archive, name)))
    _add_notes(archive, names, segments)
    if "word/comments.xml" in names:
        for index, comment in enumerate(_read_xml(archive, "word/comments.xml"), start=1):
            _add(segments, f"Comment {index}", _paragraphs(comment))
    _add_properties(archive, names, segments)
    _require_size(segments)
    return segments


_SEPARATOR_NOTES = ("separator", "continuationSeparator", "continuationNotice")


def _add_notes(archive, names: set[str], segments: list[Segment]) -> None:
    """Footnotes and endnotes, by their number (Word's separator notes are not text)."""
    for name, label in _NOTES.items():
        if name not in names:
            continue
        for note in _read_xml(archive, name):
            if note.get(f"{W}type") in _SEPARATOR_NOTES:
                continue
            _add(segments, f"{label} {note.get(f'{W}id', '')}".strip(), _paragraphs(note))


def _add_properties(archive, names: set[str], segments: list[Segment]) -> None:
    """Title, subject, keywords and the like: they travel with the file."""
    for name in _PROPERTIES:
        if name not in names:
            continue
        for element in _read_xml(archive, name).iter():
            text = _squash(element.text or "")
            if text and len(element) == 0:
                segments.append(("Document properties", text))


def _part_order(name: str) -> tuple[int, int, str]:
    """Headers, then footers, each in number order."""
    match = _HEADER_FOOTER.match(name)
    if not match:
        return (2, 0, name)
    return (0 if match.group(1) == "header" else 1, int(match.group(2) or 0), name)


# --- PDF ------------------------------------------------------------------------------------


def _pdf_segments(data: bytes) -> list[Segment]:
    # pypdf caps how far a compressed stream may expand, which is what stops a PDF bomb.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise DocumentError("The document could not be read: it is not a PDF.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("The PDF is protected by a password: upload a copy without one.")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(
                f"The PDF has more than {MAX_PDF_PAGES} pages, which is too many to check."
            )
        segments = []
        for number, page in enumerate(pages, start=1):
            text = (page.extract_text() or "").strip()
            if text:
                segments.append((f"Page {number}", text))
    except DocumentError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        ZeroDivisionError,
        OSError,
        MemoryError,
    ):
        raise DocumentError(
            "The document could not be read: the PDF is damaged. Save or export it again."
        ) from None
    _require_size(segments)
    return segments


def _require_size(segments: list[Segment]) -> None:
    if sum(len(text) for _, text in segments) > MAX_TEXT_CHARS:
        raise DocumentError("The document has too much text to check.")
