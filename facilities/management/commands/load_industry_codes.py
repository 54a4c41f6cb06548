from django.core.management.base import BaseCommand

from facilities.models import IndustryCode
from facilities.reference import VSIC_VERSION, load_industry_codes


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) danh mục ngành kinh tế VSIC 2018 từ facilities/data/vsic2018.csv."

    def handle(self, *args, **options):
        changed = load_industry_codes()
        total = IndustryCode.objects.filter(version=VSIC_VERSION).count()
        self.stdout.write(
            self.style.SUCCESS(f"VSIC 2018: {total} mã, tạo mới hoặc cập nhật {changed}.")
        )
