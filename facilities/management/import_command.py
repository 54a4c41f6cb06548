"""The command-line contract of the spreadsheet imports (DESIGN §5 "Commands"), shared by
`import_facilities` and `import_annual_reports`: `FILE [--dry-run]`; on problems, one line each
(`row N, column C: message`), nothing written and exit code 1. Warnings (core.spreadsheets:
rows that import all the same) are printed in the same form and the file is still imported,
exit code 0."""

import errno
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from core.spreadsheets import plan_warnings
from facilities import territory


class ImportCommand(BaseCommand):
    """Subclasses set `help` and `importing` (the import's module, with `plan_file` and
    `apply_import`), and say what a plan would do in `counts`."""

    importing = None
    done_note = ""  # appended to the success message, e.g. " (đã duyệt)"

    def counts(self, plan) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không ghi dữ liệu."
        )

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        try:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "", file)
            with path.open("rb") as handle:
                # The command line: a national installation's units of every province.
                plan = self.importing.plan_file(
                    handle, path.name, province=territory.province_for(None)
                )
        except OSError as exc:
            raise CommandError(unreadable_file_message(file, exc)) from exc
        if not plan.is_valid:
            for problem in plan.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"Tệp có {len(plan.problems)} lỗi; không có dữ liệu nào được ghi.", returncode=1
            )
        counts = self.counts(plan)
        warnings = plan_warnings(plan)
        for warning in warnings:
            self.stdout.write(str(warning))
        if warnings:
            self.stdout.write(f"Tệp có {len(warnings)} cảnh báo; các dòng đó vẫn được nhập.")
        if dry_run:
            self.stdout.write(f"Tệp hợp lệ (chạy thử, không ghi): {counts}.")
            return
        try:
            self.importing.apply_import(plan, user=None)
        except IntegrityError as exc:  # a row changed (or was added) since the file was checked
            raise CommandError(
                _(
                    "Dữ liệu vừa bị thay đổi đồng thời; không có dữ liệu nào được ghi. "
                    "Hãy chạy lại lệnh."
                ),
                returncode=1,
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {path.name}: {counts}{self.done_note}."))


def unreadable_file_message(file: str, error: OSError) -> str:
    """Why FILE could not be read, in Vietnamese and naming the path as given: the operating
    system's own text (`strerror`) is English whatever the portal's language."""
    if isinstance(error, FileNotFoundError):
        reason = _("không có tệp này.")
    elif isinstance(error, IsADirectoryError):
        reason = _("đây là một thư mục, không phải tệp .csv hoặc .xlsx.")
    elif isinstance(error, PermissionError):
        reason = _("không có quyền đọc tệp này.")
    else:
        code = errno.errorcode.get(error.errno or 0, "")
        reason = _("lỗi khi đọc tệp (mã lỗi hệ điều hành: %(code)s).") % {
            "code": code or error.errno or "?"
        }
    return _("Không mở được tệp “%(path)s”: %(reason)s") % {"path": file, "reason": reason}
