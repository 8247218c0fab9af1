"""The comparison page: the plan's MSG table for any group, period and category."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crime_stats.comparison_export import comparison_json, comparison_sheet
from crime_stats.national import FUNNEL_METHODS
from crime_stats.panel import CrimePanel, crime_panel
from crime_stats.query_string import UNKNOWN_FORMAT, NotFound
from crime_stats.selectors import TableRow
from crime_stats.views.not_found import selection_not_found
from exports.tables import csv_response, xlsx_response

FORMATS = ("html", "json", "csv", "xlsx")
SORTS = {
    "csp": lambda line: line.row.csp,
    "rate": lambda line: line.row.rate,
    "position": lambda line: line.row.position,
    "change": lambda line: line.row.change,
    "change_pct": lambda line: line.row.change_pct,
}


@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    output = request.GET.get("format", "html")
    try:
        if output not in FORMATS:
            raise NotFound(UNKNOWN_FORMAT.format(output))
        panel = crime_panel(request.GET)
    except NotFound as problem:
        return selection_not_found(request, problem, page="comparison", as_json=output == "json")
    # Every figure the answer writes is written as the table writes it (one or two places).
    with panel.precision():
        return _answer(request, panel, output)


def _answer(request: HttpRequest, panel: CrimePanel, output: str) -> HttpResponse:
    selection, table = panel.selection, panel.table
    if output == "json":
        return JsonResponse(
            comparison_json(
                table,
                selection.periods,
                narrative=panel.narrative,
                national=panel.national,
                spc=panel.spc,
            )
        )
    filename = f"msg-comparison-{selection.period.slug}"
    if output in ("csv", "xlsx"):
        header, rows = comparison_sheet(table)
        if output == "csv":
            return csv_response(filename, header, rows)
        return xlsx_response(filename, header, rows, sheet="MSG comparison")
    sort = request.GET.get("sort", "position")
    return render(
        request,
        "crime_stats/comparison.html",
        {
            "panel": panel,
            "selection": selection,
            "table": table,
            "rows": _sorted(table.rows, sort),
            "sort": sort,
            "headers": _sort_headers(request, sort),
            "downloads": {f: _with(request, format=f) for f in ("csv", "xlsx", "json")},
            "funnel_links": {m: _with(request, funnel=m) for m in FUNNEL_METHODS},
        },
    )


def _sorted(rows: list[TableRow], sort: str) -> list[TableRow]:
    """Return the rows sorted by a column (`-` first for descending); figures missing go last."""
    key = SORTS.get(sort.removeprefix("-"))
    if key is None:
        return rows
    present = [line for line in rows if key(line) is not None]
    absent = [line for line in rows if key(line) is None]
    return sorted(present, key=key, reverse=sort.startswith("-")) + absent


def _with(request: HttpRequest, **changes: str) -> str:
    """Return the page's query string with `changes` applied, the selection kept."""
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


def _sort_headers(request: HttpRequest, sort: str) -> dict[str, dict[str, str]]:
    """Return, per sortable column, the link that sorts by it and its `aria-sort` state.

    A second click on the sorted column reverses it; `aria-sort` tells screen readers which
    column orders the table and which way.
    """
    headers = {}
    for column in SORTS:
        if sort == column:
            headers[column] = {"url": _with(request, sort=f"-{column}"), "aria": "ascending"}
        elif sort == f"-{column}":
            headers[column] = {"url": _with(request, sort=column), "aria": "descending"}
        else:
            headers[column] = {"url": _with(request, sort=column), "aria": "none"}
    return headers
