"""Spreadsheets that expand (issue 11 item 2) and archives that explode are refused as they
stream, quickly and in little memory; the real national file's size and shape still pass."""

import io
import tracemalloc
import zipfile

import pytest

from crime_stats.importers.readers import UnreadableFile, read_sheets
from crime_stats.importers.readers.archive import open_archive
from crime_stats.importers.readers.rows import Limits
from tests.crime_stats.publication_files import (
    MIMETYPE,
    OFFICE,
    publication_ods,
    sample_rows,
    year_sheets,
)


def _read_all(content: bytes) -> int:
    rows = 0
    for sheet in read_sheets(content):
        rows += sum(len(chunk) for chunk in sheet.chunks)
    return rows


def _refused(content: bytes) -> str:
    """Return the reader's message for a file it must refuse, checking it stayed small."""
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as error:
            _read_all(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"{peak:,} bytes allocated"
    return str(error.value)


def _ods(table_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0"?><office:document-content {OFFICE}><office:body>'
            f'<office:spreadsheet><table:table table:name="2025_26">{table_xml}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>",
        )
    return buffer.getvalue()


def _xlsx(cells: dict[str, str]) -> bytes:
    """Return a minimal workbook whose one sheet holds `cells` (reference -> number)."""
    from openpyxl import Workbook

    book = Workbook()
    for reference, value in cells.items():
        book.active[reference] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _float(repeat: int = 1) -> str:
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )


def test_a_2kb_ods_of_100000_repeated_rows_of_100_columns_is_refused():
    content = _ods(
        f'<table:table-row table:number-rows-repeated="100000">{_float(100)}</table:table-row>'
    )
    assert len(content) < 2048

    assert _refused(content) == (
        "Sheet '2025_26', row 1 is repeated 100,000 times; a table of figures has no run of "
        "more than 1,000 identical rows. Check the sheet and save it again."
    )


def test_an_ods_cell_past_the_column_limit_is_refused():
    row = f'<table:table-row><table:table-cell table:number-columns-repeated="5000"/>{_float()}'

    assert _refused(_ods(row + "</table:table-row>")) == (
        "Sheet '2025_26', row 1 has a cell in column 5,001; at most 1,000 columns are "
        "accepted. Delete what lies right of the table and save the file again."
    )


@pytest.mark.parametrize("reference", ["XFD1", "XFD1048576"])
def test_a_small_xlsx_with_a_cell_in_column_xfd_is_refused(reference):
    content = _xlsx({"A1": "CSP", reference: 1})
    assert len(content) < 16 * 1024

    assert "has a cell in column 16,384; at most 1,000 columns are accepted" in _refused(content)


def test_a_small_xlsx_reaching_row_1048576_reads_its_two_rows_in_little_memory():
    # (Before the streaming reader this file was a MemoryError; calamine's one-column block of
    # a million empty cells is a few MB, outside tracemalloc's view, so only the rows are checked.)
    content = _xlsx({"A1": "CSP", "B1": "2019", "A1048576": "Leicester", "B1048576": 5})
    sheet = next(read_sheets(content))  # sheets stream: take one, read it, then the next

    assert sheet.header == ["CSP", "2019"]
    assert [chunk.to_dict("index") for chunk in sheet.chunks] == [
        {1_048_576: {0: "Leicester", 1: "5"}}
    ]


def test_rows_past_the_limit_are_refused_as_they_stream(settings):
    settings.IMPORT_MAX_ROWS = 50
    content = publication_ods(year_sheets(sample_rows()))  # 9 notes + 2 × 37 rows

    assert _refused(content) == (
        "The file has more than 50 rows (sheet '2022_23' reaches row 7): split it, for example "
        "one file per financial year."
    )


def test_the_default_limits_admit_a_million_rows_of_nine_cells_in_five_sheets():
    limits = Limits()
    for sheet in ("2021_22", "2022_23", "2023_24", "2024_25", "2025_26"):
        limits.count(sheet, 200_001, 200_000, 200_000 * 9)

    assert (limits.rows_seen, limits.cells_seen) == (1_000_000, 9_000_000)


def test_the_limits_admit_the_national_file_with_its_repeated_empties():
    # Every row of the sample is padded to column XFD and each sheet to row 1,048,576, as
    # LibreOffice saves the real file; that costs nothing against the limits.
    assert (
        _read_all(publication_ods(year_sheets(sample_rows()))) == 6 + 72
    )  # notes below the title, and every data row


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<x>" + b" " * size + b"</x>")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_unpacked():
    message = _refused(_bomb(50 * 1024 * 1024))

    assert message.startswith("The spreadsheet's part 'content.xml' unpacks to 1,0")
    assert "times its packed size; at most 200 times is accepted" in message


def test_a_part_that_lies_about_its_size_is_refused_as_damaged():
    content = bytearray(_bomb(4 * 1024 * 1024))
    # Claim 1 KB unpacked in content.xml's local header and its central directory entry.
    local = content.find(b"content.xml") - 30
    central = content.rfind(b"content.xml") - 46
    assert content[local : local + 4] == b"PK\x03\x04"
    assert content[central : central + 4] == b"PK\x01\x02"
    content[local + 22 : local + 26] = (1024).to_bytes(4, "little")
    content[central + 24 : central + 28] = (1024).to_bytes(4, "little")

    assert "The spreadsheet's part 'content.xml' is damaged" in _refused(bytes(content))


def test_the_national_files_size_passes_the_archive_guards(settings):
    """About 50 MB packed, 1.4 GB of XML: under the 2 GB cap and at about 28:1."""
    member = zipfile.ZipInfo("content.xml")
    member.file_size, member.compress_size = 1_400_000_000, 50_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", MIMETYPE)
    fake = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    fake.filelist.append(member)

    from crime_stats.importers.readers import archive as guards

    guards._refuse_size(sum(m.file_size for m in fake.filelist))
    guards._refuse_ratio(member, member.file_size)
    assert open_archive(publication_ods(year_sheets(sample_rows())))
