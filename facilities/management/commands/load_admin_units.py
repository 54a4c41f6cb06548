from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from facilities.provinces import province_2025_name
from facilities.reference import load_admin_units, load_all_admin_units
from facilities.territory import portal_province_code

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

        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help=(
                "Nạp mọi tỉnh/thành phố (cài đặt toàn quốc; mặc định khi PORTAL_SCOPE=national "
                "và không có --province)."
            ),
        )

    def handle(self, *args, province=None, everything=False, **options):
        if everything and province is not None:
            raise CommandError("Dùng --all hoặc --province, không dùng cả hai.")
        if everything or (province is None and settings.PORTAL_SCOPE == "national"):
            counts = load_all_admin_units()
            self._report(counts)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp đơn vị hành chính của {counts['provinces_2025']} tỉnh/thành phố."
                )
            )
            return
        try:
            if province is None:
                counts = load_admin_units(int(portal_province_code()), legacy=False)
            else:
                counts = load_admin_units(province, legacy=True)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._report(counts)
        code = counts["province_2025_code"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính {province_2025_name(code)} (mã {code:02d})."
            )
        )

    def _report(self, counts):
        for key, label in LABELS.items():
            created, updated = counts[f"{key}_created"], counts[f"{key}_updated"]
            self.stdout.write(f"{label}: tạo mới {created}, cập nhật {updated}")
        self.stdout.write(f"liên kết xã cũ → xã mới: tạo mới {counts['links_created']}")
