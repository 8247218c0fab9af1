"""Hostile files through the upload page and `load_crime_figures`: each gets a clear error,
its name is never trusted, and no figure or period changes."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from crime_stats.importers.readers import safe_file_name
from crime_stats.models import CrimeFigure, ImportBatch, ReportingPeriod

pytestmark = pytest.mark.django_db

GOOD_CSV = b"CSP,Period,Rate\nLeicester,April-December 2018,95.25\n"


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["CSP", "Period", "Rate"])
    book.active.append(["Leicester", "April-December 2018", "95.25"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A small archive that claims an XLSX's parts and unpacks past the (lowered) limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return buffer.getvalue()


def _expanding_ods() -> bytes:
    """2 KB that claims 100,000 rows of 100 filled columns (issue 11 item 2)."""
    from tests.crime_stats.publication_files import MIMETYPE, OFFICE

    cell = (
        '<table:table-cell table:number-columns-repeated="100" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml",
            f"<office:document-content {OFFICE}><office:body><office:spreadsheet>"
            '<table:table table:name="Sheet1"><table:table-row table:number-rows-repeated='
            f'"100000">{cell}</table:table-row></table:table></office:spreadsheet></office:body>'
            "</office:document-content>",
        )
    return buffer.getvalue()


def _xfd_xlsx() -> bytes:
    """16 KB with a cell at XFD1048576: a dense sheet of 17 billion cells to a naive reader."""
    book = Workbook()
    book.active["A1"] = "CSP"
    book.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
# (file name, content, the words the error must say)
HOSTILE_FILES = [
    ("figures.csv", _xlsx(), "named .csv but its content is an Excel (XLSX) file"),
    ("figures.xlsx", PNG, "The file is a PNG image, not a table of figures"),
    ("figures.xlsx", _zip_bomb(), "The spreadsheet unpacks to 3.0 MB; the limit is 1.0 MB"),
    ("figures.ods", GOOD_CSV, "named .ods but its content is a CSV file"),
    ("figures.xlsx", _ods_like(), "named .xlsx but its content is an OpenDocument (ODS) file"),
    ("figures.csv", b"", "The submitted file is empty"),  # the page's form refuses it
    ("figures.xlsx", b"", "The submitted file is empty"),
    ("figures.csv", b"\x00" * 4096, "The file is not text: it holds NUL bytes"),
    ("figures.csv", b"CSP,Period,Rate" + b"x" * 2_000_000, "is 2,000,004 characters long"),
    ("figures.csv", ",".join(f"c{i}" for i in range(10_000)).encode() + b"\n1\n", "10,000 columns"),
    (
        "figures.xlsx",
        b"PK\x03\x04 not really a zip",
        "looks like a spreadsheet archive but is damaged",
    ),
    ("expanding.ods", _expanding_ods(), "row 1 is repeated 100,000 times"),
    ("xfd.xlsx", _xfd_xlsx(), "has a cell in column 16,384; at most 1,000 columns"),
    ("unclosed.csv", GOOD_CSV + b'Leicester,"2019/20,5\n', "this row opens a quoted cell"),
    (
        "figures.csv",
        b'CSP,Period,Rate\n=HYPERLINK("http://evil.example"),April-December 2018,95\n',
        "=HYPERLINK(&quot;http://evil.example&quot;)",
    ),
]
IDS = [
    "xlsx-as-csv",
    "png-as-xlsx",
    "zip-bomb",
    "csv-as-ods",
    "ods-as-xlsx",
    "empty-csv",
    "empty-xlsx",
    "nul-bytes",
    "huge-line",
    "10000-columns",
    "broken-zip",
    "expanding-ods",
    "xfd-xlsx",
    "unclosed-quote",
    "formula-csp",
]


def _state() -> tuple:
    """Return what a hostile file must not change: every figure's values and the periods."""
    figures = sorted(CrimeFigure.objects.values_list("pk", "rate", "offences", "population"))
    return figures, sorted(ReportingPeriod.objects.values_list("pk", flat=True))


@pytest.fixture
def low_archive_limit(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024


@pytest.mark.parametrize(("name", "content", "error"), HOSTILE_FILES, ids=IDS)
def test_a_hostile_upload_is_refused_with_a_clear_error(
    client_for, admin, low_archive_limit, name, content, error
):
    before, last_batch = _state(), ImportBatch.objects.latest("pk").pk
    client = client_for(admin)
    response = client.post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile(name, content), "category": "All crime"},
        follow=True,
    )
    assert error in response.content.decode()
    batch = ImportBatch.objects.latest("pk")
    if not content:
        assert batch.pk == last_batch  # refused by the form: no batch at all
    else:
        # Recorded as the file's provenance; even a forced confirm loads nothing.
        client.post(reverse("data_confirm", args=[batch.pk]), {"skip_unknown_csps": "on"})
        batch.refresh_from_db()
        assert batch.status != ImportBatch.Status.COMMITTED
        assert batch.rows_created == batch.rows_updated == 0
    assert _state() == before


@pytest.mark.parametrize(("name", "content", "error"), HOSTILE_FILES, ids=IDS)
def test_the_command_refuses_the_same_files(tmp_path, low_archive_limit, name, content, error):
    before, batches = _state(), ImportBatch.objects.count()
    path = tmp_path / name
    path.write_bytes(content)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_crime_figures", str(path), stdout=io.StringIO(), stderr=stderr)
    expected = "The file is empty" if not content else error.replace("&quot;", '"')
    assert expected in stderr.getvalue()
    assert (_state(), ImportBatch.objects.count()) == (before, batches)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("..\\..\\Windows\\figures.csv", "figures.csv"),
        ("<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv"),
        ("figures\u202evsc.exe", "figuresvsc.exe"),
        ("..", "upload"),
    ],
)
def test_file_names_are_stored_as_base_names(name, stored):
    assert safe_file_name(name) == stored


def test_a_file_name_with_html_is_shown_escaped_and_without_its_path(client_for, admin):
    client = client_for(admin)
    name = '../../"><img src=x onerror=alert(1)>.csv'
    response = client.post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile(name, GOOD_CSV), "category": "All crime"},
        follow=True,
    )
    batch = ImportBatch.objects.latest("pk")
    # Django's upload parser already drops the path; the service keeps only a base name.
    assert batch.file_name == '"><img src=x onerror=alert(1)>.csv'
    listing = client.get(reverse("data_batches")).content.decode()
    for html in (response.content.decode(), listing):
        assert "<img src=x" not in html
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv" in html


def test_a_renamed_but_honest_file_still_loads(client_for, admin):
    """Content decides: an XLSX named .xlsx and a CSV with no extension both preview."""
    client = client_for(admin)
    for name, content in [("figures.xlsx", _xlsx()), ("figures", GOOD_CSV)]:
        client.post(
            reverse("data_upload"),
            {"file": SimpleUploadedFile(name, content), "category": "All crime"},
        )
        batch = ImportBatch.objects.latest("pk")
        assert (batch.status, batch.errors) == (ImportBatch.Status.PREVIEWED, [])
