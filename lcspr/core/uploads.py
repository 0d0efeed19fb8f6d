"""Checks on uploaded documents: the kind is decided by the file's first bytes, not its name,
and only kinds on the allowlist are accepted."""

import os

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
