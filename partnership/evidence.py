"""Evidence documents for duties, checked with the same guards as data files.

Size (`IMPORT_MAX_UPLOAD_BYTES`), the file's name reduced to a label, archives checked for zip
bombs before anything is unpacked, a name that disagrees with the content refused, and binary
files that are not a known kind refused: all from `crime_stats.importers.readers`.
"""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile

from crime_stats.importers.readers import (
    CSV,
    UnreadableFile,
    check_kind_matches_name,
    check_size,
    check_text,
    safe_file_name,
    sniff_kind,
)

PDF_SIGNATURE = b"%PDF-"
NOT_A_PDF = "The file is named .pdf but is not a PDF: check it is the file you meant."
ACCEPTED = "PDF, Excel (XLSX), OpenDocument spreadsheet (ODS), CSV or plain text"


class Evidence:
    """A checked evidence file: its safe name, bytes and SHA-256."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.content = content
        self.sha256 = hashlib.sha256(content).hexdigest()


def checked_evidence(upload: UploadedFile) -> Evidence:
    """Return the upload as evidence, or raise UnreadableFile saying what is wrong with it."""
    check_size(upload.size)
    name = safe_file_name(upload.name or "")
    content = upload.read()
    if content.startswith(PDF_SIGNATURE):
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        return Evidence(name, content)
    if name.lower().endswith(".pdf"):
        raise UnreadableFile(NOT_A_PDF)
    kind = sniff_kind(content)
    if kind == CSV:
        try:
            check_text(content)
        except UnreadableFile as problem:
            raise UnreadableFile(f"{problem} Evidence may be a {ACCEPTED} file.") from problem
    check_kind_matches_name(kind, name)
    return Evidence(name, content)
