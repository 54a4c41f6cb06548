"""Benchmark of the indicator computation, the dashboard and the indicators API endpoint.

Seeds N facilities (default 100,000) with approved annual reports for 2016–2020 (about five per
facility), some awareness activities and done options into a PostgreSQL database (default
`sxsh_bench_ind`, created if missing), then prints the time of `compute_indicators` for each year,
of the dashboard page and of `GET /api/v1/indicators/?year=2020` (in-process test client), with
the number of queries of each. Goal: each <= 2 s.

    .venv/bin/python bench/indicators.py [--facilities 100000] [--database sxsh_bench_ind]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2016, 2021)
BATCH = 5000


def configure(db_name: str) -> None:
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "k" * 60,
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATICFILES_MANIFEST": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
            "PORTAL_PROVINCE_CODE": "27",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "sxsh_portal.settings"


def ensure_database(db_name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()


def _tax_codes(start: int):
    from facilities.validators import tax_code_check_digit

    serial = start
    while True:
        serial += 1
        first9 = f"{serial:09d}"
        digit = tax_code_check_digit(first9)
        if digit is not None:
            yield f"{first9}{digit}"


def _facility(rng, n, tax_code, communes, industries):
    from facilities.models import Facility
    from facilities.text import fold

    closed = rng.random() < 0.05
    name = f"Công ty TNHH Sản xuất {n}"
    return Facility(
        name=name,
        tax_code=tax_code,
        address=f"Số {n % 500 + 1}, Quốc lộ 1A",
        commune=rng.choice(communes),
        industry=rng.choice(industries),
        ownership=rng.choice(["state", "private", "fdi"]),
        established_year=rng.choice([None, *range(1995, 2021)]),
        employees=rng.randint(3, 600),
        revenue_bn_vnd=Decimal(rng.randint(1, 400)),
        capital_bn_vnd=Decimal(rng.randint(1, 200)),
        status="closed" if closed else "active",
        closed_year=rng.randint(2016, 2020) if closed else None,
        search_text=fold(f"{name} {tax_code}"),
    )


def _reports(rng, facility):
    from assessments.models import AnnualReport

    first = max(2016, facility.established_year or 2016)
    last = min(2020, facility.closed_year or 2020)
    output = Decimal(rng.randint(100, 50_000))
    applies_from = rng.choice([2016, 2017, 2018, 2019, 2020, 9999, 9999])
    reports = []
    for year in range(first, last + 1):
        fall = Decimal(1) - Decimal(rng.randint(0, 200)) / 1000 if year >= applies_from else 1
        reports.append(
            AnnualReport(
                facility_id=facility.pk,
                year=year,
                output=output * Decimal(rng.randint(90, 110)) / 100,
                electricity_kwh=output * 50 * fall,
                coal_t=output / 20 * fall,
                employees=facility.employees,
                revenue_bn_vnd=facility.revenue_bn_vnd,
                capital_bn_vnd=facility.capital_bn_vnd,
                aware=year >= applies_from - 1,
                applies_cp=year >= applies_from,
                has_cp_unit=year >= applies_from and rng.random() < 0.5,
                state=rng.choice(["approved"] * 9 + ["draft"]),
            )
        )
    return reports


def seed(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import AnnualReport
    from facilities.models import AdminUnit, Facility, IndustryCode
    from facilities.reference import load_admin_units

    call_command("migrate", verbosity=0)
    load_admin_units(27)
    existing = Facility.objects.count()
    if existing >= count:
        print(f"database already holds {existing:,} facilities")
        return
    communes = list(AdminUnit.objects.filter(level="commune", scheme="pre2025"))
    industries = list(IndustryCode.objects.filter(level=2, code__gte="10", code__lte="33"))
    rng = random.Random(2016)
    codes = _tax_codes(200_000_000 + existing)
    started = time.perf_counter()
    for offset in range(existing, count, BATCH):
        size = min(BATCH, count - offset)
        facilities = Facility.objects.bulk_create(
            [_facility(rng, offset + i, next(codes), communes, industries) for i in range(size)]
        )
        reports = [r for facility in facilities for r in _reports(rng, facility)]
        AnnualReport.objects.bulk_create(reports, batch_size=BATCH)
    _seed_programme(rng)
    print(f"seeded {count - existing:,} facilities in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


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


def timed(label: str, func):
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    print(f"{label:>40}: {elapsed:6.2f} s  ({len(connection.queries)} queries)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--database", default="sxsh_bench_ind")
    args = parser.parse_args()

    configure(args.database)
    ensure_database(args.database)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import Role, User
    from reports.indicators import compute_indicators

    seed(args.facilities)
    setup_test_environment()
    settings.DEBUG = True  # count queries
    print(f"{args.facilities:,} facilities, {len(YEARS)} years of reports")
    from reports.indicators import compute_years, period_for

    period = period_for(2020)
    timed("compute_years(2016–2020)", lambda: compute_years(YEARS, period=period))
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
    response = timed(
        "GET /api/v1/indicators/?year=2020", lambda: client.get("/api/v1/indicators/?year=2020")
    )
    print(f"{'':>42}HTTP {response.status_code}")


if __name__ == "__main__":
    main()
