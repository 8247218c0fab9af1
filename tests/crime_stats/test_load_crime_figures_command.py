"""The command: same checks as the page, exit status 1 and a row report when anything is wrong."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crime_stats.models import CrimeFigure, ImportBatch

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_crime_figures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_bad_rows_exit_with_status_1_and_a_report_by_row(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("CSP,2019\nLeicester,abc\nLeicster,5\n", encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command(
            "load_crime_figures", str(path), "--span", "April-December", stdout=StringIO(),
            stderr=err,
        )  # fmt: skip

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "2 problems; nothing was written. Fix the file and load it again (or "
        "--skip-unknown-csps to leave out CSPs not in the portal)."
    )
    assert err.getvalue().splitlines() == [
        "row 2, column '2019': 'abc' is not a number: give the crimes per 1,000 as a number "
        "such as 77.7",
        "row 3, column 'CSP': 'Leicster' is not a CSP in the portal: did you mean "
        "'Leicestershire - Leicester'? Correct the name, add the CSP in the administration "
        "pages, or confirm the import with the CSPs that are not in the portal skipped (1 rows)",
    ]
    assert not ImportBatch.objects.filter(file_name="figures.csv").exists()


def test_a_good_file_commits_and_reports_counts(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("CSP,2019\nLeicester,101.5\nAtlantis,5\n", encoding="utf-8")

    out, err = _run(str(path), "--span", "April-December", "--skip-unknown-csps")

    batch = ImportBatch.objects.get(file_name="figures.csv")
    assert out.splitlines()[:3] == [
        f"{path}: wide layout, 2 rows read; 1 figures to create, 0 to revise, 0 unchanged.",
        "New periods: April–December 2019.",
        "Skipped 1 rows of 1 CSPs that are not in the portal.",
    ]
    assert f"Committed as import batch {batch.pk}" in out
    assert err == ""
    assert (batch.rows_created, batch.rows_skipped, batch.options["span"]) == (
        1, 1, "April-December",
    )  # fmt: skip
    assert str(CrimeFigure.objects.get(batch=batch).rate) == "101.500"


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("CSP,2019\nLeicester,101.5\n", encoding="utf-8")
    figures = CrimeFigure.objects.count()

    out, _err = _run(str(path), "--span", "April-December", "--dry-run")

    assert out.splitlines()[-1] == "Dry run: nothing was written."
    assert CrimeFigure.objects.count() == figures
    assert not ImportBatch.objects.filter(file_name="figures.csv").exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "nowhere.csv"))


def test_a_bad_period_for_a_file_without_a_period_column_is_reported_with_status_1(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("CSP,Category,Rate\nLeicester,All crime,5\n", encoding="utf-8")
    err = StringIO()
    batches = ImportBatch.objects.count()

    with pytest.raises(CommandError) as failure:
        call_command(
            "load_crime_figures", str(path), "--period", "nonsense", stdout=StringIO(), stderr=err
        )

    assert failure.value.returncode == 1
    assert str(failure.value).startswith("1 problems; nothing was written. Fix the file")
    assert err.getvalue().splitlines() == [
        "column 'Period': the period given on upload: `nonsense` is not a period: name a "
        "period as `April–December 2018`, a financial year as `2018/19`, or a bare year such "
        "as `2018` with the span chosen on upload"
    ]
    assert ImportBatch.objects.count() == batches


def test_a_database_outage_mid_write_leaves_nothing_and_says_to_load_again(tmp_path, monkeypatch):
    from django.db import OperationalError

    from crime_stats.importers import batches

    path = tmp_path / "figures.csv"
    path.write_text("CSP,2019\nLeicester,101.5\n", encoding="utf-8")
    figures_before = CrimeFigure.objects.count()

    def connection_lost(*args, **kwargs):
        # After the figures are written inside the transaction, as when PostgreSQL stops.
        raise OperationalError("server closed the connection unexpectedly\nmore detail")

    monkeypatch.setattr(batches, "record_history", connection_lost)
    with pytest.raises(CommandError) as failure:
        _run(str(path), "--span", "April-December")

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "The database stopped answering during the import (server closed the connection "
        "unexpectedly). Nothing was written: the import is one transaction, rolled back. Load "
        "the file again once the database is back."
    )
    assert CrimeFigure.objects.count() == figures_before
    assert not ImportBatch.objects.filter(file_name="figures.csv").exists()

    monkeypatch.undo()
    out, _ = _run(str(path), "--span", "April-December")
    assert "1 figures to create" in out
    assert ImportBatch.objects.filter(file_name="figures.csv", rows_created=1).exists()
