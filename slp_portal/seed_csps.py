"""Every CSP of England and Wales, the districts each covers and other publishers' spellings.

Read from the ONS LAD → CSP → PFA lookups committed under `fixtures/external/` (see its
SOURCES.md):

- 2017: the ONS lookup of January 2017, the CSPs the Home Office still publishes by (its
  2025/26 CSP file names the same 314 CSPs, four of them spelt differently: the aliases);
- 2021: the 2021-era lookup (a district merged in 2019–2021, such as Buckinghamshire, is listed
  under each CSP it spans, so it is marked shared);
- 2023: the 2021 lookup with the districts abolished on 1 April 2023 (Cumbria's six, North
  Yorkshire's seven, Somerset's four) replaced by their successors, as mySociety's local
  authority table records them (`end-date` 2023-04-01 and `replaced-by`). Cumberland and
  Westmorland and Furness each span three CSPs (shared); North Yorkshire and Somerset each lie
  wholly in the CSP of the same name.

Everything is found by its natural key and written only when it differs, in a few bulk
queries, so a second `load_seed` writes nothing.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings

from crime_stats.models import CSP, CSPAlias, LocalAuthority

EXTERNAL = Path(settings.BASE_DIR) / "fixtures" / "external"
SEED = Path(settings.BASE_DIR) / "fixtures" / "seed"
LOOKUP_2017 = EXTERNAL / "ons-lad17-csp17-pfa17-lookup.csv"
LOOKUP_2021 = EXTERNAL / "lad-to-csp-to-pfa21-lookup-macoj.csv"
MYSOCIETY = EXTERNAL / "uk-local-authorities-codes-pop2020-mysociety.csv"
ALIASES = SEED / "csp_aliases.csv"
REORGANISED_2023 = "2023-04-01"

SOURCE_2017 = "ONS LAD17-CSP17-PFA17 lookup, January 2017 (fixtures/external)"
SOURCE_2021 = "LAD-CSP-PFA 2021-era lookup (fixtures/external, macoj/crime-city)"
SOURCE_2023 = (
    "2021-era lookup with the districts abolished on 1 April 2023 replaced by their "
    "successors (mySociety local authority table: end-date, replaced-by)"
)


def _read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def lookup_rows() -> dict[int, list[tuple[str, str, str]]]:
    """Return lookup year -> (LAD code, LAD name, CSP code) rows, one per CSP a district spans."""
    rows_2017 = [(r["LAD17CD"], r["LAD17NM"], r["CSP17CD"]) for r in _read(LOOKUP_2017)]
    rows_2021 = [(r["lad-code"], r["lad-name"], r["csp-code"]) for r in _read(LOOKUP_2021, ";")]
    return {2017: rows_2017, 2021: rows_2021, 2023: _rows_2023(rows_2021)}


def _rows_2023(rows_2021: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    table = _read(MYSOCIETY)
    code_of = {r["local-authority-code"]: r["lad-code"] for r in table}
    name_of = {r["lad-code"]: r["nice-name"] for r in table}
    successor = {
        r["lad-code"]: code_of[r["replaced-by"]]
        for r in table
        if r["end-date"] == REORGANISED_2023 and r["replaced-by"] in code_of
    }
    csps_of: dict[str, set[str]] = defaultdict(set)
    for lad, _name, csp in rows_2021:
        csps_of[lad].add(csp)
    kept = [row for row in rows_2021 if row[0] not in successor]
    new: dict[str, set[str]] = defaultdict(set)
    for old, lad in successor.items():
        new[lad] |= csps_of.get(old, set())
    kept += [(lad, name_of[lad], csp) for lad, csps in sorted(new.items()) for csp in csps]
    return kept


def load_csps(counts: Counter) -> dict[str, CSP]:
    """Return every CSP by its ONS code, created or corrected from the 2017 lookup."""
    wanted = {r["CSP17CD"]: (r["PFA17NM"], r["CSP17NM"]) for r in _read(LOOKUP_2017)}
    existing = {csp.natural_key(): csp for csp in CSP.objects.all()}
    by_code = {csp.ons_code: csp for csp in existing.values() if csp.ons_code}
    new = []
    for code, (force, name) in sorted(wanted.items()):
        csp = existing.get((force, name)) or by_code.get(code)
        if csp is None:
            csp = CSP(force=force, name=name, ons_code=code)
            csp.full_clean(validate_unique=False)
            new.append(csp)
        elif (csp.force, csp.name, csp.ons_code) != (force, name, code):
            csp.force, csp.name, csp.ons_code = force, name, code
            csp.full_clean(validate_unique=False)
            csp.save(update_fields=["force", "name", "ons_code"])
            counts["CSPs updated"] += 1
    if new:
        CSP.objects.bulk_create(new)
        counts["CSPs created"] += len(new)
    return {csp.ons_code: csp for csp in CSP.objects.exclude(ons_code="")}


def load_local_authorities(counts: Counter, csps: dict[str, CSP]) -> None:
    """Create or correct every (district, CSP, lookup) row of the three lookups."""
    sources = {2017: SOURCE_2017, 2021: SOURCE_2021, 2023: SOURCE_2023}
    wanted = {}
    for year, rows in lookup_rows().items():
        spans = Counter(lad for lad, _name, _csp in rows)
        for lad, name, csp_code in rows:
            wanted[(lad, csps[csp_code].pk, year)] = (name, spans[lad] > 1, sources[year])
    existing = {
        (lad.code, lad.csp_id, lad.lookup_year): lad for lad in LocalAuthority.objects.all()
    }
    new, changed = [], []
    for key, (name, shared, source) in wanted.items():
        lad = existing.get(key)
        if lad is None:
            new.append(
                LocalAuthority(
                    code=key[0], csp_id=key[1], lookup_year=key[2], name=name, shared=shared,
                    source=source,
                )
            )  # fmt: skip
        elif (lad.name, lad.shared, lad.source) != (name, shared, source):
            lad.name, lad.shared, lad.source = name, shared, source
            changed.append(lad)
    LocalAuthority.objects.bulk_create(new)
    LocalAuthority.objects.bulk_update(changed, ["name", "shared", "source"])
    gone = [lad.pk for key, lad in existing.items() if key not in wanted]
    LocalAuthority.objects.filter(pk__in=gone).delete()
    for what, number in (("created", len(new)), ("updated", len(changed)), ("removed", len(gone))):
        if number:
            counts[f"local authority districts {what}"] += number


def load_aliases(counts: Counter) -> None:
    """Create or correct the Home Office's spellings of CSP names, each with its source."""
    for row in _read(ALIASES):
        csp = CSP.objects.get_by_natural_key(row["force"], row["name"])
        alias, created = CSPAlias.objects.get_or_create(
            csp=csp, name=row["alias"], defaults={"source": row["source"]}
        )
        if created:
            counts["CSP aliases created"] += 1
        elif alias.source != row["source"]:
            alias.source = row["source"]
            alias.save(update_fields=["source"])
            counts["CSP aliases updated"] += 1


def load_every_csp(counts: Counter) -> dict[str, CSP]:
    """Return every CSP by ONS code after loading CSPs, their districts and their aliases."""
    csps = load_csps(counts)
    load_local_authorities(counts, csps)
    load_aliases(counts)
    return csps
