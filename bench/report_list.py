"""Benchmark of the report list page (`reports:list`, /reports/files/) and its stale-draft marks
(reports/staleness.py): how long a staff member waits for the page, and how many queries it makes,
cold (just after a data change: the fingerprints of every document on the page are gathered
again) and warm (nothing changed: they come from the cache).

Runs against the database `bench/reports.py` seeded and built drafts in (default
`sxsh_bench_rep`): run that first. It requests one more draft of each format for each year of
`--years` (the years up to `--year`; one by default), so the page lists drafts of several years
as a files list does after a few years of use, then measures. With several years, "cold" shows
what any data change costs the page: the fingerprints of every year's documents are gathered
again, not only those of the year the change touched.

    .venv/bin/python bench/report_list.py [--database sxsh_bench_rep] [--year 2020] [--years 1]
        [--runs 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import os
import statistics
import tempfile
import time

from common import configure


def timed_get(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sxsh_bench_rep")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    media = os.environ.get("BENCH_MEDIA_ROOT") or tempfile.mkdtemp(prefix="sxsh-bench-")
    configure(args.database, MEDIA_ROOT=media, LOG_LEVEL="WARNING", ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from core.data_version import bump
    from facilities.models import Facility
    from reports.generation import report_generate
    from reports.models import Report

    if not Facility.objects.exists():
        raise SystemExit(f"{args.database} holds no facilities: run bench/reports.py first")
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": Role.STAFF})
    years = list(range(args.year - max(args.years, 1) + 1, args.year + 1))
    for year in years:
        for fmt in ("pdf", "xlsx", "docx"):
            report = Report.objects.create(year=year, format=fmt, requested_by=staff)
            report_generate(report_id=report.pk)
    drafts = Report.objects.filter(state="succeeded", issued_at__isnull=True).count()
    client = Client()
    client.force_login(staff)
    url = reverse("reports:list")
    cold, warm = [], []
    for _ in range(args.runs):
        bump()  # as any approval does: the cached fingerprints are no longer read
        cold.append(timed_get(client, url))
        warm.append(timed_get(client, url))
    facilities = Facility.objects.count()
    listed = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    print(f"{facilities:,} facilities, {drafts} drafts on record, report list of {listed}")
    for name, rows in (("cold (after a data change)", cold), ("warm (nothing changed)", warm)):
        seconds = statistics.median(row[0] for row in rows)
        queries = max(row[1] for row in rows)
        print(f"  {name:28} median {seconds:7.3f} s   queries {queries}")


if __name__ == "__main__":
    main()
