"""Bench of a national installation (issue 18 point 6): 34 provinces, 300,000 facilities, ten years
of reports, gunicorn on loopback with PORTAL_SCOPE=national.

Seeds into a PostgreSQL database (default `sxsh_bench_nat`, created if missing) every 2025 province
with its wards and the pre-2025 units (`load_all_admin_units`), N facilities (default 300,000)
placed at random in the 2025 wards of the 34 provinces (most with the old commune they came from;
`province` and `search_text` set as the import sets them) and their annual reports for Y years
(default 10: 2016–2025; about 2.5 million approved, nine in ten; of the last year's others a third
submitted, the rest drafts). Facilities go in with bulk_create, reports with COPY; a marker row
(`bench_marker`: facilities and years) makes a second run reuse the data instead of seeding again.
Users are made on each run: a staff member per province, a ministry user, facility users.

Then it serves the portal with gunicorn (default 4 workers; TWO_FACTOR_REQUIRED=0, the cache in
Redis db 8 shared with this process so that "cold" can be made by clearing it) and prints:

- the stored facts (reports.fact_table, issue 18 point 4): the rebuild after seeding (seconds,
  rows), then in this process the counts of the last year with every grouping, national and one
  province's, by the old path (the rules recomputed over every report) against the new one (the
  stored rows aggregated), best of 3 each;
- the facility list: p95 with 4 clients, the Ministry's (all provinces) and one province's staff
  (goal p95 <= 100 ms);
- the indicators of the last year (API and dashboard), national (ministry) and one province's
  (its staff), cold (cache cleared) and cached (goal cold <= 1 s);
- drill-down (`reports:indicator_facilities`, every code and part) p95 with 4 clients
  (goal <= 300 ms);
- seconds from a staff approval (HTTP POST) to the changed figure (AWARE_PCT numerator) in the
  province's and the national answers, with the first dashboard after it (goal <= 2 s);
- a deadline burst: 32 clients for S s, 30 % of the requests saving or submitting a report through
  the report form as facility users, the rest reading as staff or ministry (goal 0 errors,
  p95 <= 500 ms), and the CPU it used by part (gunicorn, PostgreSQL, Redis, this process's
  clients) against the machine's capacity: what the p95 is made of;
- the national report of the last year per format (XLSX, PDF, DOCX, and the Ministry's table),
  each through the real generation path (`reports.generation.report_generate`, run by
  bench/reports.py's child in a fresh process) (goal <= 60 s);
- the load average at the start and at the end, and the CPU count: on a shared 2-core machine
  the figures move with it.

    .venv/bin/python bench/national.py [--facilities 300000] [--years 10] [--burst-seconds 60]
        [--database sxsh_bench_nat] [--workers 4] [--province 01]
        [--parts facts,list,indicators,drill,approval,burst,reports]

Small check: `--facilities 20000 --burst-seconds 15 --database sxsh_bench_nat_small`.
Every loop is bounded and only 127.0.0.1 is contacted. Figures, not assertions: it prints MISS
next to a goal missed and exits 0.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from common import (
    ROOT,
    configure,
    ensure_database,
)
from loopback import (
    Client,
    CpuMeter,
    FormFields,
    csrf_secret,
    loadavg,
    port_is_free,
    print_cpu,
    reader_path,
    report,
    run_clients,
    start_gunicorn,
    verdict,
)
from national_seed import ministry_cookie, seed, staff_cookie, writers

PORT = 8767
REDIS_DB = 8
LIST_GOAL_MS = 100
INDICATORS_GOAL_S = 1
DRILL_GOAL_MS = 300
APPROVAL_GOAL_S = 2
BURST_GOAL_MS = 500
REPORT_GOAL_S = 60
REPORT_TIMEOUT_S = 900
SLOW_TIMEOUT_S = 280  # a cold national figure may take long: measured, not cut at 30 s
SEARCHES = ["giay", "thep", "gom+su", "bia", "det+may", "nhua"]
# Share of the burst's requests that save or submit a report (each write is a GET of the form,
# counted as a read, then the POST): a write round makes 2 requests of which 1 POST.
WRITE_SHARE = 0.30
WRITE_ROUND = WRITE_SHARE / (1 - WRITE_SHARE)  # P(write round): w / (1 + w) = 30 % POSTs
SUBMIT_SHARE = 1 / 3  # of the writes, the rest "save draft"
READS = {"list": 25, "search": 15, "detail": 25, "dashboard": 10, "api": 10, "drill": 15}
MAX_REQUESTS_PER_CLIENT = 100_000
PARTS = ("facts", "list", "indicators", "drill", "approval", "burst", "reports")


# --- measure -------------------------------------------------------------------------------------


def measure_list(cookies: dict[str, str], requests: int) -> dict[str, float]:
    """4 clients (as many as cookies given per scope) on the list page; p95 per scope."""
    p95 = {}
    for scope, cookie in cookies.items():

        def body(client: Client, index: int) -> None:
            for _ in range(requests // 4):
                client.get("list", "/facilities/")

        results = run_clients([cookie] * 4, PORT, body)
        print(f"  {scope}:")
        errors, p95[scope] = report(results, ["list"])
    return p95


def ensure_facts() -> None:
    """The seed writes in bulk: build the stored facts once (timed), as seed_demo does."""
    from reports import fact_table

    if fact_table.is_fresh():
        print("stored facts: fresh (kept from an earlier run)")
        return
    started = time.perf_counter()
    outcome = fact_table.rebuild()
    years = outcome["years"]
    print(
        f"stored facts rebuilt: {outcome['rows']:,} facility-years ({years[0]}–{years[-1]}) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def measure_facts(year: int, province: str) -> None:
    """The old path (FACTS_SQL over every report) against the new (stored rows), in-process."""
    from assessments.factors import toe_factors
    from reports.facts import group_counts
    from reports.groupings import GROUPINGS

    factors = toe_factors()  # explicit factors: group_counts recomputes from the rules
    for label, scope in (("national", None), (f"province {province}", province)):
        timings = {}
        for path, extra in (("old (recompute)", {"factors": factors}), ("new (stored)", {})):
            best = None
            for _ in range(3):
                started = time.perf_counter()
                counts = group_counts([year], groupings=GROUPINGS, province=scope, **extra)
                elapsed = time.perf_counter() - started
                best = elapsed if best is None else min(best, elapsed)
            timings[path] = (best, counts)
        (old, old_counts), (new, new_counts) = timings.values()
        same = "equal" if old_counts == new_counts else "DIFFERENT"
        print(
            f"  {label:>14}: old {old:6.2f} s, new {new:6.2f} s "
            f"({old / max(new, 1e-6):.0f}x; counts {same}; goal new <= {INDICATORS_GOAL_S} s: "
            f"{verdict(new <= INDICATORS_GOAL_S)})"
        )


def measure_indicators(cookies: dict[str, str], year: int) -> dict[str, float]:
    """Cold (cache cleared) then cached, per scope, of the API answer and the dashboard."""
    from django.core.cache import cache

    cold = {}
    for scope, cookie in cookies.items():
        for label, path in (
            ("API", f"/api/v1/indicators/?year={year}"),
            ("dashboard", f"/reports/dashboard/?year={year}"),
        ):
            client = Client(cookie, PORT, timeout=SLOW_TIMEOUT_S)
            cache.clear()
            times = []
            for _ in range(2):
                started = time.perf_counter()
                answer = client.get(label, path)
                times.append(time.perf_counter() - started)
            client.close()
            status = answer[0] if answer else "no answer"
            cold[f"{scope} {label}"] = times[0]
            print(
                f"  {scope:>22} {label:>9}: cold {times[0]:6.2f} s, cached {times[1]:6.2f} s"
                f"  (HTTP {status}; goal cold <= {INDICATORS_GOAL_S} s: "
                f"{verdict(times[0] <= INDICATORS_GOAL_S)})"
            )
    return cold


def drill_paths(year: int) -> list[str]:
    """The drill-down pages the dashboard links for `year`, two pages of each: the parts
    (facts.FACILITY_CONDITIONS) of the computed indicators of the year's plan period, as the
    dashboard finds them (compute_indicators, IndicatorResult.is_computed); a code of no period
    of the year would be a 404. The seed gives no province a period of its own: its staff see
    the national one."""
    from reports import indicators
    from reports.facts import FACILITY_CONDITIONS

    results = indicators.compute_indicators(year, grouped=False).results
    codes = {result.code for result in results if result.is_computed}
    paths = []
    for code, part in sorted(key for key in FACILITY_CONDITIONS if key[0] in codes):
        base = f"/reports/indicators/{code}/{year}/{part}/"
        paths += [base, f"{base}?page=2"]
    return paths


def measure_drill(cookies: dict[str, str], year: int, requests: int) -> dict[str, float]:
    paths = drill_paths(year)
    p95 = {}
    for scope, cookie in cookies.items():

        def body(client: Client, index: int) -> None:
            for n in range(requests // 4):
                client.get("drill", paths[(index + 4 * n) % len(paths)])

        results = run_clients([cookie] * 4, PORT, body)
        print(f"  {scope}:")
        errors, p95[scope] = report(results, ["drill"])
    return p95


def _figure(client: Client, year: int, code: str = "AWARE_PCT") -> int | None:
    answer = client.get("api", f"/api/v1/indicators/?year={year}")
    if not answer or answer[0] != 200:
        return None
    for row in json.loads(answer[1]).get("indicators", []):
        if row["code"] == code:
            return row["numerator"]
    return None


def measure_approval(province: str, year: int) -> float | None:
    """A staff member approves a submitted report that makes its facility count as aware; time
    from the POST to the changed AWARE_PCT numerator in the province's and the national answer
    (polling, bounded), and the first dashboard after it."""
    from django.db.models import Exists, OuterRef

    from assessments.models import AnnualReport

    # NOT EXISTS (an anti-join): NOT IN over millions of reports would not finish.
    already = AnnualReport.objects.filter(
        facility_id=OuterRef("facility_id"), state="approved", aware=True, year__lte=year
    )
    report_row = (
        AnnualReport.objects.filter(state="submitted", year=year, facility__province=province)
        .filter(~Exists(already))
        .order_by("pk")
        .first()
    )
    if report_row is None:
        print("  no submitted report left to approve in the province")
        return None
    # Bench data only: make the report one that changes the figure (no signal: not approved).
    AnnualReport.objects.filter(pk=report_row.pk).update(aware=True)
    staff = Client(staff_cookie(province), PORT)
    ministry = Client(ministry_cookie(), PORT)
    before = _figure(staff, year), _figure(ministry, year)  # and the cache is warm
    path = f"/assessments/reports/{report_row.pk}/approve/"
    page = staff.get("approve form", path)
    fields = FormFields(page[1]).form_with("confirm") if page else None
    fields = [(n, v) for n, v in (fields or []) if n != "csrfmiddlewaretoken"]
    secret = csrf_secret()
    started = time.perf_counter()
    answer = staff.post(
        "approve", path, [*fields, ("confirm", "1"), ("csrfmiddlewaretoken", secret)], secret
    )
    posted = time.perf_counter() - started
    if not answer or answer[0] != 302:
        print(f"  approval refused: {answer[0] if answer else 'no answer'} {staff.errors}")
        return None
    dash_started = time.perf_counter()
    staff.get("dashboard", f"/reports/dashboard/?year={year}")
    dashboard = time.perf_counter() - dash_started
    seen = {}
    deadline = started + 120
    while len(seen) < 2 and time.perf_counter() < deadline:
        for scope, client, old in (
            ("province", staff, before[0]),
            ("national", ministry, before[1]),
        ):
            if scope not in seen and _figure(client, year) not in (old, None):
                seen[scope] = time.perf_counter() - started
        if len(seen) < 2:
            time.sleep(0.05)
    staff.close()
    ministry.close()
    total = max(seen.values()) if len(seen) == 2 else None
    print(
        f"  report {report_row.pk}: approve POST {posted:.2f} s, then the province's dashboard "
        f"{dashboard:.2f} s; AWARE_PCT numerator {before[0]}→changed in the province's answer "
        f"after {seen.get('province', float('nan')):.2f} s, national ({before[1]}→) after "
        f"{seen.get('national', float('nan')):.2f} s"
    )
    latest = max(seen.get("province", 1e9), posted + dashboard)
    print(
        f"  approval → changed figure on the dashboard: {latest:.2f} s "
        f"(goal <= {APPROVAL_GOAL_S} s: {verdict(latest <= APPROVAL_GOAL_S)})"
    )
    return total


def burst(clients: int, seconds: float, year: int, provinces: list[str], meter: CpuMeter) -> tuple:
    """`clients` threads for `seconds`: each reads as a province's staff (every eighth as the
    Ministry) and writes as a facility user through the report form (save, or save and submit)."""
    labels = list(READS)
    weights = [READS[label] for label in labels]
    paths = drill_paths(year)
    from facilities.models import Facility

    scopes = [None if i % 8 == 7 else provinces[i % len(provinces)] for i in range(clients)]
    readers = [ministry_cookie() if p is None else staff_cookie(p) for p in scopes]
    # Facilities each reader may open: its province's (a sample), the Ministry any.
    visible = {
        p: list(
            (Facility.objects if p is None else Facility.objects.filter(province=p))
            .order_by("?")
            .values_list("pk", flat=True)[:500]
        )
        for p in set(scopes)
    }
    pools = writers(clients, year)
    refused: list[str] = []
    deadline = time.monotonic() + seconds

    def read_path(label: str, rng: random.Random, facility_ids: list[int]) -> str:
        path = reader_path(label, rng, facility_ids, SEARCHES, [year, year, year - 1], [year])
        return path or rng.choice(paths)  # the drill-down pages

    def write(client: Client, rng: random.Random, pool: list[int]) -> None:
        path = f"/assessments/reports/{pool[0]}/edit/"
        page = client.get("form", path)
        if not page or page[0] != 200:
            pool.pop(0)
            return
        fields = FormFields(page[1]).form_with("version") or []
        data = [
            (n, v) for n, v in fields if n not in ("csrfmiddlewaretoken", "quality_justification")
        ]
        submit = rng.random() < SUBMIT_SHARE
        secret = csrf_secret()
        data += [
            ("quality_justification", "Số liệu đã kiểm tra lại theo sổ sách (bench)."),
            ("csrfmiddlewaretoken", secret),
            ("submit", "1") if submit else ("save", ""),
        ]
        answer = client.post("submit" if submit else "save", path, data, secret)
        if answer and answer[0] == 200:  # the form came back: note why
            refused.append(f"{path}: {_form_errors(answer[1])}")
        if submit and answer and answer[0] == 302:
            pool.pop(0)

    def body(reader: Client, index: int) -> None:
        rng = random.Random(7000 + index)
        writer = Client(pools[index][0], PORT)
        writer.timings, writer.errors = reader.timings, reader.errors  # one set of figures
        pool = list(pools[index][1])
        try:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= deadline:
                    break
                if pool and rng.random() < WRITE_ROUND:
                    write(writer, rng, pool)
                else:
                    label = rng.choices(labels, weights)[0]
                    reader.get(label, read_path(label, rng, visible[scopes[index]]))
        finally:
            writer.close()

    started = time.monotonic()
    meter.start()
    results = run_clients(readers, PORT, body)
    return results, time.monotonic() - started, refused, meter.stop()


def _form_errors(html: str) -> str:
    import re

    found = re.findall(r'class="[^"]*(?:errorlist|invalid-feedback)[^"]*"[^>]*>(.*?)</', html, re.S)
    return "; ".join(" ".join(re.sub("<[^>]+>", " ", f).split()) for f in found[:3]) or "?"


def measure_reports(database: str, year: int, memory_gb: float) -> None:
    """Each format by bench/reports.py's child: a fresh process runs report_generate, its address
    space capped at `memory_gb` so that a report too big for the machine fails instead of
    starving everything else on it."""
    import resource

    env = {**os.environ, "BENCH_MEDIA_ROOT": tempfile.mkdtemp(prefix="sxsh-bench-nat-")}
    cap = int(memory_gb * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    for fmt in ("xlsx", "pdf", "docx", "bct"):
        command = [sys.executable, str(ROOT / "bench" / "reports.py"), "--child", fmt]
        try:
            result = subprocess.run(
                [*command, "--year", str(year), "--database", database],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=REPORT_TIMEOUT_S,
                preexec_fn=limit,
            )
        except subprocess.TimeoutExpired:
            print(f"  {fmt:>5}: over {REPORT_TIMEOUT_S} s, stopped: MISS")
            continue
        if result.returncode != 0:
            print(f"  {fmt:>5}: failed (address space cap {memory_gb} GB)\n{result.stderr[-1500:]}")
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"  {fmt:>5}: {row['seconds']:7.2f} s   peak RSS {row['peak_mb']:6.1f} MB   "
            f"file {row['size_kb']:,.0f} KB   {row['outcome']} {row['error'] or ''}"
            f"(goal <= {REPORT_GOAL_S} s: {verdict(row['seconds'] <= REPORT_GOAL_S)})"
        )


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=300_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--burst-seconds", type=float, default=60)
    parser.add_argument("--burst-clients", type=int, default=32)
    parser.add_argument("--database", default="sxsh_bench_nat")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--province", help="2025 code of the province measured (default: largest)")
    parser.add_argument("--list-requests", type=int, default=200)
    parser.add_argument("--drill-requests", type=int, default=88)
    parser.add_argument("--report-memory-gb", type=float, default=8)
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"what to measure, comma-separated, of: {','.join(PARTS)}",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        sys.exit(f"--parts: unknown {', '.join(sorted(parts - set(PARTS)))}")
    if not args.database.startswith("sxsh_bench_nat"):
        sys.exit("the database of this bench is named sxsh_bench_nat*")
    sys.stdout.reconfigure(line_buffering=True)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    if not port_is_free(PORT):
        sys.exit(f"127.0.0.1:{PORT} is in use: is another bench/national.py running?")
    print(f"load average at start: {loadavg()} ({os.cpu_count()} CPUs)")
    years = range(2026 - args.years, 2026)
    year = years.stop - 1

    redis = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env = configure(
        args.database,
        # Connections outlive the burst: the CPU of a PostgreSQL backend that ends meanwhile
        # could not be counted as PostgreSQL's (CpuMeter).
        DATABASE_CONN_MAX_AGE="600",
        PORTAL_SCOPE="national",
        CACHE_URL=redis,
        CELERY_BROKER_URL=redis,
        LOG_LEVEL="WARNING",
    )
    ensure_database(args.database)
    import django

    django.setup()
    seed(args.facilities, years)
    ensure_facts()
    from django.db import connection
    from django.db.models import Count

    from assessments.models import AnnualReport
    from facilities.models import Facility

    by_province = dict(
        Facility.objects.values_list("province").annotate(n=Count("id")).order_by("-n")
    )
    provinces = list(by_province)
    province = args.province or provinces[0]
    states = dict(AnnualReport.objects.values_list("state").annotate(n=Count("id")))
    facility_ids = list(Facility.objects.filter(province=province).values_list("pk", flat=True))
    print(
        f"{sum(by_province.values()):,} facilities in {len(by_province)} provinces "
        f"(province {province}: {by_province[province]:,}); reports {years.start}–{year}: "
        + ", ".join(f"{state} {n:,}" for state, n in sorted(states.items()))
    )
    scopes = {
        "ministry (national)": ministry_cookie(),
        f"staff of {province}": staff_cookie(province),
    }
    if "facts" in parts:
        print(f"\nCounts of {year} with every grouping: old path against stored facts")
        measure_facts(year, province)
    connection.close()

    gunicorn = start_gunicorn(PORT, args.workers, env, timeout=300)
    try:
        # Warm-up: every worker loads its code and the first queries before anything is timed.
        def warm(client: Client, index: int) -> None:
            for path in (
                "/facilities/",
                f"/facilities/{facility_ids[index]}/",
                "/facilities/?q=bia",
            ):
                client.get("warm", path)

        run_clients([scopes[s] for s in scopes] * args.workers, PORT, warm)
        print(f"gunicorn {args.workers} workers on 127.0.0.1:{PORT}; load average: {loadavg()}")

        if "list" in parts:
            print(f"\nFacility list, 4 clients, {args.list_requests} requests per scope")
            p95 = measure_list(scopes, args.list_requests)
            for scope, value in p95.items():
                print(
                    f"  {scope}: p95 {value:.1f} ms (goal <= {LIST_GOAL_MS} ms: "
                    f"{verdict(value <= LIST_GOAL_MS)})"
                )
        if "indicators" in parts:
            print(f"\nIndicators of {year}, cold (cache cleared) then cached")
            measure_indicators(scopes, year)
        if "drill" in parts:
            print(f"\nDrill-down of {year}, 4 clients, {args.drill_requests} requests per scope")
            p95 = measure_drill(scopes, year, args.drill_requests)
            for scope, value in p95.items():
                print(
                    f"  {scope}: p95 {value:.1f} ms (goal <= {DRILL_GOAL_MS} ms: "
                    f"{verdict(value <= DRILL_GOAL_MS)})"
                )
        if "approval" in parts:
            print(f"\nApproval to the changed figure (province {province}, {year})")
            measure_approval(province, year)
        if "burst" in parts:
            print(
                f"\nDeadline burst: {args.burst_clients} clients for {args.burst_seconds:.0f} s, "
                f"{WRITE_SHARE:.0%} of requests save or submit a {year} report; "
                f"load average: {loadavg()}"
            )
            results, elapsed, refused, used = burst(
                args.burst_clients, args.burst_seconds, year, provinces, CpuMeter(gunicorn.pid)
            )
            labels = [*READS, "form", "save", "submit"]
            errors, overall = report(results, labels)
            total = sum(len(v) for v in results.timings.values())
            posts = sum(len(results.timings.get(k, [])) for k in ("save", "submit"))
            print(
                f"  {total / elapsed:.1f} requests/s over {elapsed:.1f} s; "
                f"{posts / max(total, 1):.0%} of them POSTs; forms sent back: {len(refused)}"
            )
            for line in refused[:3]:
                print(f"  sent back: {line}")
            print_cpu(used, elapsed, total)
            ok = errors == 0 and not refused and overall <= BURST_GOAL_MS
            print(f"  goal 0 errors and p95 <= {BURST_GOAL_MS} ms: {verdict(ok)}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    if "reports" in parts:
        print(f"\nNational report of {year}, per format (report_generate in a fresh process)")
        measure_reports(args.database, year, args.report_memory_gb)
    print(f"\nload average at end: {loadavg()} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
