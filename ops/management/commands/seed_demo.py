from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.audit import performed_by
from accounts.models import Role
from facilities.models import Facility
from ops.demo import DEMO_PASSWORD, seed_demo
from ops.demo_reports import YEARS


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (khu/cụm công nghiệp, cơ sở SXCN, tài khoản demo); chạy lại không trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=int, default=60, help="Số cơ sở (mặc định 60).")
        parser.add_argument("--seed", type=int, default=2016, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Chỉ tạo khi cơ sở dữ liệu chưa có cơ sở SXCN nào.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy thật): tạo tài khoản demo với mật khẩu công khai.",
        )

    def handle(self, *args, facilities, seed, if_empty, force, **options):
        if facilities < 1:
            raise CommandError("--facilities phải là số nguyên từ 1 trở lên (mặc định 60).")
        if not settings.DEBUG and not force:
            # The demo users have a published password: never on a real installation by mistake.
            raise CommandError(
                "seed_demo tạo các tài khoản demo (canbo, coso, lanhdao) với mật khẩu công khai "
                "nên không chạy khi DEBUG tắt. Chỉ dùng trên máy thử: đặt DEBUG=1 hoặc thêm "
                "--force nếu thực sự muốn."
            )
        if if_empty and Facility.objects.exists():
            self.stdout.write("Đã có dữ liệu cơ sở SXCN; bỏ qua tạo dữ liệu mẫu.")
            return
        # The demo accounts' audit entries (accounts/audit.py) name this command as `via`.
        with performed_by("manage.py seed_demo"):
            summary = seed_demo(facilities=facilities, seed=seed)
        self.stdout.write(
            f"Cơ sở SXCN: {summary['facilities']} "
            f"(tạo mới {summary['facilities_created']}, cập nhật {summary['facilities_updated']}); "
            f"khu/cụm công nghiệp tạo mới: {summary['areas_created']}."
        )
        if "province" in summary:
            self.stdout.write(
                f"Tỉnh/thành phố: {summary['province']} (gồm các tỉnh cũ mã "
                f"{', '.join(f'{code:02d}' for code in summary['old_provinces'])})."
            )
        if "reports" in summary:
            self.stdout.write(
                f"Báo cáo năm {YEARS.start}–{YEARS.stop - 1}: {summary['reports']} "
                f"(tạo mới {summary['reports_created']})."
            )
        if "assessments_created" in summary:
            self.stdout.write(
                f"Đánh giá SXSH tạo mới: {summary['assessments_created']}; "
                f"hoạt động tạo mới: {summary['activities_created']}."
            )
        if "quality_findings" in summary:
            self.stdout.write(
                f"Kiểm tra chất lượng số liệu: {summary['quality_findings']} phát hiện chưa xử lý."
            )
        self.stdout.write("Tài khoản demo:")
        width = max((len(user["username"]) for user in summary["users"]), default=0)
        for user in summary["users"]:
            password = DEMO_PASSWORD if user["created"] else "(đã có, mật khẩu giữ nguyên)"
            label = Role(user["role"]).label
            self.stdout.write(f"  {user['username']:<{width}} / {password}   ({label})")
        self.stdout.write(self.style.SUCCESS("Xong."))
