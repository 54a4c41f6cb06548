"""Benchmark of report generation: time and peak memory per format (XLSX, PDF, DOCX) and for
the Ministry's table (`bct`, an XLSX built with the annual report).

Seeds N facilities (default 10,000) with annual reports for 2016–2020, activities, assessments and
options into a PostgreSQL database (default `sxsh_bench_rep`, created if missing). Then, for each
of them, a fresh child process runs the report task body (`reports.generation.report_generate`,
the code the Celery worker runs, without the broker) for 2020, and prints the wall time and the
child's peak resident memory (VmHWM, which includes WeasyPrint's native memory). Goal: each
<= 20 s and <= 600 MB.

    .venv/bin/python bench/reports.py [--facilities 10000] [--database sxsh_bench_rep]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Figures, not assertions: nothing fails.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import (
    BATCH,
    TRADES,
    annual_reports,
    configure,
    ensure_database,
    programme_facility,
    seed_facilities,
)

YEARS = range(2016, 2021)
# What is measured: the annual report in each format, and the Ministry's table built with it
# (reports/files/ministry.py) — name -> (Report kind, format).
JOBS = {
    "xlsx": ("annual_progress", "xlsx"),
    "pdf": ("annual_progress", "pdf"),
    "docx": ("annual_progress", "docx"),
    "bct": ("ministry_table", "xlsx"),
}
FORMATS = tuple(JOBS)


# --- seed ----------------------------------------------------------------------------------------


def new_facility(rng, n, tax_code, communes, industries):
    return programme_facility(
        rng,
        n,
        tax_code,
        communes,
        industries,
        naming=lambda rng, n: f"Công ty TNHH {rng.choice(TRADES)} Bắc Ninh {n}",
    )


def seed(count: int) -> None:
    seed_facilities(
        count,
        new_facility,
        tax_code_base=300_000_000,
        reports=lambda rng, facility: annual_reports(rng, facility, YEARS),
        programme=seed_programme,
    )


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

    kind, file_format = JOBS[fmt]
    report = Report.objects.create(kind=kind, year=year, format=file_format)
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


def measure(fmt: str, year: int, database: str) -> dict:
    # The child measures the same database as its parent (`--database`), not the default one.
    command = [sys.executable, __file__, "--child", fmt, "--year", str(year)]
    result = subprocess.run(
        [*command, "--database", database],
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
    configure(args.database, MEDIA_ROOT=media, LOG_LEVEL="WARNING")
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
        row = measure(fmt, args.year, args.database)
        verdict = "ok" if row["seconds"] <= 20 and row["peak_mb"] <= 600 else "OVER GOAL"
        print(
            f"{fmt:>5}: {row['seconds']:6.2f} s   peak RSS {row['peak_mb']:6.1f} MB "
            f"(after start-up {row['baseline_mb']:.1f} MB)   file {row['size_kb']:,.0f} KB"
            f"   {row['outcome']} {verdict} {row['error']}".rstrip()
        )


if __name__ == "__main__":
    main()
