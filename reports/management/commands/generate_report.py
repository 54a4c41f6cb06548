"""`python manage.py generate_report --year Y --format pdf|xlsx|docx [--output PATH]
[--period year|half] [--province CODE]`

Queues the report on Celery exactly as the web page does (an identical job already queued or
running is reused), waits for a worker to build it, and copies the file to PATH. A worker must be
running (`make worker`, or `make run`); without one the command times out. Exit status 1 with the
error when the job fails or times out, and, without queuing anything, for a year the request page
does not offer (outside every plan period, or after this year). In a national installation
`--province` names the 2025 province whose document to build; without it, the national document.
"""

import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.numbers import format_amount
from facilities.territory import loaded_province_codes
from reports.forms import requestable_years
from reports.generation import report_request_once
from reports.models import Report

POLL_SECONDS = 0.5
MIN_TIMEOUT = 1  # seconds: a shorter wait (0, or below) could not see any report built
MAX_TIMEOUT = 86_400  # a day: a longer wait (or "inf") would never end for a worker that is down


class Command(BaseCommand):
    help = (
        "Lập báo cáo qua hàng đợi Celery (cần worker đang chạy) rồi ghi ra tệp / "
        "Generate a report through the Celery queue (a worker must be running) and save it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=Report.Format.values, required=True)
        parser.add_argument(
            "--period",
            choices=list(Report.PERIOD_KINDS),
            default="year",
            help=(
                "year: báo cáo năm (mặc định); half: 6 tháng đầu năm / "
                "year: annual (default); half: first six months"
            ),
        )
        parser.add_argument(
            "--province",
            default="",
            help=(
                "Cổng toàn quốc: mã tỉnh 2025 (mặc định: báo cáo toàn quốc) / "
                "national installation: 2025 province code"
            ),
        )
        parser.add_argument(
            "--output",
            help="tệp hoặc thư mục ghi ra / file or folder (default ./bao-cao-sxsh-Y-ID.ext)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600.0,
            help=f"số giây chờ / seconds to wait, {MIN_TIMEOUT}–{MAX_TIMEOUT} (default 600)",
        )

    def handle(self, *args, **options):
        province = options["province"].strip()
        year = options["year"]
        years = requestable_years()
        if year not in years:
            offered = ", ".join(str(y) for y in sorted(years)) or _("không có")
            raise CommandError(
                _(
                    "Năm %(year)s không thuộc kỳ kế hoạch nào đến năm nay; "
                    "các năm có thể lập báo cáo: %(offered)s."
                )
                % {"year": year, "offered": offered}
            )
        if province and settings.PORTAL_SCOPE != "national":
            raise CommandError(_("--province chỉ dùng cho Cổng toàn quốc (PORTAL_SCOPE=national)."))
        if province and province not in loaded_province_codes():
            raise CommandError(
                _("Không có tỉnh, thành phố (từ 1/7/2025) nào có mã “%(code)s”.")
                % {"code": province}
            )
        timeout = options["timeout"]
        if not MIN_TIMEOUT <= timeout <= MAX_TIMEOUT:  # also NaN
            raise CommandError(
                _("--timeout (số giây chờ) phải từ %(min)s đến %(max)s.")
                % {"min": MIN_TIMEOUT, "max": format_amount(MAX_TIMEOUT)}
            )
        given = options["output"] or ""
        folder_named = bool(given) and (given.endswith(("/", os.sep)) or Path(given).is_dir())
        if given and not folder_named and not Path(given).parent.is_dir():
            # A mistyped path is said, before anything is queued, not made into new folders.
            raise CommandError(
                _("Không có thư mục %(folder)s để ghi báo cáo (--output).")
                % {"folder": Path(given).parent}
            )
        report, created = report_request_once(
            kind=Report.PERIOD_KINDS[options["period"]],
            year=year,
            fmt=options["format"],
            by=None,
            province=province,
        )
        if created:
            message = _("Báo cáo #%(id)s đã vào hàng đợi; đang chờ tiến trình nền (worker)…")
        else:
            message = _("Báo cáo #%(id)s (cùng yêu cầu) đang ở trạng thái “%(state)s”; đang chờ…")
        self.stderr.write(message % {"id": report.pk, "state": report.get_state_display()})
        report = self.wait(report, timeout)
        output = Path(given or report.download_name)
        # --output names a folder (an existing one, or any ending in "/", made if missing): the
        # file's own name inside it.
        try:
            if folder_named:
                output = output / report.download_name
                output.parent.mkdir(parents=True, exist_ok=True)
            with report.file.open("rb") as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        except OSError as error:
            raise CommandError(
                _(
                    "Không ghi được báo cáo vào %(path)s (%(error)s). Báo cáo #%(id)s đã được "
                    "tạo: tải về trên Cổng, hoặc chạy lại lệnh với --output khác."
                )
                % {"path": output, "error": error.strerror or error, "id": report.pk}
            ) from error
        self.stdout.write(f"{output} ({report.size_bytes} byte, sha256 {report.sha256})")

    def wait(self, report: Report, timeout: float) -> Report:
        deadline = time.monotonic() + timeout
        shown = None
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if (report.state, report.progress) != shown:
                shown = (report.state, report.progress)
                self.stderr.write(f"  {report.get_state_display()} {report.progress}%")
            if report.state == Report.State.SUCCEEDED:
                return report
            if report.state == Report.State.FAILED:
                raise CommandError(
                    _("Báo cáo #%(id)s bị lỗi: %(error)s")
                    % {"id": report.pk, "error": report.error}
                )
            time.sleep(POLL_SECONDS)
        waited = {"id": report.pk, "state": report.get_state_display()}
        raise CommandError(
            _(
                "Báo cáo #%(id)s vẫn ở trạng thái “%(state)s” sau %(timeout)s giây: tiến trình nền "
                "Celery (worker) có đang chạy không (make worker)?"
            )
            % {**waited, "timeout": format_amount(timeout)}
        )
