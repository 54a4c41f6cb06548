"""Benchmark of report generation: time and peak memory per format (XLSX, PDF, DOCX).

Seeds N facilities (default 10,000) with annual reports for 2016–2020, activities, assessments and
options into a PostgreSQL database (default `sxsh_bench_rep`, created if missing). Then, for each
format, a fresh child process runs the report task body (`reports.generation.report_generate`, the
code the Celery worker runs, without the broker) for 2020, and prints the wall time and the
child's peak resident memory (VmHWM, which includes WeasyPrint's native memory). Goal: each
<= 20 s and <= 600 MB.

    .venv/bin/python bench/reports.py [--facilities 10000] [--database sxsh_bench_rep]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2016, 2021)
BATCH = 5000
FORMATS = ("xlsx", "pdf", "docx")


def configure(db_name: str, media_root: str) -> None:
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "k" * 60,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATICFILES_MANIFEST": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
            "PORTAL_PROVINCE_CODE": "27",
            "MEDIA_ROOT": media_root,
            "LOG_LEVEL": "WARNING",
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


# --- seed ----------------------------------------------------------------------------------------


def tax_codes(start: int):
    from facilities.validators import tax_code_check_digit

    serial = start
    while True:
        serial += 1
        digit = tax_code_check_digit(f"{serial:09d}")
        if digit is not None:
            yield f"{serial:09d}{digit}"


def new_facility(rng, n, tax_code, communes, industries):
    from facilities.models import Facility
    from facilities.text import fold

    closed = rng.random() < 0.05
    words = ["Giấy", "Thép", "Gốm", "Dệt may", "Bia", "Nhựa", "Cơ khí", "Gỗ", "Thực phẩm", "Đồng"]
    name = f"Công ty TNHH {rng.choice(words)} Bắc Ninh {n}"
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


def annual_reports(rng, facility):
    from assessments.models import AnnualReport

    output = Decimal(rng.randint(100, 50_000))
    applies_from = rng.choice([2016, 2017, 2018, 2019, 2020, 9999, 9999])
    rows = []
    for year in YEARS:
        fall = Decimal(1) - Decimal(rng.randint(0, 200)) / 1000 if year >= applies_from else 1
        rows.append(
            AnnualReport(
                facility_id=facility.pk,
                year=year,
                output=output,
                electricity_kwh=output * 50 * fall,
                coal_t=output / 20 * fall,
                employees=facility.employees,
                aware=year >= applies_from - 1,
                applies_cp=year >= applies_from,
                has_cp_unit=year >= applies_from and rng.random() < 0.5,
                state=rng.choice(["approved"] * 9 + ["draft"]),
            )
        )
    return rows


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
    codes = tax_codes(300_000_000 + existing)
    started = time.perf_counter()
    for offset in range(existing, count, BATCH):
        size = min(BATCH, count - offset)
        facilities = Facility.objects.bulk_create(
            [new_facility(rng, offset + i, next(codes), communes, industries) for i in range(size)]
        )
        rows = [row for facility in facilities for row in annual_reports(rng, facility)]
        AnnualReport.objects.bulk_create(rows, batch_size=BATCH)
    seed_programme(rng)
    print(f"seeded {count - existing:,} facilities in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def seed_programme(rng) -> None:
    """Activities in every district each year, approved assessments with options."""
    from assessments.models import Activity, Assessment, Option, Participation
    from facilities.models import AdminUnit, Facility

    ids = list(Facility.objects.values_list("pk", flat=True))
    districts = list(AdminUnit.objects.filter(level="district", scheme="pre2025"))
    for year in YEARS:
        for index, district in enumerate(districts):
            activity = Activity.objects.create(
                kind=rng.choice(["workshop", "training", "technical", "communication"]),
                title=f"Hội thảo nâng cao nhận thức SXSH tại {district.name} năm {year}",
                date=date(year, 3 + index % 9, 1 + index),
                district=district,
                budget_province_vnd=rng.randint(20, 80) * 1_000_000,
            )
            Participation.objects.bulk_create(
                [
                    Participation(activity=activity, facility_id=pk, people=rng.randint(1, 4))
                    for pk in rng.sample(ids, min(len(ids), 60))
                ]
            )
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(facility_id=pk, kind="quick", state="approved", baseline_year=2016)
            for pk in rng.sample(ids, len(ids) // 5)
        ]
    )
    Option.objects.bulk_create(
        [
            Option(
                assessment=assessment,
                category=rng.randint(1, 8),
                description="Sửa chữa rò rỉ hơi, bảo ôn đường ống và thu hồi nước ngưng",
                status=rng.choice(["done", "done", "planned", "in_progress"]),
                implementation_year=rng.choice(list(YEARS)),
                investment_vnd=rng.randint(10, 500) * 1_000_000,
                annual_saving_vnd=rng.randint(5, 200) * 1_000_000,
            )
            for assessment in assessments
            for _ in range(3)
        ],
        batch_size=BATCH,
    )


# --- measure -------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's high-water mark over the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(fmt: str, year: int) -> None:
    """Run in a fresh process: generate one report, print JSON with time and peak memory."""
    import django

    django.setup()
    from reports.generation import report_generate
    from reports.models import Report

    report = Report.objects.create(year=year, format=fmt)
    baseline = peak_rss_mb()
    started = time.perf_counter()
    outcome = report_generate(report_id=report.pk)
    elapsed = time.perf_counter() - started
    report.refresh_from_db()
    peak = peak_rss_mb()
    print(
        json.dumps(
            {
                "format": fmt,
                "outcome": str(outcome),
                "error": report.error,
                "seconds": round(elapsed, 2),
                "peak_mb": round(peak, 1),
                "baseline_mb": round(baseline, 1),
                "size_kb": round((report.size_bytes or 0) / 1024, 1),
            }
        )
    )


def measure(fmt: str, year: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--year", str(year)],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{fmt}: child failed\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=10_000)
    parser.add_argument("--database", default="sxsh_bench_rep")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    media = os.environ.get("BENCH_MEDIA_ROOT") or tempfile.mkdtemp(prefix="sxsh-bench-")
    configure(args.database, media)
    if args.child:
        os.environ["BENCH_MEDIA_ROOT"] = media
        child(args.child, args.year)
        return
    os.environ["BENCH_MEDIA_ROOT"] = media
    ensure_database(args.database)
    import django

    django.setup()
    seed(args.facilities)
    print(f"{args.facilities:,} facilities x {len(YEARS)} years, report for {args.year}")
    for fmt in FORMATS:
        row = measure(fmt, args.year)
        verdict = "ok" if row["seconds"] <= 20 and row["peak_mb"] <= 600 else "OVER GOAL"
        print(
            f"{fmt:>5}: {row['seconds']:6.2f} s   peak RSS {row['peak_mb']:6.1f} MB "
            f"(after start-up {row['baseline_mb']:.1f} MB)   file {row['size_kb']:,.0f} KB"
            f"   {row['outcome']} {verdict} {row['error']}".rstrip()
        )


if __name__ == "__main__":
    main()
