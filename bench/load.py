"""Load and fault run: the portal kept whole under 40 concurrent users, a killed worker and a
stopped database.

Everything runs on loopback against a private PostgreSQL 15 cluster this script starts in a
temporary directory (port `BENCH_PG_PORT`, default 5441) and removes at the end, even on error,
so the shared server is never stopped. gunicorn (2 workers, production settings) listens on
`BENCH_PORT` (default 8041). In order:

1. load: 20 strategic leads (bench accounts, each signed in through the sign-in form and its
   two-factor step) open the progress form and post updates, each narrative carrying a unique
   marker, while 20 chair sessions read the dashboard, for `--seconds` (default 60);
2. a gunicorn worker is killed (SIGKILL) in the middle of a shorter run of the same load;
3. PostgreSQL is stopped in the middle of a shorter run of the same load, then started again;
4. PostgreSQL is stopped in the middle of `load_crime_figures` on a 1,000,680-row file, then
   started again, and the import is rerun.

After each run every accepted update (302) must be in the database exactly once. Prints the
figures and a summary with PASS/FAIL. Run: `make bench-load` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_PORT", "8041")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5441"))
DATABASE = "slp_benchload"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # this process only; gunicorn gets production settings

from bench import server  # noqa: E402
from bench.postgres import Cluster  # noqa: E402
from bench.server import csrf_token, post_form, request, sign_in  # noqa: E402

LEADS, CHAIRS, ACTIONS_PER_LEAD = 20, 20, 2
MARKER = "Bench load update"  # every bench narrative starts with it, then a unique marker
UNAVAILABLE = "The portal is unavailable for a moment"  # the 503 page's heading
ERROR_TEXT = re.compile(r"invalid-feedback[^>]*>\s*<strong>(.*?)</strong>", re.S)


# --- the data ---------------------------------------------------------------------------------


def build() -> list[tuple[str, bytes, list[int]]]:
    """Return (username, TOTP secret, action ids) of the bench leads, after creating the database.

    Each lead leads a work-stream of their own under the latest plan version's priorities, with
    actions they own that started 60 days ago: today is inside their span and in no closed period.
    """
    import datetime

    import django
    import psycopg2

    connection = psycopg2.connect(f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres")
    connection.autocommit = True
    connection.cursor().execute(f"CREATE DATABASE {DATABASE}")
    connection.close()
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.roles import Role
    from actions.models import Action, ClosedPeriod
    from priorities.models import Partner, PlanVersion, WorkStream

    for command in ("migrate", "load_seed", "load_demo"):
        call_command(command, verbosity=0)
    today = timezone.localdate()
    if ClosedPeriod.objects.containing(today).exists():
        raise RuntimeError("today falls in a closed period: the bench updates would be refused")
    priorities = list(PlanVersion.objects.order_by("-starts_on").first().priorities.all())
    partner = Partner.objects.first()
    group = Group.objects.get(name=Role.STRATEGIC_LEAD)
    leads = []
    for n in range(LEADS):
        user = User.objects.create_user(f"benchlead{n:02d}", password=password())
        user.groups.add(group)
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
        stream = WorkStream.objects.create(
            priority=priorities[n % len(priorities)], name=f"Bench load work-stream {n:02d}",
            strategic_lead=user, description="Load benchmark.",
        )  # fmt: skip
        actions = [
            Action.objects.create(
                work_stream=stream, title=f"Bench load action {n:02d}-{k}", owner=user,
                description="Load benchmark.", indicator="Referrals made", target=100,
                baseline=10, unit="referrals", partner=partner,
                start_date=today - datetime.timedelta(days=60),
                due_date=today + datetime.timedelta(days=300),
            ).pk
            for k in range(ACTIONS_PER_LEAD)
        ]  # fmt: skip
        leads.append((user.username, device.bin_key, actions))
    # The chair passes a second factor too: each bench chair session is its own chair with its
    # own authenticator (a code is accepted once per device and 30-second step).
    chair_group = Group.objects.get(name=Role.CHAIR)
    for n in range(CHAIRS):
        user = User.objects.create_user(f"benchchair{n:02d}", password=password())
        user.groups.add(chair_group)
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
        CHAIR_KEYS[user.username] = device.bin_key
    return leads


# The bench chairs' authenticator secrets, by username (filled by `build`).
CHAIR_KEYS: dict[str, bytes] = {}


def password() -> str:
    return "Bench-load-password-2019"


def stored_markers() -> Counter:
    """Return how many times each bench marker is stored (a fresh connection each time)."""
    from django.db import connections

    from actions.models import ProgressUpdate

    connections.close_all()  # the database may have restarted since the last look
    narratives = ProgressUpdate.objects.filter(narrative__startswith=MARKER)
    return Counter(text.split()[-1] for text in narratives.values_list("narrative", flat=True))


# --- the load ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "dashboard", "progress form", "progress save" or "health"
    started: float
    seconds: float
    status: int  # 0: no answer (connection refused or reset)
    marker: str = ""
    detail: str = ""


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]


def timed(run: Run, kind: str, call, marker: str = "") -> server.Reply | None:
    """Return the reply of `call()` (None when the connection failed), recording its outcome."""
    began = time.monotonic()
    try:
        reply = call()
    except OSError as error:
        run.add(Outcome(kind, began, time.monotonic() - began, 0, marker, type(error).__name__))
        return None
    detail = ""
    if reply.status == 200 and kind == "progress save":
        detail = "; ".join(ERROR_TEXT.findall(reply.body.decode())) or "form shown again"
    elif reply.status >= 500:
        page = reply.body.decode(errors="replace")
        detail = "portal's 503 page" if UNAVAILABLE in page else page[:80]
        if "Traceback" in page:
            detail += " WITH TRACEBACK"
    run.add(Outcome(kind, began, time.monotonic() - began, reply.status, marker, detail))
    return reply


def lead_client(run: Run, cookies: dict, actions: list[int], until: float, name: str) -> None:
    """Open the progress form and post an update, over and over, each with a unique marker."""
    count = 0
    while time.monotonic() < until:
        action = actions[count % len(actions)]
        path = f"/actions/{action}/update/"
        form_page = timed(run, "progress form", partial(request, path, cookies=cookies, timeout=20))
        if form_page is None or form_page.status != 200:
            time.sleep(0.2)  # the portal is failing: a person would wait a moment
            continue
        marker = f"{name}-{count}-{uuid.uuid4().hex[:8]}"
        form = {
            "csrfmiddlewaretoken": csrf_token(form_page), "reported_on": time.strftime("%Y-%m-%d"),
            "status": ("green", "amber", "red")[count % 3], "indicator_value": str(count),
            "spend": str(count % 50), "narrative": f"{MARKER} {marker}", "next_steps": "",
            "corrects": "",
        }  # fmt: skip
        timed(run, "progress save", partial(post_form, path, cookies, form), marker)
        count += 1


def chair_client(run: Run, cookies: dict, until: float) -> None:
    while time.monotonic() < until:
        reply = timed(run, "dashboard", lambda: request("/", cookies=cookies, timeout=20))
        if reply is None or reply.status != 200:
            time.sleep(0.2)


def load(seconds: float, leads: list, chairs: list, fault=None) -> Run:
    """Return the outcomes of `seconds` of load; `fault(run)` runs alongside when given."""
    run = Run()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=lead_client, args=(run, cookies, actions, until, name))
               for name, cookies, actions in leads]  # fmt: skip
    threads += [threading.Thread(target=chair_client, args=(run, c, until)) for c in chairs]
    if fault is not None:
        threads.append(threading.Thread(target=fault, args=(run,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


@dataclass
class Check:
    accepted: int
    lost: int
    duplicated: int
    stored_unconfirmed: int  # saved although the client saw no 302 (an answer lost in a fault)
    rejected: Counter
    failed: Counter


def check(run: Run) -> Check:
    """Return the count of accepted, lost and duplicated updates, and why others failed."""
    stored = stored_markers()
    saves = run.of("progress save")
    accepted = {o.marker for o in saves if o.status == 302}
    unconfirmed = {o.marker for o in saves if o.status != 302} & set(stored)
    return Check(
        accepted=len(accepted),
        lost=sum(1 for m in accepted if stored[m] == 0),
        duplicated=sum(1 for m in accepted | unconfirmed if stored[m] > 1),
        stored_unconfirmed=len(unconfirmed),
        rejected=Counter(o.detail for o in saves if o.status == 200),
        failed=Counter(f"{o.kind}: {o.status or o.detail} {o.detail if o.status else ''}".strip()
                       for o in run.outcomes if o.status == 0 or o.status >= 400),
    )  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def print_run(title: str, run: Run, seconds: float, result: Check) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<16}{'requests':>9}{'req/s':>8}{'p50':>10}{'p95':>10}{'failed':>8}")
    for kind in ("dashboard", "progress form", "progress save"):
        done = run.of(kind)
        times = [o.seconds * 1000 for o in done if o.status]
        bad = sum(1 for o in done if o.status == 0 or o.status >= 400)
        if len(times) >= 2:
            print(
                f"  {kind:<16}{len(done):>9}{len(done) / seconds:>8.1f}"
                f"{statistics.median(times):>8.0f}ms{percentile(times, 0.95):>8.0f}ms{bad:>8}"
            )
    print(f"  accepted updates {result.accepted}, lost {result.lost}, duplicated "
          f"{result.duplicated}, saved without a 302 seen {result.stored_unconfirmed}")  # fmt: skip
    for reason, count in (result.rejected + result.failed).most_common():
        print(f"  {count:>5} × {reason}")


# --- the faults -------------------------------------------------------------------------------


def workers(master: int) -> list[int]:
    """Return the pids of the gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_for(condition, limit: float = 60) -> float:
    """Return seconds until `condition()` holds (polling every 50 ms), or raise after `limit`."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > limit:
            raise RuntimeError(f"still not recovered after {limit} s")
        time.sleep(0.05)
    return time.monotonic() - began


def healthy() -> bool:
    try:
        return request("/healthz", timeout=5).status == 200
    except OSError:
        return False


def kill_worker(master: int, delay: float, figures: dict) -> callable:
    def fault(run: Run) -> None:
        time.sleep(delay)
        victim = workers(master)[0]
        figures["killed at"] = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        figures["replaced in"] = wait_for(
            lambda: len(workers(master)) == 2 and victim not in workers(master)
        )
        figures["victim"] = victim

    return fault


def stop_database(cluster: Cluster, delay: float, down: float, figures: dict) -> callable:
    def fault(run: Run) -> None:
        time.sleep(delay)
        cluster.stop()
        figures["stopped at"] = time.monotonic()
        statuses = Counter()
        while time.monotonic() - figures["stopped at"] < down:
            reply = timed(run, "health", lambda: request("/healthz", timeout=5))
            statuses[reply.status if reply else 0] += 1
            time.sleep(0.25)
        figures["healthz while down"] = statuses
        # pg_ctl start returns a moment after PostgreSQL accepts connections: the outage ends here.
        figures["starting at"] = time.monotonic()
        figures["started in"] = cluster.start()
        figures["started at"] = time.monotonic()
        figures["healthz 200 in"] = wait_for(healthy)

    return fault


def import_fault(cluster: Cluster, stop_after: float) -> dict:
    """Return what happened to an import whose database stopped after `stop_after` seconds."""
    from django.db import connections

    from bench.import_ons import generate, population_table, prepare_database
    from crime_stats.models import CrimeFigure, ImportBatch

    prepare_database()
    file, population = cluster.folder / "national.csv", cluster.folder / "population.csv"
    rows = generate(file)
    population.write_bytes(population_table())
    command = [sys.executable, "manage.py", "load_crime_figures", str(file), "--format", "ons",
               "--population", str(population)]  # fmt: skip
    env = {**os.environ, "DJANGO_DEBUG": "1"}

    def state() -> tuple[int, int]:
        connections.close_all()
        committed = ImportBatch.objects.filter(status=ImportBatch.Status.COMMITTED)
        bench = CrimeFigure.objects.filter(csp__force__startswith="Benchforce")
        return bench.count(), committed.count()

    before = state()
    connections.close_all()
    began = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(stop_after)
    still_running = child.poll() is None
    cluster.stop()
    out, err = child.communicate()
    failed_after = time.monotonic() - began
    cluster.start()
    after_fault = state()
    began = time.monotonic()
    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return {
        "rows": rows, "stopped mid-import": still_running, "exit": child.returncode,
        "message": (err.strip().splitlines() or out.strip().splitlines() or [""])[-1][:160],
        "failed after": failed_after, "before": before, "after fault": after_fault,
        "rerun exit": rerun.returncode, "rerun seconds": time.monotonic() - began,
        "after rerun": state(), "rerun message": rerun.stdout.strip().splitlines()[-1:],
    }  # fmt: skip


# --- the run ----------------------------------------------------------------------------------


def sign_everyone_in(leads: list) -> tuple[list, list]:
    """Return [(name, cookies, actions)] of the leads and the cookies of CHAIRS chair sessions."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        lead_cookies = pool.map(lambda lead: sign_in(lead[0], password(), totp_key=lead[1]), leads)
        chairs = list(
            pool.map(lambda c: sign_in(c[0], password(), totp_key=c[1]), CHAIR_KEYS.items())
        )
    return [(n, c, a) for (n, _, a), c in zip(leads, lead_cookies, strict=True)], chairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load run")
    parser.add_argument("--fault-seconds", type=float, default=20, help="length of fault runs")
    parser.add_argument("--import-stop-after", type=float, default=4.0,
                        help="seconds into the import when PostgreSQL stops")  # fmt: skip
    options = parser.parse_args()
    cluster = Cluster(PG_PORT)
    results = {}
    try:
        cluster.start()
        started = time.perf_counter()
        leads = build()
        from django.db import connections

        connections.close_all()
        print(
            f"private PostgreSQL on port {PG_PORT}; {LEADS} bench leads with "
            f"{LEADS * ACTIONS_PER_LEAD} actions built in {time.perf_counter() - started:.0f} s"
        )
        gunicorn = server.start_gunicorn(server.production_environment())
        try:
            leads, chairs = sign_everyone_in(leads)
            print(
                f"{LEADS} leads (password and two-factor code) and {CHAIRS} chair sessions "
                "signed in through the sign-in form"
            )
            for name, seconds, fault_of in (
                ("load", options.seconds, lambda figures: None),
                ("worker killed", options.fault_seconds,
                 lambda figures: kill_worker(gunicorn.pid, options.fault_seconds / 3, figures)),
                ("database stopped", options.fault_seconds,
                 lambda figures: stop_database(cluster, options.fault_seconds / 3, 5, figures)),
            ):  # fmt: skip
                figures = {}
                run = load(seconds, leads, chairs, fault_of(figures))
                results[name] = (run, seconds, check(run), figures)
                print_run(f"{name} ({seconds:.0f} s)", run, seconds, results[name][2])
        finally:
            server.stop_gunicorn(gunicorn)
        results["import"] = import_fault(cluster, options.import_stop_after)
    finally:
        cluster.remove()
    summary(results)


def summary(results: dict) -> None:
    """Print the faults' figures and the PASS/FAIL summary."""
    rows = []
    run, seconds, result, _ = results["load"]
    server_errors = sum(1 for o in run.outcomes if o.status >= 500 or o.status == 0)
    rows.append(("load: accepted / lost / duplicated",
                 f"{result.accepted} / {result.lost} / {result.duplicated}",
                 result.lost == result.duplicated == 0))  # fmt: skip
    rows.append(("load: 5xx or no answer", f"{server_errors} of {len(run.outcomes)}",
                 server_errors == 0))  # fmt: skip
    run, _, result, figures = results["worker killed"]
    killed = figures["killed at"]
    # In flight when the worker died, or sent before its replacement was up.
    near = [o for o in run.outcomes if o.kind != "health" and o.started + o.seconds >= killed
            and o.started <= killed + figures["replaced in"]]  # fmt: skip
    failed = [o for o in near if o.status == 0 or o.status >= 500]
    failed_all = sum(1 for o in run.outcomes if o.status == 0 or o.status >= 500)
    rows.append(("worker kill: failed requests", f"{len(failed)} of {len(near)} in flight at the "
                 f"kill ({failed_all} of {len(run.outcomes)} in the run); "
                 f"worker replaced in {figures['replaced in']:.2f} s", None))  # fmt: skip
    rows.append(
        (
            "worker kill: lost / duplicated",
            f"{result.lost} / {result.duplicated} of {result.accepted} accepted",
            result.lost == result.duplicated == 0,
        )
    )
    run, _, result, figures = results["database stopped"]
    down = [o for o in run.outcomes if o.kind != "health"
            and figures["stopped at"] <= o.started
            and o.started + o.seconds <= figures["starting at"]]  # fmt: skip
    pages = Counter(f"{o.kind}: {o.status} {o.detail}".strip() for o in down)
    saves_after = [o.started for o in run.of("progress save")
                   if o.status == 302 and o.started > figures["started at"]]  # fmt: skip
    first_save = min(saves_after) - figures["started at"] if saves_after else float("nan")
    clear = all(o.status == 503 and o.detail == "portal's 503 page" for o in down if o.status)
    rows.append(("database down: answers", ", ".join(f"{n} × {k}" for k, n in pages.items()),
                 clear))  # fmt: skip
    rows.append(
        (
            "database down: /healthz",
            ", ".join(f"{n} × {k}" for k, n in figures["healthz while down"].items()),
            None,
        )
    )
    rows.append(("database back: recovery", f"started in {figures['started in']:.1f} s; /healthz "
                 f"200 after {figures['healthz 200 in']:.2f} s, first save {first_save:.2f} s",
                 saves_after != []))  # fmt: skip
    rows.append(("database stop: lost / duplicated", f"{result.lost} / {result.duplicated} of "
                 f"{result.accepted} accepted; {result.stored_unconfirmed} saved without a 302",
                 result.lost == result.duplicated == 0))  # fmt: skip
    imp = results["import"]
    rows.append(("import stopped: partial data", f"figures {imp['before'][0]} -> "
                 f"{imp['after fault'][0]}, committed batches {imp['before'][1]} -> "
                 f"{imp['after fault'][1]}; exit {imp['exit']} after {imp['failed after']:.1f} s",
                 imp["stopped mid-import"] and imp["after fault"] == imp["before"]
                 and imp["exit"] != 0))  # fmt: skip
    rows.append(("import error message", imp["message"], None))
    rows.append(("import rerun", f"exit {imp['rerun exit']} in {imp['rerun seconds']:.1f} s; "
                 f"figures {imp['after rerun'][0]:,}, committed batches {imp['after rerun'][1]}",
                 imp["rerun exit"] == 0 and imp["after rerun"][0] > 0
                 and imp["after rerun"][1] == imp["before"][1] + 1))  # fmt: skip
    print(f"\n{'check':<36}{'measured':<90}result")
    for name, measured, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<36}{measured:<90}{verdict}")


if __name__ == "__main__":
    main()
