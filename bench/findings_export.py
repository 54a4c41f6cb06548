"""Benchmark of the findings XLSX export (`assessments:quality_findings?format=xlsx`): how long a
staff member waits for the file of every open data-quality finding.

Seeds its own database (default `sxsh_bench_findings`, created and migrated if missing, units of
province 27 loaded) once: `--findings` // 2 facilities (half of them in a 2025 ward, one in fifty
named like a formula), four annual reports each (2017–2020) and `--findings` open findings spread
over the rules, with the stored message parameters the checks write (a few without, as findings
stored before they were kept). Then it requests the export through the test client as staff and
prints the median time (wall and CPU: the CPU moves less on a busy machine), the queries, the
rows, the file's size and the load average.

    .venv/bin/python bench/findings_export.py [--findings 10000] [--database sxsh_bench_findings]
        [--runs 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Goal: under 1.5 s for 11,000 findings; it
prints MISS next to a goal missed and exits 0.
"""

import argparse
import io
import os
import random
import statistics
import time

from common import (
    annual_reports,
    configure,
    ensure_database,
    programme_facility,
    seed_facilities,
)

GOAL_S_PER_11K = 1.5
YEARS = range(2017, 2021)


def _facility(wards: list):
    def build(rng, n, tax_code, communes, industries):
        naming = (lambda rng, n: f"-Cơ sở {n}") if n % 50 == 0 else lambda rng, n: f"Công ty {n}"
        facility = programme_facility(rng, n, tax_code, communes, industries, naming=naming)
        facility.ward = rng.choice(wards) if wards and n % 2 else None
        return facility

    return build


def _reports(rng, facility):
    return annual_reports(rng, facility, YEARS, vary_output=True)


def _params(rng: random.Random, code: str) -> dict:
    """The parameters a check stores for rule `code` (assessments.quality_messages)."""
    from assessments.quality_messages import message_params

    def number() -> str:
        return str(rng.randint(1, 90_000) / 1000)

    args = {
        "UNIT_CHANGED": {"unit": "tấn", "year": 2017, "base": rng.choice(["", "m³"])},
        "INTENSITY_JUMP": {
            "change": number(),
            "year": 2018,
            "before": number(),
            "after": number(),
            "unit": "tấn",
            "threshold": "30",
        },
        "INTENSITY_OUT_OF_BAND": {
            "value": number(),
            "unit": "tấn",
            "low": "0.01",
            "high": "0.5",
            "division": "10",
            "year": 2019,
            "peers": rng.randint(5, 80),
        },
        "KEY_ENERGY_USER": {"toe": number(), "threshold": "1000"},
        "EMPLOYEES_JUMP": {
            "change": number(),
            "year": 2018,
            "before": rng.randint(5, 500),
            "after": rng.randint(5, 500),
            "threshold": "50",
        },
    }.get(code, {})
    return message_params(code, **args)


def seed(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import AnnualReport, QualityFinding, QualityRule
    from facilities.models import AdminUnit
    from facilities.reference import load_admin_units

    call_command("migrate", verbosity=0)
    load_admin_units(27)  # the 2025 wards to place facilities in (seed_facilities: the rest)
    wards = list(AdminUnit.objects.filter(level="commune", scheme="2025"))
    seed_facilities(count // 2, _facility(wards), tax_code_base=400_000_000, reports=_reports)
    existing = QualityFinding.objects.open().count()
    if existing >= count:
        print(f"database already holds {existing:,} open findings")
        return
    rng = random.Random(2016)
    rules = list(QualityRule.objects.all())
    reports = list(AnnualReport.objects.order_by("pk").values_list("pk", flat=True))
    taken = set(QualityFinding.objects.open().values_list("report_id", "rule_id"))
    findings = []
    while len(findings) + existing < count:
        report, rule = rng.choice(reports), rng.choice(rules)
        if (report, rule.pk) in taken:
            continue
        taken.add((report, rule.pk))
        params = _params(rng, rule.code) if rng.random() > 0.02 else {}
        findings.append(
            QualityFinding(
                report_id=report,
                rule=rule,
                severity=rule.severity,
                message=f"Nội dung lưu sẵn của {rule.code}",
                params=params,
            )
        )
    QualityFinding.objects.bulk_create(findings, batch_size=5000)
    print(f"seeded {len(findings):,} findings")
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {QualityFinding._meta.db_table}")


def timed_export(client, url: str) -> tuple[float, float, int, bytes]:
    """Wall and CPU seconds of the request (the CPU figure moves less on a busy machine), its
    queries and the file."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, {"format": "xlsx"})
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed, cpu, len(queries), response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--database", default="sxsh_bench_findings")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database(args.database)
    configure(args.database, LOG_LEVEL="WARNING", ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from openpyxl import load_workbook

    from accounts.models import Role, User
    from assessments.models import QualityFinding

    seed(args.findings)
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": Role.STAFF})
    client = Client()
    client.force_login(staff)
    url = reverse("assessments:quality_findings")
    runs = [timed_export(client, url) for _ in range(args.runs)]
    seconds = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    content = runs[-1][3]
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
    open_findings = QualityFinding.objects.open().count()
    goal = GOAL_S_PER_11K * max(open_findings, 1) / 11_000
    mark = "" if seconds <= goal else "  MISS"
    print(f"{open_findings:,} open findings, export of {rows:,} rows, {len(content):,} bytes")
    queries = max(run[2] for run in runs)
    print(f"  median {seconds:.3f} s (goal {goal:.2f} s){mark}, CPU {cpu:.3f} s, queries {queries}")
    print("  runs: " + ", ".join(f"{run[0]:.3f} s" for run in runs))
    # Other work on a shared machine moves the wall times (the CPU figure much less).
    print(f"  load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
