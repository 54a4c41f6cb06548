"""Benchmark of the benchmark score (DESIGN §4, assessments.benchmark).

Uses the indicator bench's database and data (bench/indicators.py: N facilities, default 100,000,
with approved reports 2016–2020; seeded if missing) and prints the time of `year_scores(year)` —
every facility's score of a year in one query — for each year: the first run in a fresh
connection ("cold", nothing of it cached by the portal) and the best of three; then the time of
`GET /api/v1/facilities/<id>/benchmark/?year=2020` for one facility. Goal: cold <= 2 s a year.

    .venv/bin/python bench/benchmark.py [--facilities 100000] [--database sxsh_bench_ind]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import time

from common import configure, ensure_database

YEARS = range(2016, 2021)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--database", default="sxsh_bench_ind")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
