"""List the assessments whose options save more than the savings cap allows (savings_cap: per
baseline year, and over the whole facility), as stored: data entered before a rule held it (an
upgrade), or through a path round it. Exit code 1 when there are any, so a script can tell.

The facilities are checked in chunks (savings_cap.stored_cap_errors, the rule of
Assessment.option_saving_errors over data fetched at once): three queries per chunk, whatever
the number of assessments."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.models.savings_cap import approved_baselines, stored_cap_errors

FACILITY_CHUNK = 500  # facilities whose assessments and reports are fetched at once


def excesses():
    """(assessment, its errors) for each assessment over the cap, in the order of the facilities'
    tax codes, then of the assessments' ids."""
    checked = Assessment.objects.exclude(baseline_year=None).filter(options__isnull=False)
    facility_ids = list(
        checked.order_by("facility__tax_code").values_list("facility_id", flat=True).distinct()
    )
    for start in range(0, len(facility_ids), FACILITY_CHUNK):
        chunk = facility_ids[start : start + FACILITY_CHUNK]
        assessments = Assessment.objects.filter(facility_id__in=chunk).exclude(baseline_year=None)
        assessments = list(assessments.with_savings().order_by("facility__tax_code", "pk"))
        yield from stored_cap_errors(assessments, approved_baselines(chunk, assessments)).items()


class Command(BaseCommand):
    help = (
        "Liệt kê các đánh giá SXSH có giải pháp tiết kiệm vượt mức cho phép (theo năm cơ sở và "
        "trên toàn cơ sở), như dữ liệu đang lưu; có thì mã thoát 1."
    )

    def handle(self, *args, **options):
        found = 0
        for assessment, errors in excesses():
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
