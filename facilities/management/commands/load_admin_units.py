from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from facilities.reference import load_admin_units

LABELS = {
    "province": "tỉnh (trước 2025)",
    "district": "huyện (trước 2025)",
    "commune": "xã/phường (trước 2025)",
    "province_2025": "tỉnh (từ 2025)",
    "commune_2025": "xã/phường (từ 2025)",
}


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính của một tỉnh (mã GSO trước 2025) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            type=int,
            default=None,
            help="Mã tỉnh trước 2025 (mặc định: PORTAL_PROVINCE_CODE).",
        )

    def handle(self, *args, province=None, **options):
        code = province if province is not None else settings.PORTAL_PROVINCE_CODE
        try:
            counts = load_admin_units(code)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for key, label in LABELS.items():
            created, updated = counts[f"{key}_created"], counts[f"{key}_updated"]
            self.stdout.write(f"{label}: tạo mới {created}, cập nhật {updated}")
        self.stdout.write(self.style.SUCCESS(f"Đã nạp đơn vị hành chính tỉnh mã {code:02d}."))
