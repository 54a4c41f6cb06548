"""What the benchmarks share: the environment, the database, and seeding facilities and reports.

Each script keeps its own knobs (database name, counts, the shape of its data, what it measures);
the seeding here is deterministic (`random.Random(2016)`), so a database seeded twice with the same
options holds the same data. Importing this module puts the project root first on `sys.path`, so
that `reports` is the Django app and not `bench/reports.py`.
"""

import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000
TRADES = ["Giấy", "Thép", "Gốm", "Dệt may", "Bia", "Nhựa", "Cơ khí", "Gỗ", "Thực phẩm", "Đồng"]


def configure(db_name: str, *, allowed_hosts: str = "127.0.0.1,localhost", **extra: str) -> dict:
    """Set the portal's environment for a benchmark against PostgreSQL database `db_name`;
    `extra` adds or overrides variables. Returns the variables it set."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "k" * 60,
        "ALLOWED_HOSTS": allowed_hosts,
        "SECURE_SSL_REDIRECT": "0",
        "STATICFILES_MANIFEST": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
        "PORTAL_PROVINCE_CODE": "27",
        # The benches measure the pages, not the second login step of staff accounts.
        "TWO_FACTOR_REQUIRED": "0",
        **extra,
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sxsh_portal.settings"
    return env


def ensure_database(db_name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()


def tax_codes(start: int) -> Iterator[str]:
    """Valid 10-digit tax codes for the serials after `start`, in order."""
    from facilities.validators import tax_code_check_digit

    serial = start
    while True:
        serial += 1
        first9 = f"{serial:09d}"
        digit = tax_code_check_digit(first9)
        if digit is not None:
            yield f"{first9}{digit}"


def programme_facility(
    rng: random.Random,
    n: int,
    tax_code: str,
    communes: list,
    industries: list,
    naming: Callable[[random.Random, int], str] = lambda rng, n: f"Công ty TNHH Sản xuất {n}",
):
    """A facility of the programme's period: one in twenty closed during 2016–2020, with revenue
    and capital. `naming(rng, n)` names it."""
    from core.text import fold
    from facilities.models import Facility

    closed = rng.random() < 0.05
    name = naming(rng, n)
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


def annual_reports(
    rng: random.Random,
    facility,
    years: Iterable[int],
    *,
    vary_output: bool = False,
    with_finances: bool = False,
) -> list:
    """The facility's annual reports for `years`, nine in ten approved: aware a year before it
    starts applying cleaner production (or never), and using up to 20 % less energy from then.
    `vary_output` lets the output move ±10 % a year; `with_finances` copies the facility's revenue
    and capital into each report."""
    from assessments.models import AnnualReport

    output = Decimal(rng.randint(100, 50_000))
    applies_from = rng.choice([2016, 2017, 2018, 2019, 2020, 9999, 9999])
    reports = []
    for year in years:
        fall = Decimal(1) - Decimal(rng.randint(0, 200)) / 1000 if year >= applies_from else 1
        reports.append(
            AnnualReport(
                facility_id=facility.pk,
                year=year,
                output=output * Decimal(rng.randint(90, 110)) / 100 if vary_output else output,
                electricity_kwh=output * 50 * fall,
                coal_t=output / 20 * fall,
                employees=facility.employees,
                revenue_bn_vnd=facility.revenue_bn_vnd if with_finances else None,
                capital_bn_vnd=facility.capital_bn_vnd if with_finances else None,
                aware=year >= applies_from - 1,
                applies_cp=year >= applies_from,
                has_cp_unit=year >= applies_from and rng.random() < 0.5,
                state=rng.choice(["approved"] * 9 + ["draft"]),
            )
        )
    return reports


def seed_facilities(
    count: int,
    build: Callable,
    *,
    tax_code_base: int,
    reports: Callable | None = None,
    programme: Callable[[random.Random], None] | None = None,
    analyze: str = "VACUUM ANALYZE",
) -> None:
    """Migrate, load the province's reference data and top the database up to `count` facilities,
    each made by `build(rng, n, tax_code, communes, industries)`, with the annual reports
    `reports(rng, facility)` returns; then run `programme(rng)` once and the SQL `analyze`.
    Does nothing when the database already holds `count` facilities."""
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import AnnualReport
    from core.data_version import data_changed
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
    codes = tax_codes(tax_code_base + existing)
    started = time.perf_counter()
    for offset in range(existing, count, BATCH):
        size = min(BATCH, count - offset)
        facilities = Facility.objects.bulk_create(
            [build(rng, offset + i, next(codes), communes, industries) for i in range(size)]
        )
        if reports is not None:
            rows = [row for facility in facilities for row in reports(rng, facility)]
            AnnualReport.objects.bulk_create(rows, batch_size=BATCH)
    if programme is not None:
        programme(rng)
    data_changed()  # bulk writes send no signals; cached indicator counts must not be served
    print(f"seeded {count - existing:,} facilities in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        # A production database is vacuumed by autovacuum; a freshly bulk-loaded one is not yet,
        # and COUNT(*) would scan the whole table instead of an index (index-only scan).
        cur.execute(analyze)


# --- bulk loading ----------------------------------------------------------------------------


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_models(objects: list) -> int:
    """Insert unsaved model instances of one model with PostgreSQL's COPY (several times faster
    than bulk_create for millions of rows). Like bulk_create it sends no signals and runs no
    save(); unlike it, it does not set the instances' primary keys. `auto_now`/`auto_now_add`
    fields are filled in as bulk_create would. Returns the number of rows."""
    import io

    from django.db import connection

    if not objects:
        return 0
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    for obj in objects:
        values = []
        for model_field in fields:
            value = model_field.pre_save(obj, add=True)
            values.append(_copy_text(model_field.get_db_prep_save(value, connection)))
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        cur.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    return len(objects)
