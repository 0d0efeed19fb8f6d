"""Checks on uploaded documents: the kind is decided by the file's first bytes, not its name,
and only kinds on the allowlist are accepted."""

import hashlib
import os
import zipfile

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The first bytes of each kind of document we accept; a DOCX is a zip archive.
DOCUMENT_KINDS = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def check_document(file, *, label: str, max_bytes: int = MAX_DOCUMENT_BYTES):
    """Refuse an empty, oversized or non-PDF/DOCX upload with a message naming the field."""
    if file.size == 0:
        raise ValidationError(f"The {label} is empty")
    if file.size > max_bytes:
        raise ValidationError(f"The {label} must be smaller than {max_bytes // (1024 * 1024)} MB")
    extension = os.path.splitext(file.name)[1].lower()
    head = file.read(8)
    file.seek(0)
    magic = DOCUMENT_KINDS.get(extension, (None,))[0]
    if magic is None or not head.startswith(magic):
        raise ValidationError(f"The {label} must be a PDF or a Word (DOCX) document")
    return file


def document_content_type(file_name: str) -> str:
    """The Content-Type of a stored document, by the kind checked when it was uploaded."""
    extension = os.path.splitext(file_name)[1].lower()
    return DOCUMENT_KINDS.get(extension, (None, "application/octet-stream"))[1]


# --- evidence files (action plans) ------------------------------------------------------------

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Evidence of progress, completion and impact: reports, spreadsheets of audit results, survey
# exports and photographs of posters or leaflets. Each kind is recognised by its content; the
# name's extension must agree, because downloads take their Content-Type from it.
EVIDENCE_KINDS = {
    ".pdf": "application/pdf",
    ".docx": DOCUMENT_KINDS[".docx"][1],
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
EVIDENCE_ALLOWED = "a PDF, Word (DOCX), Excel (XLSX), CSV, PNG or JPEG file"
# The part every Office Open XML package of that kind holds.
_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def _evidence_kind(file) -> str:
    """The extension matching the file's content, or "" when it is none we accept."""
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return ""
        finally:
            file.seek(0)
        return next((ext for ext, part in _OFFICE_PARTS.items() if part in names), "")
    content = file.read()
    file.seek(0)
    if b"\x00" in content:
        return ""
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
    return ".csv"


def check_evidence(file, *, label: str, max_bytes: int = MAX_EVIDENCE_BYTES):
    """Refuse an empty, oversized or unrecognised evidence file with a message naming the
    field; the kind is decided by the content and the name's extension must agree with it."""
    if file.size == 0:
        raise ValidationError(f"The {label} is empty")
    if file.size > max_bytes:
        raise ValidationError(f"The {label} must be smaller than {max_bytes // (1024 * 1024)} MB")
    extension = os.path.splitext(file.name)[1].lower()
    kind = _evidence_kind(file)
    if extension not in EVIDENCE_KINDS or not kind:
        raise ValidationError(f"The {label} must be {EVIDENCE_ALLOWED}")
    if EVIDENCE_KINDS[extension] != EVIDENCE_KINDS[kind]:
        raise ValidationError(
            f"The {label} is not what its name says: its content is not a {extension[1:].upper()}"
            " file"
        )
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
