"""`manage.py rebuild_facts`: recompute the stored per-facility facts behind the indicators
(reports.fact_table) now, e.g. after a restore or a bulk load outside the portal."""

from django.core.management.base import BaseCommand

from reports import fact_table


class Command(BaseCommand):
    help = (
        "Tính lại bảng số liệu nền của các chỉ tiêu (mỗi cơ sở, mỗi năm một dòng) / "
        "Recompute the stored facts behind the indicators (one row per facility and year)."
    )

    def handle(self, *args, **options):
        outcome = fact_table.rebuild()
        years = outcome["years"]
        span = f"{years[0]}–{years[-1]}" if years else "-"
        self.stdout.write(f"{outcome['rows']} facility-years stored ({span}).")
