"""Benchmark: the chair's dashboard at national scale in PostgreSQL, served by gunicorn.

Builds, in the database named by DATABASE_URL (dropped and created afresh; its name must contain
`bench`), the seed and demo data and then a national-scale dataset with bulk operations:

- 300 CSPs (the 15 seed CSPs and 285 bench CSPs, forces named `Benchforce NN`), all members of a
  national comparison group focused on Leicester (named so that it is the dashboard's default),
  beside the seed's Leicester Most Similar Group;
- 12 April–December periods (2007 … 2018, the seed's three included) with a figure for every CSP,
  period and category (All crime and four offence groups);
- 2,000 actions over work-streams of the latest plan version's priorities, 50,000 progress
  updates (2% of them corrections of an earlier update).

Then it measures, in the same run:

- the SQL queries of one dashboard request on the demo data and at national scale (in process);
- under `gunicorn slp_portal.wsgi` (2 workers, production settings, static files collected and
  served compressed by whitenoise), signed in as the chair through the real sign-in form: the
  dashboard's and `/healthz`'s median and 95th-percentile response times and their throughput
  with 4 concurrent clients, the first dashboard view after a progress update and after a crime
  figure write (the cache misses) against a hit, with the workers sharing Redis, and the
  dashboard's total transfer on first load.

Run: DATABASE_URL=postgres://…/slp_bench_dashboard make bench-dashboard   (see bench/README.md)
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    PageParser,
    production_environment,
    request,
    sign_in,
    start_gunicorn,
    stop_gunicorn,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # this process only; gunicorn gets production settings

TOTAL_CSPS, FIRST_YEAR, LAST_YEAR = 300, 2007, 2018
TOTAL_ACTIONS, TOTAL_UPDATES, CORRECTED_SHARE = 2_000, 50_000, 50  # one update in 50 corrected
LEICESTER_GROUP = "Leicester Most Similar Group"  # the seed's MSG, left as it is
NATIONAL_GROUP = "All CSPs in England and Wales (bench)"  # sorts first: the dashboard's default
CATEGORIES = [
    "All crime", "Violence against the person", "Theft offences",
    "Criminal damage and arson", "Public order offences",
]  # fmt: skip
THREADS, WARM_UP, SEQUENTIAL = 4, 5, 40
PER_THREAD = {"/": 250, "/healthz": 250}  # throughput requests per client thread, alike
TIME_CAP = 30.0  # seconds: each measurement stops early rather than run longer than this
TARGET_RATIO, TARGET_BYTES = 0.30, 450_000
MISSES, TARGET_MISS = 7, 4.0  # writes per kind; the first view after a write within 4× a hit
# gunicorn's workers share the portal's cache through this Redis (a database of its own).
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def database_url() -> str:
    """Return DATABASE_URL, refusing anything but a PostgreSQL database named for benchmarks."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/dashboard.py needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME "
            "(see bench/README.md). It measures the portal as production runs it."
        )
    if "bench" not in urlsplit(url).path:
        sys.exit(
            f"bench/dashboard.py drops and recreates the database {urlsplit(url).path[1:]!r}; "
            "to protect real data it only runs on a database whose name contains 'bench'."
        )
    return url


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's database, connecting to the server's `postgres` database."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path[1:]
    connection = psycopg2.connect(parts._replace(path="/postgres").geturl())
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in ("DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}"):
            cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    connection.close()


CHAIR_TOTP_KEY = b"slp-bench-chair-key!"


def load_seed_and_demo() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    call_command("load_demo", verbosity=0)
    # The chair signs in with a second factor: give the chair a bench authenticator (the demo
    # one is only installed with DEBUG on).
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    chair = User.objects.get(username="chair")
    TOTPDevice.objects.filter(user=chair).delete()
    TOTPDevice.objects.create(user=chair, name="Bench", key=CHAIR_TOTP_KEY.hex(), confirmed=True)


def dashboard_queries(path: str = "/") -> int:
    """Return the number of SQL queries of one signed-in chair's dashboard request, in process."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    chair = User.objects.get(username="chair")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(chair)
    # Past the second factor, as the chair's real sign-in is.
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=chair).persistent_id
    session.save()
    client.get(path)  # the first request of a session warms caches the rest never redo
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return len(captured.captured_queries)


def build_crime_figures(rng: random.Random) -> None:
    """Add the bench CSPs, the national group, the earlier periods and every missing figure."""
    from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, GroupMembership
    from crime_stats.models import ReportingPeriod as Period

    seed_count = CSP.objects.count()
    CSP.objects.bulk_create(
        CSP(force=f"Benchforce {n // 10:02d}", name=f"Benchplace {n:03d}", ons_code=f"E229{n:05d}")
        for n in range(TOTAL_CSPS - seed_count)
    )
    csps = list(CSP.objects.all())
    leicester = CSP.objects.get(force="Leicestershire", name="Leicester")
    group = ComparisonGroup.objects.create(name=NATIONAL_GROUP, focus=leicester)
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, csp=csp, valid_from=datetime.date(FIRST_YEAR, 4, 1))
        for csp in csps
    )
    seeded = set(Period.objects.values_list("slug", flat=True))
    Period.objects.bulk_create(
        Period(slug=slug, label=f"April–December {year}", start=datetime.date(year, 4, 1),
               end=datetime.date(year, 12, 31))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        if (slug := f"apr-dec-{year}") not in seeded
    )  # fmt: skip
    periods = list(Period.objects.filter(start__year__gte=FIRST_YEAR))
    existing = set(CrimeFigure.objects.values_list("csp_id", "period_id", "category"))
    figures = []
    for csp in csps:
        population = rng.randrange(90_000, 1_100_000)
        for period in periods:
            for share, category in zip((1, 0.3, 0.35, 0.1, 0.08), CATEGORIES, strict=True):
                if (csp.pk, period.pk, category) in existing:
                    continue
                offences = int(population * rng.uniform(0.04, 0.12) * share)
                rate = (Decimal(offences * 1000) / population).quantize(Decimal("0.001"))
                figures.append(CrimeFigure(csp=csp, period=period, category=category, rate=rate,
                                           offences=offences, population=population))  # fmt: skip
    CrimeFigure.objects.bulk_create(figures, batch_size=5_000)


def build_delivery(rng: random.Random) -> None:
    """Add work-streams, allocations, actions and progress updates to the latest plan version."""
    from django.contrib.auth.models import User

    from actions.models import Action, ProgressUpdate, RagStatus, ReviewCadence
    from priorities.models import CrossCuttingTheme, FundingAllocation, Partner, PlanVersion
    from priorities.models import WorkStream as Stream

    version = PlanVersion.objects.order_by("-starts_on").first()
    priorities = list(version.priorities.all())
    users = list(User.objects.filter(username__in=["lead", "lead2", "owner", "lead_b", "lead_c"]))
    partners = list(Partner.objects.all())
    streams = Stream.objects.bulk_create(
        Stream(priority=priority, name=f"Bench work-stream {n}",
               strategic_lead=rng.choice(users), description="Benchmark work-stream.")
        for priority in priorities for n in range(5)
    )  # fmt: skip
    FundingAllocation.objects.bulk_create(
        FundingAllocation(work_stream=stream, financial_year=version.starts_on.year,
                          amount=Decimal(rng.randrange(5_000, 80_000)))
        for stream in streams
    )  # fmt: skip
    last_day = version.ends_on
    actions = []
    for n in range(TOTAL_ACTIONS - Action.objects.count()):
        start = version.starts_on + datetime.timedelta(days=rng.randrange(0, 180))
        due = min(last_day, start + datetime.timedelta(days=rng.randrange(30, 300)))
        actions.append(Action(
            work_stream=streams[n % len(streams)], title=f"Bench action {n:04d}",
            description="Benchmark action.", indicator="Referrals made", target=100, baseline=10,
            unit="referrals", owner=rng.choice(users), partner=rng.choice(partners),
            funding=Decimal(rng.randrange(0, 20_000)), start_date=start, due_date=due,
            review_cadence=rng.choice(ReviewCadence.values),
        ))  # fmt: skip
    actions = Action.objects.bulk_create(actions, batch_size=1_000)
    themes = list(CrossCuttingTheme.objects.all())
    Action.themes.through.objects.bulk_create(
        Action.themes.through(action_id=action.pk, crosscuttingtheme_id=rng.choice(themes).pk)
        for action in actions[::3]
    )
    wanted = TOTAL_UPDATES - ProgressUpdate.objects.count()
    corrections = wanted // CORRECTED_SHARE
    statuses = RagStatus.values
    per_action, extra = divmod(wanted - corrections, len(actions))
    originals = []
    for index, action in enumerate(actions):
        count = per_action + (index < extra)
        step = max(1, (last_day - action.start_date).days // count)
        for k in range(count):
            originals.append(ProgressUpdate(
                action=action, author=action.owner, status=rng.choice(statuses),
                reported_on=min(last_day, action.start_date + datetime.timedelta(k * step)),
                indicator_value=Decimal(k * 4), spend=Decimal(rng.randrange(0, 400)),
                narrative="Benchmark progress update.",
            ))  # fmt: skip
    originals = ProgressUpdate.objects.bulk_create(originals, batch_size=5_000)
    ProgressUpdate.objects.bulk_create(
        (ProgressUpdate(action_id=old.action_id, author_id=old.author_id, status=old.status,
                        reported_on=old.reported_on, corrects=old, spend=old.spend / 2,
                        indicator_value=old.indicator_value, narrative="Corrected spend.")
         for old in rng.sample(originals, corrections)),
        batch_size=5_000,
    )  # fmt: skip


def build_national_scale() -> dict[str, int]:
    """Return the counts of the national-scale dataset after building it with bulk inserts."""
    from django.db import connection, transaction

    from actions.models import Action, ProgressUpdate
    from crime_stats.models import CSP, CrimeFigure, ReportingPeriod

    rng = random.Random(2019)  # the same dataset every run
    with transaction.atomic():
        build_crime_figures(rng)
        build_delivery(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    return {
        "CSPs": CSP.objects.count(),
        "periods": ReportingPeriod.objects.count(),
        "crime figures": CrimeFigure.objects.count(),
        "actions": Action.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
    }


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    throughput: float  # requests per second with THREADS concurrent clients
    requests: int


def measure(path: str, cookies: dict[str, str]) -> Timing:
    """Return the path's sequential response times and its throughput with concurrent clients."""
    for _ in range(WARM_UP):
        request(path, cookies=cookies)
    times = []
    deadline = time.monotonic() + TIME_CAP
    while len(times) < SEQUENTIAL and time.monotonic() < deadline:
        start = time.perf_counter()
        reply = request(path, cookies=cookies)
        times.append(time.perf_counter() - start)
        if reply.status != 200:
            raise RuntimeError(f"{path} answered {reply.status}")
    done: list[int] = []
    deadline = time.monotonic() + TIME_CAP

    def client() -> None:
        count = 0
        while count < PER_THREAD[path] and time.monotonic() < deadline:
            if request(path, cookies=cookies).status == 200:
                count += 1
        done.append(count)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    cut = statistics.quantiles(times, n=20, method="inclusive")
    return Timing(statistics.median(times) * 1000, cut[18] * 1000, sum(done) / seconds, sum(done))


def write_progress_update(number: int) -> None:
    """Log a progress update as a lead would (the service the form calls)."""
    from django.contrib.auth.models import User

    from actions.models import Action
    from actions.services import progress_update_create

    action = Action.objects.order_by("pk")[number]
    progress_update_create(
        action=action,
        author=User.objects.get(username="admin"),
        reported_on=datetime.date(2020, 3, 31),
        status="green",
        narrative=f"Bench update {number}",
    )


def write_crime_figure(number: int) -> None:
    """Revise one crime figure of the dashboard's period (a history row records it)."""
    from crime_stats.models import CrimeFigure

    figure = CrimeFigure.objects.filter(category="All crime").order_by("-period__start", "pk")[
        number
    ]
    figure.rate += Decimal("0.001")
    figure.save()


def measure_misses(cookies: dict[str, str]) -> dict[str, float]:
    """Return, per kind of write, the median time of the first dashboard view after it (ms).

    Each write is made in this process, as the portal's own service or model would make it;
    the next request is the miss. The hit is measured separately (`measure`).
    """
    misses: dict[str, float] = {}
    for kind, write in (("progress update", write_progress_update),
                        ("crime figure write", write_crime_figure)):  # fmt: skip
        times = []
        for number in range(MISSES):
            write(number)
            start = time.perf_counter()
            reply = request("/", cookies=cookies)
            times.append(time.perf_counter() - start)
            if reply.status != 200:
                raise RuntimeError(f"/ answered {reply.status} after a {kind}")
            request("/", cookies=cookies)  # the other worker, if it had its own cache
        misses[kind] = statistics.median(times) * 1000
    return misses


def first_load(cookies: dict[str, str]) -> list[tuple[str, str, int]]:
    """Return (URL, Content-Encoding, bytes on the wire) of the dashboard and its CSS and JS."""
    accept = {"Accept-Encoding": "gzip, br"}
    page = request("/", cookies=cookies, headers=accept)
    parser = PageParser()
    body = page.body
    if page.headers.get("Content-Encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    parser.feed(body.decode())
    loads = [("/", page.headers.get("Content-Encoding", "none"), page.wire_bytes)]
    for url in parser.urls:
        reply = request(url, headers=accept)
        if reply.status != 200:
            raise RuntimeError(f"{url} answered {reply.status}")
        loads.append((url, reply.headers.get("Content-Encoding", "none"), reply.wire_bytes))
    return loads


def main() -> None:
    url = database_url()
    started = time.perf_counter()
    recreate_database(url)
    import django

    django.setup()
    load_seed_and_demo()
    demo_queries = dashboard_queries()
    counts = build_national_scale()
    scale_queries = dashboard_queries()
    leicester_queries = dashboard_queries("/?" + urlencode({"group": LEICESTER_GROUP}))
    print(f"dataset built in {time.perf_counter() - started:,.1f} s: "
          + ", ".join(f"{v:,} {k}" for k, v in counts.items()))  # fmt: skip
    from django.db import connections

    connections.close_all()
    environment = production_environment()
    environment.update(SLP_REDIS_URL=BENCH_REDIS, SLP_CACHE_PREFIX=f"bench-{os.getpid()}")
    server = start_gunicorn(environment)
    try:
        cookies = sign_in(
            "chair", os.environ.get("DEMO_PASSWORD") or "demo", totp_key=CHAIR_TOTP_KEY
        )
        dashboard = measure("/", cookies)
        trivial = measure("/healthz", cookies)
        misses = measure_misses(cookies)
        loads = first_load(cookies)
    finally:
        stop_gunicorn(server)
    report(dashboard, trivial, loads, (demo_queries, scale_queries, leicester_queries), misses)


def report(
    dashboard: Timing,
    trivial: Timing,
    loads: list,
    queries: tuple[int, int, int],
    misses: dict[str, float],
) -> None:
    """Print the figures, then the summary table with targets and PASS/FAIL."""
    print(f"\n{'request':<28}{'median':>10}{'p95':>10}{'req/s':>10}{'requests':>10}")
    for name, timing in (("/ (dashboard, 300 CSPs)", dashboard), ("/healthz", trivial)):
        print(f"{name:<28}{timing.median_ms:>8.1f}ms{timing.p95_ms:>8.1f}ms"
              f"{timing.throughput:>10.1f}{timing.requests:>10}")  # fmt: skip
    print("\nfirst load of the dashboard (Accept-Encoding: gzip, br):")
    for url, encoding, size in loads:
        print(f"  {url:<60}{encoding:>6}{size:>10,} bytes")
    total = sum(size for _, _, size in loads)
    ratio = dashboard.throughput / trivial.throughput
    demo, scale, leicester = queries
    rows = [
        ("dashboard median / p95", f"{dashboard.median_ms:,.0f} ms / {dashboard.p95_ms:,.0f} ms",
         "", None),
        ("throughput vs /healthz", f"{dashboard.throughput:,.1f} / {trivial.throughput:,.1f} "
         f"req/s = {ratio:.0%}", f">= {TARGET_RATIO:.0%}", ratio >= TARGET_RATIO),
        ("first-load transfer", f"{total / 1000:,.0f} KB", f"< {TARGET_BYTES // 1000} KB",
         total < TARGET_BYTES),
        ("SQL queries, demo -> national", f"{demo} -> {scale} (Leicester MSG: {leicester})",
         "constant", demo == scale == leicester),
    ]  # fmt: skip
    for kind, miss in misses.items():
        times = miss / dashboard.median_ms
        rows.append((f"first view after a {kind}", f"{miss:,.0f} ms = {times:.1f}× a hit",
                     f"<= {TARGET_MISS:.0f}×", times <= TARGET_MISS))  # fmt: skip
    print(f"\n{'figure':<32}{'measured':<44}{'target':<12}result")
    for name, measured, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<32}{measured:<44}{target:<12}{verdict}")


if __name__ == "__main__":
    main()
