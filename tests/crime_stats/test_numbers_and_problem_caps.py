"""Numbers are read only when unambiguous in UK notation; problems are capped per kind and quote
at most about 100 characters of a cell; a CSV quote never closed is a row-level problem."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from crime_stats.importers.records import NumberError, parse_count, parse_number, uk_counts
from crime_stats.models import ImportBatch
from tests.crime_stats.import_files import csv_bytes, plan_for, problem_texts


@pytest.mark.parametrize(
    ("text", "value"),
    [("1234", 1234), ("1,234", 1234), ("12,345,678", 12345678), ("1,234.50", Decimal("1234.5")),
     ("-1,234", -1234), ("0.5", Decimal("0.5")), (" 77.7 ", Decimal("77.7"))],
)  # fmt: skip
def test_uk_numbers_are_read(text, value):
    assert parse_number(text, "rate", "77.7") == value


@pytest.mark.parametrize("text", ["1,23", "12,34", "1,2345", ",123", "1,234,56", "1 234"])
def test_ambiguous_separators_are_refused_not_guessed(text):
    with pytest.raises(NumberError) as error:
        parse_number(text, "number of offences", "1234")
    assert str(error.value).startswith(repr(text.strip()))


def test_a_count_from_a_float_cell_is_whole_and_a_fraction_is_not():
    assert parse_count("1234.0", "number of offences") == 1234
    with pytest.raises(NumberError, match="is not a whole number"):
        parse_count("1234.5", "number of offences")
    counts = uk_counts(pd.Series(["1,234", "1234.0", "1,23", "12,34", "1.5", "", "x", "-2"]))
    assert counts.tolist()[:2] == [1234, 1234] and counts.tolist()[-1] == -2
    assert counts.isna().tolist() == [False, False, True, True, True, True, True, False]


@pytest.mark.django_db
def test_a_bad_separator_is_a_row_level_problem_naming_row_and_column():
    plan = plan_for(csv_bytes('CSP,Period,Offences,Population\nLeicester,2019/20,"1,23",350000\n'))

    assert problem_texts(plan) == [
        "row 2, column 'Offences': '1,23' is not a number in UK notation (commas only between "
        "groups of three digits, such as 1,234): give the number of offences as a number such "
        "as 1234"
    ]


@pytest.mark.django_db
def test_a_million_bad_rows_make_200_problems_and_a_count():
    rows = "".join(f"Leicester,2019/20,x{n}\n" for n in range(1_000))
    plan = plan_for(csv_bytes("CSP,Period,Rate\n" + rows))

    texts = problem_texts(plan)
    assert len(texts) == 201
    assert texts[0] == (
        "row 2, column 'Rate': 'x0' is not a number: give the crimes per 1,000 as a number "
        "such as 77.7"
    )
    assert texts[-1] == ("column 'Rate': … and 800 more rows with the same problem as row 2")


@pytest.mark.django_db
def test_a_huge_cell_is_quoted_in_at_most_about_100_characters():
    huge = "9" * 5_000_000 + "x"
    plan = plan_for(csv_bytes(f"CSP,Period,Rate\nLeicester,2019/20,{huge}\n"))

    (text,) = problem_texts(plan)
    assert len(text) < 300
    assert text.startswith("row 2, column 'Rate': '" + "9" * 100 + "'… (5,000,001 characters)")


UNCLOSED = b'CSP,Period,Rate\nLeicester,2019/20,5\nNottingham,"2019/20,6\nCoventry,2019/20,7\n'
UNCLOSED_PROBLEM = (
    'row 3: this row opens a quoted cell (") that is never closed, so the rest of the file '
    "would be read as one cell: close the quote or remove it"
)


@pytest.mark.django_db
def test_an_unclosed_quote_is_a_row_level_problem_on_the_upload_page(client_for, admin):
    response = client_for(admin).post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile("figures.csv", UNCLOSED), "category": "All crime"},
        follow=True,
    )

    assert response.status_code == 200
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.REJECTED
    assert {"row": 3, "message": UNCLOSED_PROBLEM.removeprefix("row 3: ")} in batch.errors
    assert "that is never closed" in response.content.decode()


@pytest.mark.django_db
def test_an_unclosed_quote_is_a_row_level_problem_in_the_command(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(UNCLOSED)
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_crime_figures", str(path), stdout=io.StringIO(), stderr=stderr)
    assert UNCLOSED_PROBLEM in stderr.getvalue()
