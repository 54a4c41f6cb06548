"""Benchmark of the indicator computation, the dashboard and the indicators API endpoint.

Seeds N facilities (default 100,000) with approved annual reports for 2016–2020 (about five per
facility), some awareness activities and done options into a PostgreSQL database (default
`sxsh_bench_ind`, created if missing), then prints the time of `compute_indicators` for each year,
of the dashboard page and of `GET /api/v1/indicators/?year=2020` (in-process test client), with
the number of queries of each: first with the cache of computed counts emptied ("cold", what the
first request after a change to the data costs), then again ("cached"). Goal: each <= 2 s.

The facilities get 2025 places too (`place_2025`: the ward of their old commune, none for one in
ten as if their commune had been split, no old commune for one in fifty as if registered by ward
only) and registry flags, and the indicators are timed without groups and with every grouping
(old province, old district, ward, sector, the two flags). Goal: grouped <= 2 × ungrouped.

    .venv/bin/python bench/indicators.py [--facilities 100000] [--database sxsh_bench_ind]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import time
from datetime import date

from common import annual_reports, configure, ensure_database, programme_facility, seed_facilities

YEARS = range(2016, 2021)


def _reports(rng, facility):
    """Reports for the years the facility was open, with its output moving ±10 % a year."""
    first = max(2016, facility.established_year or 2016)
    last = min(2020, facility.closed_year or 2020)
    return annual_reports(
        rng, facility, range(first, last + 1), vary_output=True, with_finances=True
    )


def seed(count: int) -> None:
    seed_facilities(
        count,
        programme_facility,
        tax_code_base=200_000_000,
        reports=_reports,
        programme=_seed_programme,
    )


def _seed_programme(rng) -> None:
    """A few awareness workshops with participants, and approved assessments with done options."""
    from assessments.models import Activity, Assessment, Option, Participation
    from facilities.models import Facility

    ids = list(Facility.objects.values_list("pk", flat=True))
    for year in YEARS:
        activity = Activity.objects.create(
            kind="workshop", title=f"Hội thảo SXSH {year}", date=date(year, 6, 1)
        )
        chosen = rng.sample(ids, min(len(ids), 2000))
        Participation.objects.bulk_create(
            [Participation(activity=activity, facility_id=pk) for pk in chosen]
        )
    assessments = Assessment.objects.bulk_create(
        [Assessment(facility_id=pk, kind="quick", state="approved") for pk in rng.sample(ids, 2000)]
    )
    Option.objects.bulk_create(
        [
            Option(
                assessment=a,
                category=1,
                description="Quản lý nội vi",
                status="done",
                implementation_year=rng.choice(list(YEARS)),
            )
            for a in assessments
        ]
    )


def place_2025() -> None:
    """2025 wards (the first successor of the old commune; none for one facility in ten), no old
    commune for one in fifty, and the registry flags; once (skipped when wards are set)."""
    from django.db import connection

    from core.data_version import data_changed
    from facilities.models import AdminUnit, Facility

    if Facility.objects.filter(ward__isnull=False).exists():
        return
    facility = Facility._meta.db_table
    links = AdminUnit.successors.through._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cur:
        # Fixed table names from the models; no input.
        cur.execute(
            f"""UPDATE {facility} AS f SET ward_id = s.to_id
                FROM (SELECT from_adminunit_id AS from_id, MIN(to_adminunit_id) AS to_id
                      FROM {links} GROUP BY from_adminunit_id) AS s
                WHERE f.commune_id = s.from_id AND f.id % 10 <> 0"""
        )
        cur.execute(
            f"UPDATE {facility} SET commune_id = NULL WHERE id % 50 = 1 AND ward_id IS NOT NULL"
        )
        cur.execute(
            f"UPDATE {facility} SET high_pollution_risk = (id % 7 = 0),"
            " key_energy_user = (id % 11 = 0)"
        )
        cur.execute(f"VACUUM ANALYZE {facility}")
    data_changed()
    print(f"placed facilities in 2025 wards in {time.perf_counter() - started:.1f} s")


def timed(label: str, func):
    """Time `func` with the cache emptied, then again with what it cached; return its result."""
    from django.core.cache import cache
    from django.db import connection, reset_queries

    cache.clear()
    figures = []
    for _ in ("cold", "cached"):
        reset_queries()
        started = time.perf_counter()
        result = func()
        figures.append(f"{time.perf_counter() - started:6.2f} s ({len(connection.queries)} q)")
    print(f"{label:>40}: cold {figures[0]}, cached {figures[1]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--database", default="sxsh_bench_ind")
    args = parser.parse_args()

    configure(args.database, allowed_hosts="testserver,127.0.0.1,localhost")
    ensure_database(args.database)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import Role, User
    from reports.indicators import compute_indicators

    seed(args.facilities)
    place_2025()
    setup_test_environment()
    settings.DEBUG = True  # count queries
    print(f"{args.facilities:,} facilities, {len(YEARS)} years of reports")
    from reports.facts import group_counts
    from reports.groupings import GROUPINGS
    from reports.indicators import compute_years, period_for

    period = period_for(2020)
    # The one grouped query against the ungrouped one (no cache), best of three each.
    figures = {}
    for label, groupings in (("ungrouped", ()), ("grouped", GROUPINGS)):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            group_counts(YEARS, groupings=groupings)
            runs.append(time.perf_counter() - started)
        figures[label] = min(runs)
        print(f"{'group_counts(2016–2020) ' + label:>40}: {figures[label]:6.2f} s (best of 3)")
    ratio = figures["grouped"] / figures["ungrouped"]
    print(f"{'grouped / ungrouped':>40}: {ratio:6.2f}× (goal <= 2×)")
    timed(
        "compute_years(2016–2020) ungrouped",
        lambda: compute_years(YEARS, period=period, grouped=False),
    )
    timed("compute_years(2016–2020) grouped", lambda: compute_years(YEARS, period=period))
    for year in YEARS:
        result = timed(f"compute_indicators({year})", lambda y=year: compute_indicators(y))
        print(
            " " * 42
            + ", ".join(
                f"{r.code} {r.value.actual}" for r in result.results if r.value.actual is not None
            )
        )
    user, _ = User.objects.get_or_create(
        username="bench_official", defaults={"role": Role.OFFICIAL}
    )
    client = Client()
    client.force_login(user)
    for year in (2020, 2016):
        path = f"/reports/dashboard/?year={year}"
        response = timed(f"GET {path}", lambda p=path: client.get(p))
        print(f"{'':>42}HTTP {response.status_code}")
    path = "/reports/indicators/AWARE_PCT/2020/numerator/"
    response = timed(f"GET {path}", lambda: client.get(path))
    print(f"{'':>42}HTTP {response.status_code}")
    for path in ("/api/v1/indicators/?year=2020", "/api/v1/indicators/?year=2020&group=ward"):
        response = timed(f"GET {path}", lambda p=path: client.get(p))
        print(f"{'':>42}HTTP {response.status_code}")


if __name__ == "__main__":
    main()
