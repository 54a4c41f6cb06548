"""Benchmark of the benchmark score (DESIGN §4, assessments.benchmark).

Uses the indicator bench's database and data (bench/indicators.py: N facilities, default 100,000,
with approved reports 2016–2020; seeded if missing) and prints the time of `year_scores(year)` —
every facility's score of a year in one query — for each year: the first run in a fresh
connection ("cold", nothing of it cached by the portal) and the best of three; then the time of
`GET /api/v1/facilities/<id>/benchmark/?year=2020` for one facility. Goal: cold <= 2 s a year.

With `--demo N`, instead: the pages that show a facility's scores and the option library's
anonymised examples, on the demo data (`seed_demo` of N facilities, seeded once in the database
`sxsh_bench_demo`): the option library's first page, a facility's progress page (the facility
with the most approved years) and the new-assessment form with that facility chosen (its ten
sector examples); median time of `--runs` requests after one to warm up, and the queries.

    .venv/bin/python bench/benchmark.py [--facilities 100000] [--database sxsh_bench_ind]
    .venv/bin/python bench/benchmark.py --demo 1500 [--database sxsh_bench_demo] [--runs 5]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import statistics
import time

from common import configure, ensure_database

YEARS = range(2016, 2021)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--demo", type=int, default=None, metavar="N")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.demo:
        demo_pages(args.demo, args.database or "sxsh_bench_demo", args.runs)
        return
    args.database = args.database or "sxsh_bench_ind"

    configure(args.database, allowed_hosts="testserver,127.0.0.1,localhost")
    ensure_database(args.database)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from indicators import seed

    from accounts.models import Role, User
    from assessments.benchmark import year_scores

    seed(args.facilities)
    print(f"{args.facilities:,} facilities, {len(YEARS)} years of reports")
    for year in YEARS:
        connection.close()  # a fresh connection: nothing prepared or cached for the query
        started = time.perf_counter()
        scores = year_scores(year)
        cold = time.perf_counter() - started
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            year_scores(year)
            runs.append(time.perf_counter() - started)
        scored = sum(1 for b in scores.values() if b.score is not None)
        print(
            f"year_scores({year}): cold {cold:5.2f} s, best of 3 {min(runs):5.2f} s"
            f" ({len(scores):,} ranked, {scored:,} with a score; goal cold <= 2 s)"
        )
    setup_test_environment()
    user, _ = User.objects.get_or_create(
        username="bench_official", defaults={"role": Role.OFFICIAL}
    )
    client = Client()
    client.force_login(user)
    facility_id = next(iter(scores))
    path = f"/api/v1/facilities/{facility_id}/benchmark/?year=2020"
    client.get(path)
    started = time.perf_counter()
    response = client.get(path)
    print(f"GET {path}: {time.perf_counter() - started:5.2f} s, HTTP {response.status_code}")
    print(f"{'':>4}{response.json()}")


def demo_pages(facilities: int, database: str, runs: int) -> None:
    configure(database, allowed_hosts="testserver", LOG_LEVEL="WARNING")
    ensure_database(database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.audit import performed_by
    from accounts.models import Role, User
    from assessments.models import Option
    from facilities.models import Facility
    from ops.demo import seed_demo

    call_command("migrate", verbosity=0)
    if Facility.objects.count() < facilities:
        started = time.perf_counter()
        with performed_by("bench/benchmark.py"):
            seed_demo(facilities=facilities, seed=2016)
        print(f"seeded {facilities:,} demo facilities in {time.perf_counter() - started:.0f} s")
    facility = (
        Facility.objects.annotate(
            approved=Count("annual_reports", filter=Q(annual_reports__state="approved"))
        )
        .filter(industry__isnull=False)
        .order_by("-approved", "pk")
        .first()
    )
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": Role.STAFF})
    client = Client()
    client.force_login(staff)
    library = Option.objects.filter(status="done", assessment__state="approved").count()
    print(
        f"{Facility.objects.count():,} facilities, {library:,} done options of approved"
        f" assessments; facility {facility.pk} with {facility.approved} approved years"
    )
    pages = (
        ("option library, page 1", reverse("assessments:option_library")),
        ("facility progress", reverse("reports:facility_progress", args=[facility.pk])),
        (
            "new assessment form",
            f"{reverse('assessments:assessment_create')}?facility={facility.pk}",
        ),
    )
    for name, url in pages:
        client.get(url)
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            queries = max(queries, len(captured))
        print(f"  {name:24} median {statistics.median(times):6.3f} s   queries {queries}   {url}")


if __name__ == "__main__":
    main()
