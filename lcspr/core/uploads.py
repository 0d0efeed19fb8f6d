"""Checks on uploaded files. The kind is decided by the file's content, never by its name, and
only kinds on an allowlist are accepted; the name's extension must agree with the content,
because downloads take their Content-Type from it. Office files (DOCX, XLSX) are zip archives:
they must hold the part that makes them that kind of document, and an archive that would expand
too far (a zip bomb) is refused from its directory before anything is decompressed.

Accepted files keep a sanitised name: no folders, no control or invisible formatting characters
(a right-to-left override, U+202E, can make "report<RLO>fdp.exe" read as "reportexe.pdf"),
and a bounded length. The name is only ever shown and offered as the download's name: on disk
each file is stored under a name the storage makes safe, under MEDIA_ROOT, which no URL serves."""

import hashlib
import os
import re
import unicodedata
import zipfile

from django.core.exceptions import ValidationError

from lcspr.core.documents import archive_problem

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 150

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Report drafts, agency summaries and panel minutes.
DOCUMENT_KINDS = {".pdf": (b"%PDF-", PDF), ".docx": (b"PK\x03\x04", DOCX)}
DOCUMENT_ALLOWED = "a PDF or a Word (DOCX) document"

# Evidence of progress, completion and impact: reports, spreadsheets of audit results, survey
# exports and photographs of posters or leaflets.
EVIDENCE_KINDS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
EVIDENCE_ALLOWED = "a PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG file"
# The part every Office Open XML package of that kind holds.
_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# Text that opens like markup is a web page or an SVG image, whatever its name says.
_MARKUP = re.compile(rb"^\s*<(?:!doctype|\?xml|html|svg|script|body|head|!--)", re.IGNORECASE)


class ArchiveRefused(ValueError):
    """A zip archive that must not be opened; the message says why."""


def _office_kind(file) -> str:
    """ ".docx" or ".xlsx" for an Office package, "" for any other zip; ArchiveRefused for a
    zip bomb or a damaged archive."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ""
    finally:
        file.seek(0)
    problem = archive_problem(members)
    if problem:
        raise ArchiveRefused(problem)
    names = {member.filename for member in members}
    return next((ext for ext, part in _OFFICE_PARTS.items() if part in names), "")


def detect_kind(file) -> str:
    """The extension matching the file's content (".pdf", ".docx", ".xlsx", ".png", ".jpg",
    ".csv"), or "" when it is none of those. The file is left at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(file)
    content = file.read()
    file.seek(0)
    if b"\x00" in content or _MARKUP.match(content[:1024]):
        return ""
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
    return ".csv"


def safe_file_name(name: str, extension: str, *, fallback: str = "file") -> str:
    """The uploader's file name made safe to show and to offer as a download's name: the last
    path component only, without control or invisible formatting characters, at most
    MAX_NAME_CHARS long, ending in `extension` (the one the content was checked against)."""
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", extension or ""):
        extension = ""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    # Cc: control characters; Cf: bidi overrides, zero-width joiners...; Cs/Co/Cn: surrogates,
    # private use and unassigned code points.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "-", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, current = os.path.splitext(name)
    if current.lower() != extension.lower():
        stem = name
    else:
        extension = current
    stem = stem.strip(" .")[: MAX_NAME_CHARS - len(extension)].rstrip(" .") or fallback
    return stem + extension


def _check_size(file, label: str, max_bytes: int) -> None:
    if file.size == 0:
        raise ValidationError(f"The {label} is empty")
    if file.size > max_bytes:
        raise ValidationError(f"The {label} must be smaller than {max_bytes // (1024 * 1024)} MB")


def _kind_or_refuse(file, label: str) -> str:
    try:
        return detect_kind(file)
    except ArchiveRefused as e:
        raise ValidationError(f"The {label} cannot be accepted: {e}") from None


def check_document(file, *, label: str, max_bytes: int = MAX_DOCUMENT_BYTES):
    """Refuse an empty, oversized or non-PDF/DOCX upload with a message naming the field; an
    accepted file comes back with a sanitised name."""
    _check_size(file, label, max_bytes)
    extension = os.path.splitext(file.name)[1].lower()
    kind = _kind_or_refuse(file, label)
    if kind not in DOCUMENT_KINDS or extension != kind:
        raise ValidationError(f"The {label} must be {DOCUMENT_ALLOWED}")
    file.name = safe_file_name(file.name, kind, fallback="document")
    return file


def document_content_type(file_name: str) -> str:
    """The Content-Type of a stored document, by the kind checked when it was uploaded."""
    extension = os.path.splitext(file_name)[1].lower()
    return DOCUMENT_KINDS.get(extension, (None, "application/octet-stream"))[1]


def check_evidence(file, *, label: str, max_bytes: int = MAX_EVIDENCE_BYTES):
    """Refuse an empty, oversized or unrecognised evidence file with a message naming the
    field; the kind is decided by the content and the name's extension must agree with it. An
    accepted file comes back with a sanitised name."""
    _check_size(file, label, max_bytes)
    extension = os.path.splitext(file.name)[1].lower()
    kind = _kind_or_refuse(file, label)
    if extension not in EVIDENCE_KINDS or not kind:
        raise ValidationError(f"The {label} must be {EVIDENCE_ALLOWED}")
    if EVIDENCE_KINDS[extension] != EVIDENCE_KINDS[kind]:
        raise ValidationError(
            f"The {label} is not what its name says: its content is not a {extension[1:].upper()}"
            " file"
        )
    file.name = safe_file_name(file.name, extension, fallback="evidence")
    return file


def evidence_content_type(file_name: str) -> str:
    """The Content-Type of a stored evidence file, by the kind checked when it was uploaded."""
    extension = os.path.splitext(file_name)[1].lower()
    return EVIDENCE_KINDS.get(extension, "application/octet-stream")


def sha256_of(file) -> str:
    """The SHA-256 of a file's content, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
