"""partnership sits above actions and crime_stats: nothing below imports it, and it imports
nothing from the top floor (slp_portal)."""

import ast
from pathlib import Path

from django.conf import settings

BELOW = ["accounts", "lib", "generations", "exports", "crime_stats", "priorities", "actions"]


def imported_packages(app: str) -> list[tuple[Path, str]]:
    """Return (file, top-level package) for every import in the app's modules."""
    found = []
    for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((path, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                found += [(path, alias.name.split(".")[0]) for alias in node.names]
    return found


def test_no_lower_floor_imports_partnership():
    offenders = [
        f"{path}"
        for app in BELOW
        for path, package in imported_packages(app)
        if package == "partnership"
    ]
    assert offenders == []


def test_partnership_imports_nothing_from_the_top_floor():
    assert [
        str(p) for p, package in imported_packages("partnership") if package == "slp_portal"
    ] == []
