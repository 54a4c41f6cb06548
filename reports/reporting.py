"""How much of the province the figures stand on: the year's reporting rate (approved reports of
operating facilities) and the registry's coverage of the statistics office's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from assessments.models import AnnualReport
from core.data_version import cached
from facilities.models import Facility

from .figures import share
from .models import EstablishmentCount, Report


@dataclass(frozen=True)
class Reporting:
    """The year's reporting rate: approved annual reports of facilities operating in the year ÷
    those facilities (shown beside every figure: a figure with few reports behind it says so)."""

    reports: int
    operating: int

    @property
    def rate(self) -> Decimal | None:
        return share(self.reports, self.operating)


def reporting_for(year: int, operating: int, province: str | None = None) -> Reporting:
    """`Reporting` of `year`, `operating` being the indicators' count of operating facilities
    (of the 2025 `province` when given). Cached until approved data changes."""
    facilities = Facility.objects.operating_in(year)
    if province is not None:
        facilities = facilities.filter(province=province)
    reports = AnnualReport.objects.approved().filter(year=year, facility__in=facilities)
    return Reporting(cached(f"reporting:{year}:{province}", reports.count), operating)


def registry_coverage(year: int, operating: int, province: str | None = None):
    """(EstablishmentCount of the year or None, coverage % or None): the registry's operating
    facilities against the statistics office's count (DESIGN §4, honest denominators). The
    count is the installation's province's: none for one province of a national installation."""
    if province is not None:
        return None, None
    count = EstablishmentCount.objects.filter(year=year).first()
    return count, (count.coverage_pct(operating) if count else None)


@dataclass(frozen=True)
class ProvinceReporting:
    """One province's line of the Ministry's view: its figures' base and reporting rate, and
    whether it issued its annual document of the year."""

    code: str
    name: str
    operating: int
    reporting: Reporting
    annual_issued: bool = False


def reporting_by_province(year: int, groups) -> list[ProvinceReporting]:
    """Per 2025 province of a national installation: its operating facilities (the `province`
    groups of the year's IndicatorResults) and approved reports, lowest reporting rate first —
    the provinces that have not reported on top —, and whether each issued its annual document
    of the year (an issued Report of kind annual of the province). Three queries (the counts
    cached until approved data changes)."""
    by_province = (
        AnnualReport.objects.approved()
        .filter(year=year, facility__in=Facility.objects.operating_in(year))
        .values_list("facility__province")
        .annotate(n=Count("pk"))
        .values_list("facility__province", "n")
    )
    counts = cached(f"reporting-by-province:{year}", lambda: dict(by_province))
    issued = set(
        Report.objects.issued()
        .filter(kind=Report.Kind.ANNUAL_PROGRESS, year=year)
        .exclude(province="")
        .values_list("province", flat=True)
    )
    rows = [
        ProvinceReporting(
            row.key,
            row.label,
            row.operating,
            Reporting(counts.get(row.key, 0), row.operating),
            annual_issued=row.key in issued,
        )
        for row in groups
    ]
    return sorted(rows, key=lambda r: (r.reporting.rate or Decimal(0), r.name))
