"""List the assessments whose options save more than the savings cap allows (savings_cap: per
baseline year, and over the whole facility), as stored: data entered before a rule held it (an
upgrade), or through a path round it. Exit code 1 when there are any, so a script can tell."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "Liệt kê các đánh giá SXSH có giải pháp tiết kiệm vượt mức cho phép (theo năm cơ sở và "
        "trên toàn cơ sở), như dữ liệu đang lưu; có thì mã thoát 1."
    )

    def handle(self, *args, **options):
        found = 0
        assessments = (
            Assessment.objects.exclude(baseline_year=None)
            .filter(options__isnull=False)
            .distinct()
            .select_related("facility")
            .order_by("facility__tax_code", "pk")
        )
        for assessment in assessments.iterator(chunk_size=200):
            errors = assessment.option_saving_errors()
            if not errors:
                continue
            found += 1
            facility = assessment.facility
            self.stdout.write(
                f"{facility.name} ({facility.tax_code}), đánh giá #{assessment.pk} "
                f"({assessment.get_state_display()}, năm cơ sở {assessment.baseline_year}):"
            )
            for message in errors.values():
                self.stdout.write(f"  - {message}")
        if found:
            raise CommandError(f"{found} đánh giá có giải pháp vượt mức tiết kiệm cho phép.")
        self.stdout.write("Không có đánh giá nào vượt mức tiết kiệm cho phép.")
