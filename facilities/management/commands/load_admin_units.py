from django.core.management.base import BaseCommand, CommandError

from facilities.reference import load_admin_units
from facilities.territory import portal_province_code, province_2025

LABELS = {
    "province_2025": "tỉnh/thành phố (từ 1/7/2025)",
    "commune_2025": "xã/phường/đặc khu (từ 1/7/2025)",
    "province": "tỉnh/thành phố (trước 1/7/2025)",
    "district": "quận/huyện (trước 1/7/2025)",
    "commune": "xã/phường/thị trấn (trước 1/7/2025)",
}


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính của tỉnh/thành phố (từ 1/7/2025), các tỉnh cũ hợp nhất vào đó "
        "cùng quận/huyện, xã/phường cũ và bảng chuyển đổi cũ → mới, từ gói vietnam-provinces."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            type=int,
            default=None,
            help=(
                "Mã tỉnh trước 1/7/2025 (được hiểu là tỉnh/thành phố mới bao gồm nó); mặc định: "
                "tỉnh của cổng (PORTAL_PROVINCE hoặc PORTAL_PROVINCE_CODE)."
            ),
        )

    def handle(self, *args, province=None, **options):
        try:
            if province is None:
                counts = load_admin_units(int(portal_province_code()), legacy=False)
            else:
                counts = load_admin_units(province, legacy=True)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for key, label in LABELS.items():
            created, updated = counts[f"{key}_created"], counts[f"{key}_updated"]
            self.stdout.write(f"{label}: tạo mới {created}, cập nhật {updated}")
        self.stdout.write(f"liên kết xã cũ → xã mới: tạo mới {counts['links_created']}")
        code = counts["province_2025_code"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính {province_2025(code).name} (mã {code:02d})."
            )
        )
