"""`python manage.py generate_report --year Y --format pdf|xlsx|docx [--output PATH]
[--period year|half] [--province CODE]`

Queues the report on Celery exactly as the web page does (an identical job already queued or
running is reused), waits for a worker to build it, and copies the file to PATH. A worker must be
running (`make worker`, or `make run`); without one the command times out. Exit status 1 with the
error when the job fails or times out, and, without queuing anything, for a year the request page
does not offer (outside every plan period, or after this year). In a national installation
`--province` names the 2025 province whose document to build; without it, the national document.
"""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from facilities.territory import loaded_province_codes
from reports.forms import requestable_years
from reports.generation import report_request_once
from reports.models import Report

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Generate a report through the Celery queue (a worker must be running) and save it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=Report.Format.values, required=True)
        parser.add_argument(
            "--period",
            choices=list(Report.PERIOD_KINDS),
            default="year",
            help="year: the annual report (default); half: the first six months of the year",
        )
        parser.add_argument(
            "--province",
            default="",
            help="national installation: the 2025 province code (default: the national document)",
        )
        parser.add_argument("--output", help="file to write (default: ./bao-cao-sxsh-Y-ID.ext)")
        parser.add_argument(
            "--timeout", type=float, default=600.0, help="seconds to wait (default 600)"
        )

    def handle(self, *args, **options):
        province = options["province"].strip()
        year = options["year"]
        years = requestable_years()
        if year not in years:
            offered = ", ".join(str(y) for y in sorted(years)) or "không có"
            raise CommandError(
                f"Năm {year} không thuộc kỳ kế hoạch nào đến năm nay; "
                f"các năm có thể lập báo cáo: {offered}."
            )
        if province and settings.PORTAL_SCOPE != "national":
            raise CommandError("--province chỉ dùng cho Cổng toàn quốc (PORTAL_SCOPE=national).")
        if province and province not in loaded_province_codes():
            raise CommandError(f"unknown 2025 province code {province!r}")
        report, created = report_request_once(
            kind=Report.PERIOD_KINDS[options["period"]],
            year=year,
            fmt=options["format"],
            by=None,
            province=province,
        )
        if created:
            self.stderr.write(f"Report #{report.pk} queued; waiting for a worker…")
        else:
            self.stderr.write(
                f"Report #{report.pk} (same request) is already {report.state}; waiting…"
            )
        report = self.wait(report, options["timeout"])
        output = Path(options["output"] or report.download_name)
        if output.is_dir():  # --output names a folder: the file's own name inside it
            output = output / report.download_name
        output.parent.mkdir(parents=True, exist_ok=True)
        with report.file.open("rb") as source, open(output, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"{output} ({report.size_bytes} bytes, sha256 {report.sha256})")

    def wait(self, report: Report, timeout: float) -> Report:
        deadline = time.monotonic() + timeout
        shown = None
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if (report.state, report.progress) != shown:
                shown = (report.state, report.progress)
                self.stderr.write(f"  {report.state} {report.progress}%")
            if report.state == Report.State.SUCCEEDED:
                return report
            if report.state == Report.State.FAILED:
                raise CommandError(f"report #{report.pk} failed: {report.error}")
            time.sleep(POLL_SECONDS)
        raise CommandError(
            f"report #{report.pk} is still {report.state} after {timeout:g} s: is a Celery worker "
            "running (make worker)?"
        )
