"""The benchmark score card (DESIGN §4) for the facility page and the annual report page: the
facility's score, its peer count and band, never another facility's name."""

from django import template

from ..benchmark import facility_benchmark
from ..models import AnnualReport

register = template.Library()


@register.inclusion_tag("assessments/includes/benchmark_card.html")
def benchmark_card(facility, year=None):
    """The score of `facility` for `year`; without a year, for its latest approved report."""
    if year is None:
        year = (
            AnnualReport.objects.approved()
            .filter(facility_id=facility.pk)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
    benchmark = facility_benchmark(facility, year) if year else None
    return {"facility": facility, "year": year, "benchmark": benchmark}
