from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importing import apply_import, plan_file


class Command(BaseCommand):
    help = (
        "Nhập báo cáo năm của các cơ sở từ tệp CSV hoặc XLSX (DESIGN §5), cùng cách kiểm tra như "
        "trang web; báo cáo nhập vào được duyệt ngay, nhập lại thì thay thế. Có lỗi thì in mỗi lỗi "
        "một dòng `row N, column C: message`, không ghi gì, mã thoát 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không ghi dữ liệu."
        )

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                plan = plan_file(handle, path.name)
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {file}: {exc.strerror or exc}") from exc
        if not plan.is_valid:
            for problem in plan.problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"Tệp có {len(plan.problems)} lỗi; không có dữ liệu nào được ghi.", returncode=1
            )
        counts = f"thêm mới {plan.to_create}, thay thế {plan.to_replace} báo cáo"
        if dry_run:
            self.stdout.write(f"Tệp hợp lệ (chạy thử, không ghi): {counts}.")
            return
        apply_import(plan, user=None)
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {path.name}: {counts} (đã duyệt)."))
