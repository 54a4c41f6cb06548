"""Benchmark of the facility import (facilities.importing, the code path of the web page and of
`manage.py import_facilities`).

Builds a CSV of N facilities (default 10,000; valid tax codes, communes of the province, a VSIC
group) and prints, against a PostgreSQL database (default `sxsh_bench_import`, created and
migrated if missing, units of province 27 loaded):
- planning the file (read + check every row) with one bad row near the end: the time, and that it
  names that row alone (goal <= 10 s);
- planning and writing the whole file in one transaction, with a history entry per facility
  (goal <= 30 s);
- then an annual-report file of one year for those facilities (assessments.importing, the path
  of `manage.py import_annual_reports`): planning, and writing with the data-quality check of
  every report of the facilities it writes once the transaction commits (goal <= 60 s), and that
  check alone again (quality.refresh_facilities).
The facilities and reports it wrote are deleted afterwards, so a second run starts alike.

    .venv/bin/python bench/imports.py [--rows 10000] [--database sxsh_bench_import]

Figures, not assertions: it prints MISS next to a goal missed and exits 0.
"""

import argparse
import csv
import io
import random
import time

from common import configure, ensure_database, tax_codes

PLAN_GOAL_S = 10
IMPORT_GOAL_S = 30
REPORTS_GOAL_S = 60
REPORT_YEAR = 2018
FIRST_SERIAL = 880_000_000  # tax codes of this bench only


def csv_file(rows: int, communes: list[str], *, bad_row: int | None = None) -> bytes:
    """`rows` facilities as the import template's columns; row `bad_row` (spreadsheet numbering,
    header = 1) names a commune that does not exist."""
    rng = random.Random(2016)
    codes = tax_codes(FIRST_SERIAL)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    header = ["tax_code", "name", "address", "commune_code", "vsic_code", "ownership"]
    header += ["established_year", "employees", "revenue_bn_vnd", "capital_bn_vnd", "status"]
    writer.writerow(header)
    for n in range(1, rows + 1):
        commune = "99999" if n + 1 == bad_row else rng.choice(communes)
        writer.writerow(
            [
                next(codes),
                f"Công ty TNHH Thử tải {n}",
                f"Số {n}, Đường Lý Thái Tổ",
                commune,
                "1104",
                "private",
                rng.randint(1990, 2015),
                rng.randint(5, 800),
                f"{rng.randint(1, 900)},5",
                f"{rng.randint(1, 400)},2",
                "active",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_file(tax_codes: list[str]) -> bytes:
    """One approved-to-be report of REPORT_YEAR per tax code, the report import's columns."""
    rng = random.Random(2018)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["tax_code", "year", "product", "product_unit", "output", "electricity_kwh"])
    for code in tax_codes:
        output = rng.randint(100, 5000)
        writer.writerow([code, REPORT_YEAR, "Gạch", "tấn", output, f"{output * 120},5"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def verdict(seconds: float, goal: float) -> str:
    return f"(goal <= {goal} s)" if seconds <= goal else f"MISS (goal <= {goal} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", default="sxsh_bench_import")
    args = parser.parse_args()

    configure(args.database)
    ensure_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import Role, User
    from facilities.importing import apply_import, plan_file
    from facilities.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.exists():
        call_command("load_admin_units", verbosity=0)
    communes = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, scheme=AdminUnit.Scheme.PRE2025)
        .filter(parent__parent__code="27")
        .values_list("code", flat=True)
    )
    user, _ = User.objects.get_or_create(username="bench_import", defaults={"role": Role.STAFF})
    remove_written()

    bad_row = args.rows - 2
    data = csv_file(args.rows, communes, bad_row=bad_row)
    started = time.perf_counter()
    plan = plan_file(io.BytesIO(data), "bench.csv")
    seconds = time.perf_counter() - started
    named = sorted({(p.row, p.column) for p in plan.problems})
    print(
        f"plan {args.rows:,} rows with a bad row {bad_row}: {seconds:5.2f} s "
        f"{verdict(seconds, PLAN_GOAL_S)}; problems named: {named}"
    )

    data = csv_file(args.rows, communes)
    started = time.perf_counter()
    plan = plan_file(io.BytesIO(data), "bench.csv")
    planned = time.perf_counter() - started
    result = apply_import(plan, user=user)
    seconds = time.perf_counter() - started
    print(
        f"import {args.rows:,} rows: {seconds:5.2f} s (plan {planned:5.2f} s, write "
        f"{seconds - planned:5.2f} s) {verdict(seconds, IMPORT_GOAL_S)}; created {result.created:,}"
    )
    bench_reports(user)
    remove_written()


def remove_written() -> None:
    """The facilities of this bench and their reports (their findings and events go too)."""
    from assessments.models import AnnualReport
    from facilities.models import Facility

    facilities = Facility.objects.filter(name__startswith="Công ty TNHH Thử tải ")
    AnnualReport.objects.filter(facility__in=facilities).delete()
    facilities.delete()


def bench_reports(user) -> None:
    from assessments import quality
    from assessments.importing import apply_import, plan_file
    from facilities.models import Facility

    facilities = Facility.objects.filter(name__startswith="Công ty TNHH Thử tải ")
    codes = list(facilities.values_list("tax_code", flat=True))
    data = report_file(codes)
    started = time.perf_counter()
    plan = plan_file(io.BytesIO(data), "bench-reports.csv")
    planned = time.perf_counter() - started
    if not plan.is_valid:
        print(f"report file refused: {[str(p) for p in plan.problems[:3]]}")
        return
    result = apply_import(plan, user=user)  # the quality re-check runs once it commits
    seconds = time.perf_counter() - started
    print(
        f"import {len(codes):,} annual reports: {seconds:5.2f} s (plan {planned:5.2f} s, write "
        f"and re-check {seconds - planned:5.2f} s) {verdict(seconds, REPORTS_GOAL_S)}; "
        f"created {result.created:,}"
    )
    ids = list(facilities.values_list("pk", flat=True))
    started = time.perf_counter()
    checked = quality.refresh_facilities(ids)
    seconds = time.perf_counter() - started
    print(f"re-check of those facilities alone: {seconds:5.2f} s; {checked:,} reports checked")


if __name__ == "__main__":
    main()
