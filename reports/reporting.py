"""How much of the province the figures stand on: the year's reporting rate (approved reports of
operating facilities) and the registry's coverage of the statistics office's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from core.collation import sort_key
from facilities.territory import provinces_2025

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

    @property
    def missing(self) -> int:
        """Operating facilities without an approved report of the year (the list behind it:
        assessments.deadlines.facilities_without_approved_report)."""
        return self.operating - self.reports


def reporting_for(results) -> Reporting:
    """`Reporting` of the year of `results` (IndicatorResults): the operating facilities with an
    approved report of the year (the facts' `reported`) over the operating facilities."""
    return Reporting(results.reported, results.operating)


def establishment_counts_apply() -> bool:
    """Whether staff record the statistics office's count (EstablishmentCount, one per year, with
    no province): only in a one-province installation, where it is the province's. A national
    installation has no such count, neither per province nor for the country, so nobody enters
    one there and no page compares the registry with one."""
    return settings.PORTAL_SCOPE != "national"


def registry_coverage(year: int, operating: int, province: str | None = None):
    """(EstablishmentCount of the year or None, coverage % or None): the registry's operating
    facilities against the statistics office's count (DESIGN §4, honest denominators). The
    count is the installation's province's: none in a national installation (a province's or
    the whole country's figures)."""
    if province is not None or not establishment_counts_apply():
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
    of the year (an issued Report of kind annual of the province). Every loaded province has a
    line, those without any facility in the registry too (0 operating, no rate): the Ministry
    asks which provinces have sent nothing. Two queries."""
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
            Reporting(row.reported, row.operating),
            annual_issued=row.key in issued,
        )
        for row in groups
    ]
    rows += [
        ProvinceReporting(code, name, 0, Reporting(0, 0), annual_issued=code in issued)
        for code, name in provinces_without({row.code for row in rows})
    ]
    return sorted(rows, key=lambda r: (r.reporting.rate or Decimal(0), sort_key(r.name)))


def provinces_without(listed: set[str]) -> list[tuple[str, str]]:
    """(code, name) of the loaded 2025 provinces whose code is not in `listed`: the national
    tables give every province a line, those without any facility too (the Ministry asks which
    provinces have sent nothing)."""
    provinces = provinces_2025().values_list("code", "name")
    return [(code, name) for code, name in provinces if code not in listed]
