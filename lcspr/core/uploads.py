"""Checks on uploaded files. The kind is decided by the file's content, never by its name, and
only kinds on an allowlist are accepted; the name's extension must agree with the content,
because downloads take their Content-Type from it. Office files (DOCX, XLSX) are zip archives:
they must hold the part that makes them that kind of document, and an archive that would expand
too far (a zip bomb) is refused from its directory before anything is decompressed.

Accepted files keep a sanitised name: no folders, no control or invisible formatting characters
(a right-to-left override, U+202E, can make "report<RLO>fdp.exe" read as "reportexe.pdf"),
and a bounded length. The name is only ever shown and offered as the download's name: on disk
each file is stored under a name the storage makes safe, under MEDIA_ROOT, which no URL serves.

Every Office file, wherever it is uploaded (report drafts, agency summaries, panel minutes,
action evidence, chronology imports), passes one check, `office_problem`, because the people
who download it open it in Word or Excel. It is refused, saying why, when it holds:
- macros: a part named vba* (vbaProject.bin, vbaData.xml) or a macro-enabled content type;
- a relationship to anything outside the file (TargetMode="External": an attached template on a
  server, a link to another workbook, a linked picture or object), which Office fetches when
  the file is opened. Ordinary hyperlinks are the exception: they are external too, but only
  text a reader chooses to follow, and reports are full of them. Linked-workbook parts
  (xl/externalLinks/, which also carry DDE links) are refused whatever their relationships say;
- an embedded OLE object or an ActiveX control (a program or another file inside it); embedded
  Office packages (the data behind a chart) are allowed, and checked as the file itself is;
- XML with a DOCTYPE (Office never writes one; entity tricks need one), or a part that cannot
  be parsed. [Content_Types].xml and every .rels part are parsed whole with defusedxml; every
  other XML part is parsed only up to its first element, as the DOCTYPE must come before it, so
  a large sheet is never loaded into memory here."""

import hashlib
import io
import os
import re
import unicodedata
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
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
    zip bomb, a damaged archive or an Office file carrying what `office_problem` refuses."""
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        file.seek(0)
        return ""
    try:
        problem = archive_problem(members)
        if problem:
            raise ArchiveRefused(problem)
        names = {member.filename for member in members}
        kind = next((ext for ext, part in _OFFICE_PARTS.items() if part in names), "")
        problem = office_problem(archive, kind) if kind else ""
        if problem:
            raise ArchiveRefused(problem)
        return kind
    finally:
        archive.close()
        file.seek(0)


# --- What must not travel inside an Office file ----------------------------------------------

# What each kind is called, and the program that writes it.
_OFFICE_NAMES = {".docx": ("a Word document", "Word"), ".xlsx": ("an Excel workbook", "Excel")}
# [Content_Types].xml and .rels parts are small; anything larger is not a real one.
MAX_PACKAGE_XML_BYTES = 5 * 1024 * 1024
_MACRO_TYPES = re.compile(r"macroenabled|vbaproject|vbadata", re.IGNORECASE)
_EMBEDDED_TYPES = re.compile(r"oleobject|activex", re.IGNORECASE)
# The last word of a relationship's Type.
_EMBEDDED_RELATIONSHIPS = {"oleobject", "control", "activexcontrol", "activexcontrolbinary"}
_LINKED = {
    "attachedtemplate": "a template",
    "externallinkpath": "another workbook",
    "externallink": "another workbook",
    "image": "a picture",
    "oleobject": "an object",
    "subdocument": "another document",
    "frame": "a web page",
}
_DAMAGE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError)


def office_problem(archive: zipfile.ZipFile, kind: str = "") -> str:
    """Why an Office package must not be accepted, in words for the person who uploaded it
    ("it contains macros. Save it as..."), or "" when it may be. Call it only on an archive
    `archive_problem` has passed: it decompresses parts. `kind` (".docx" or ".xlsx") names
    the document in the message; by default it is decided by the package's parts."""
    names = archive.namelist()
    kind = kind or next((ext for ext, part in _OFFICE_PARTS.items() if part in names), ".xlsx")
    try:
        _refuse_unsafe_package(archive, kind, embedded=False)
    except ArchiveRefused as refused:
        return str(refused)
    except _DAMAGE:
        return _damaged(kind, "")
    return ""


def _refuse_unsafe_package(archive: zipfile.ZipFile, kind: str, *, embedded: bool) -> None:
    names = archive.namelist()
    _refuse_unsafe_parts(names, kind)
    _refuse_unsafe_content_types(archive, names, kind)
    for name in names:
        lowered = name.lower()
        if lowered.endswith(".rels"):
            _refuse_unsafe_relationships(archive, name, kind)
        elif lowered.endswith(".xml"):
            _refuse_doctype(archive, name, kind)
        elif "/embeddings/" in lowered:
            _refuse_unsafe_embedded_package(archive, name, kind, nested=embedded)


def _refuse_unsafe_embedded_package(
    archive: zipfile.ZipFile, name: str, kind: str, *, nested: bool
) -> None:
    """An Office package inside the file (a chart's data) is checked as the file is: Office
    opens it when the chart is edited. One inside that is more than any real document holds."""
    with archive.open(name) as part:
        if part.read(4) != b"PK\x03\x04":
            return
    if nested:
        raise _embedded(kind)
    # The outer archive's checks bound the part's size; its own directory is judged too.
    with zipfile.ZipFile(io.BytesIO(archive.read(name))) as package:
        if archive_problem(package.infolist()):
            raise ArchiveRefused(_damaged(kind, name))
        if "[Content_Types].xml" not in package.namelist():
            raise _embedded(kind)  # a zip of other files, not an Office package
        _refuse_unsafe_package(package, kind, embedded=True)


def _macros(kind: str) -> ArchiveRefused:
    document = _OFFICE_NAMES.get(kind, _OFFICE_NAMES[".docx"])[0]
    return ArchiveRefused(
        f"it contains macros. Save it as {document} without macros ({kind}) and upload it again"
    )


def _embedded(kind: str) -> ArchiveRefused:
    program = _OFFICE_NAMES.get(kind, _OFFICE_NAMES[".docx"])[1]
    return ArchiveRefused(
        "it contains an embedded object or control (a program or another file inside it). "
        f"Remove it, save the file again in {program} and upload it again"
    )


def _linked(what: str, kind: str) -> ArchiveRefused:
    program = _OFFICE_NAMES.get(kind, _OFFICE_NAMES[".docx"])[1]
    return ArchiveRefused(
        f"it is linked to {what} kept outside the file, which {program} would fetch when the "
        "file is opened. Remove the link, save the file again and upload it again"
    )


def _doctype(kind: str) -> ArchiveRefused:
    program = _OFFICE_NAMES.get(kind, _OFFICE_NAMES[".docx"])[1]
    return ArchiveRefused(
        f"it contains a DOCTYPE declaration, which {program} never writes. Save it again from "
        f"{program} and upload it again"
    )


def _damaged(kind: str, part: str) -> str:
    program = _OFFICE_NAMES.get(kind, _OFFICE_NAMES[".docx"])[1]
    where = f"part of it ({part})" if part else "part of it"
    return f"{where} is damaged. Save it again from {program} and upload it again"


def _refuse_unsafe_parts(names: list[str], kind: str) -> None:
    for name in names:
        *folders, last = name.lower().split("/")
        if last.startswith(("vbaproject", "vbadata")) or any(f.startswith("vba") for f in folders):
            raise _macros(kind)
        if last.startswith("activex") or "activex" in folders:
            raise _embedded(kind)
        if "embeddings" in folders and (last.startswith("oleobject") or last.endswith(".bin")):
            raise _embedded(kind)
        if "externallinks" in folders:
            raise _linked("another workbook", kind)


def _refuse_unsafe_content_types(archive: zipfile.ZipFile, names: list[str], kind: str) -> None:
    if "[Content_Types].xml" not in names:
        raise ArchiveRefused(_damaged(kind, "[Content_Types].xml is missing"))
    for element in _parse_whole(archive, "[Content_Types].xml", kind).iter():
        content_type = element.get("ContentType", "")
        if _MACRO_TYPES.search(content_type):
            raise _macros(kind)
        if _EMBEDDED_TYPES.search(content_type):
            raise _embedded(kind)


def _refuse_unsafe_relationships(archive: zipfile.ZipFile, name: str, kind: str) -> None:
    for element in _parse_whole(archive, name, kind).iter():
        if not str(element.tag).endswith("Relationship"):
            continue
        last = element.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()
        if "vba" in last:
            raise _macros(kind)
        if last in _EMBEDDED_RELATIONSHIPS or last.startswith("activex"):
            raise _embedded(kind)
        external = element.get("TargetMode", "").lower() == "external"
        if external and last != "hyperlink":
            raise _linked(_LINKED.get(last, "something"), kind)


def _parse_whole(archive: zipfile.ZipFile, name: str, kind: str):
    with archive.open(name) as part:
        raw = part.read(MAX_PACKAGE_XML_BYTES + 1)
    if len(raw) > MAX_PACKAGE_XML_BYTES:
        raise ArchiveRefused(_damaged(kind, name))
    try:
        return SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise _doctype(kind) from None
    except ParseError:
        raise ArchiveRefused(_damaged(kind, name)) from None


def _refuse_doctype(archive: zipfile.ZipFile, name: str, kind: str) -> None:
    """Parse the part up to its first element: a DOCTYPE can only come before it. The part is
    streamed, so only its first chunk is decompressed."""
    with archive.open(name) as part:
        try:
            for _event in SafeET.iterparse(part, events=("start",), forbid_dtd=True):
                return
        except DefusedXmlException:
            raise _doctype(kind) from None
        except ParseError:
            raise ArchiveRefused(_damaged(kind, name)) from None
    raise ArchiveRefused(_damaged(kind, name))


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


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def last_row_in_sheet_xml(data: bytes, path: str | None) -> int | None:
    """The number of the sheet's last row, read from its XML independently of openpyxl: the
    safety net that refuses an import when the reader stopped short. None if the part cannot
    be found (the check then cannot be made, and the import is refused)."""
    if not path:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    last = 0
    for match in _ROW_TAG.finditer(xml):
        number = _ROW_NUMBER.search(match[1])
        last = int(number[1]) if number else last + 1
    return last
