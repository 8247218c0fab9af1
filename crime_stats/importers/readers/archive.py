"""Spreadsheet archives (XLSX and ODS are zip files) opened against zip bombs and hostile XML.

A member's declared size is only a claim, so each member is judged three ways: its declared
size and compression ratio before anything is decompressed, then the bytes it ACTUALLY
decompresses to, counted as they stream, against the same limits. The real Home Office file
(about 50 MB, 1.0–1.4 GB of XML, compressing about 25–60:1) passes; a zip bomb (deflate reaches
about 1,000:1) is refused at its first megabyte.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from django.conf import settings

from crime_stats.importers.readers.rows import UnreadableFile

STREAM_BLOCK = 1 << 20
# A DOCTYPE is the only way into entity expansion and external entities; spreadsheets have none.
DOCTYPE = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)


class ArchiveRefused(UnreadableFile):
    """An archive refused by a guard; the message says why and what to do."""


def megabytes(size: int) -> str:
    """Return a byte count as `1,234.5 MB`."""
    return f"{size / (1024 * 1024):,.1f} MB"


def _ratio_limit() -> int:
    return getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 200)


def _refuse_size(size: int) -> None:
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    if size > limit:
        raise ArchiveRefused(
            f"The spreadsheet unpacks to {megabytes(size)}; the limit is {megabytes(limit)}. "
            "Save it as CSV and load that."
        )


def _refuse_ratio(member: zipfile.ZipInfo, unpacked: int) -> None:
    ratio = unpacked / max(member.compress_size, 1)
    if unpacked > STREAM_BLOCK and ratio > _ratio_limit():
        raise ArchiveRefused(
            f"The spreadsheet's part {member.filename!r} unpacks to {ratio:,.0f} times its "
            f"packed size; at most {_ratio_limit():,} times is accepted (a spreadsheet "
            "compresses far less: this is a zip bomb or a damaged file). Save it as CSV and "
            "load that."
        )


def open_archive(content: bytes) -> zipfile.ZipFile:
    """Return the archive after the checks made before decompressing anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ArchiveRefused(
            "The file looks like a spreadsheet archive but is damaged: "
            "open it in Excel or LibreOffice and save it again."
        ) from error
    if len(members) > settings.IMPORT_MAX_ARCHIVE_MEMBERS:
        raise ArchiveRefused(
            f"The spreadsheet holds {len(members):,} parts; at most "
            f"{settings.IMPORT_MAX_ARCHIVE_MEMBERS:,} are accepted. Save it as CSV and load that."
        )
    _refuse_size(sum(member.file_size for member in members))
    for member in members:
        _refuse_ratio(member, member.file_size)
    return archive


def stream_member(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """Yield a member's bytes in blocks, counting what is really decompressed against the limits.

    The whole archive shares one budget (`IMPORT_MAX_UNCOMPRESSED_BYTES`), so a file cannot pass
    by spreading a bomb over many parts; a DOCTYPE at the start of XML is refused.
    """
    member = archive.getinfo(name)
    budget = getattr(archive, "_slp_unpacked", 0)
    unpacked = 0
    try:
        with archive.open(member) as stream:
            while block := stream.read(STREAM_BLOCK):
                if unpacked == 0 and name.endswith(".xml") and DOCTYPE.match(block):
                    raise ArchiveRefused(
                        f"The spreadsheet's part {name!r} declares a DOCTYPE, which no "
                        "spreadsheet needs (it can expand entities): save the file again from "
                        "Excel or LibreOffice."
                    )
                unpacked += len(block)
                archive._slp_unpacked = budget + unpacked  # type: ignore[attr-defined]
                _refuse_size(budget + unpacked)
                _refuse_ratio(member, unpacked)
                yield block
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        raise ArchiveRefused(
            f"The spreadsheet's part {name!r} is damaged ({error}): open the file in Excel or "
            "LibreOffice and save it again."
        ) from error


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Return a small member's bytes, decompressed under the same guards."""
    return b"".join(stream_member(archive, name))
