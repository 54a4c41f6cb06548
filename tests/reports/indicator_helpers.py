"""Small builders for the indicator tests: facilities, approved (or not) reports, bulk data."""

from datetime import date
from decimal import Decimal

from assessments.models import Activity, AnnualReport, Participation
from core.data_version import data_changed
from facilities.models import Facility

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    CommuneFactory,
    FacilityFactory,
    IndustryCodeFactory,
    make_tax_code,
)

YEAR = 2018


def facility(**fields) -> Facility:
    fields.setdefault("established_year", 2010)
    fields.setdefault("employees", 50)  # small: 50 people, money unknown
    return FacilityFactory(**fields)


def report(facility, year, *, state="approved", **fields) -> AnnualReport:
    """A report with only coal (0.60 TOE/t): 100 t for 1000 units = 0.06 TOE per unit."""
    fields.setdefault("output", Decimal(1000))
    fields.setdefault("coal_t", Decimal(100))
    fields.setdefault("electricity_kwh", None)
    return AnnualReportFactory(facility=facility, year=year, state=state, **fields)


def workshop(facility, day, kind=Activity.Kind.WORKSHOP) -> Activity:
    activity = ActivityFactory(kind=kind, date=day)
    Participation.objects.create(activity=activity, facility=facility, people=2)
    return activity


def bulk_facilities(count: int, *, start: int = 5000) -> list[Facility]:
    """`count` facilities with approved reports 2016–2020 (a few aware, applying, with a unit),
    in a handful of queries, for the query-count tests."""
    commune = CommuneFactory()
    industry = IndustryCodeFactory()
    facilities = Facility.objects.bulk_create(
        Facility(
            name=f"Cơ sở hàng loạt {n}",
            tax_code=make_tax_code(start + n),
            address="Số 1",
            commune=commune,
            industry=industry,
            established_year=2010,
            employees=50 + n * 3,
        )
        for n in range(count)
    )
    AnnualReport.objects.bulk_create(
        AnnualReport(
            facility=f,
            year=year,
            output=Decimal(1000),
            coal_t=Decimal(100 - (year - 2016) * (n % 4)),
            employees=f.employees,
            aware=n % 2 == 0,
            applies_cp=n % 3 == 0,
            has_cp_unit=n % 5 == 0,
            state="approved",
        )
        for n, f in enumerate(facilities)
        for year in range(2016, 2021)
    )
    workshop(facilities[0], date(2017, 5, 1))
    data_changed(facilities=[f.pk for f in facilities])  # bulk writes send no signals
    return facilities
