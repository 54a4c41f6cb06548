"""ENT_UNIT_PCT's size in a year (DESIGN §4): from the year's approved report when it gives
employees, else the registry. A report that gives employees but leaves revenue or capital blank
takes the blank figure from the registry, field by field: a large facility whose report says
only "8 employees" stays large (it is not silently dropped from the denominator)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from facilities.size import size_class, year_size_class
from reports.facts import indicator_facilities

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

URL = reverse("api:indicators")


def _ent_unit(client, official):
    client.force_login(official)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    row = next(r for r in response.json()["indicators"] if r["code"] == "ENT_UNIT_PCT")
    return row["numerator"], row["denominator"]


def test_a_report_with_only_employees_keeps_a_large_facility_in_the_denominator(client, official):
    large = facility(employees=500, revenue_bn_vnd=Decimal(300), capital_bn_vnd=Decimal(150))
    report(large, YEAR, employees=8, revenue_bn_vnd=None, capital_bn_vnd=None, has_cp_unit=True)
    medium = facility(employees=150)
    report(medium, YEAR, employees=150)

    assert _ent_unit(client, official) == (1, 2)


def test_each_blank_money_figure_comes_from_the_registry(client, official):
    # Report: 80 people, revenue 100 bn, capital blank; registry capital 15 bn (≤ 20): small.
    small_by_registry_capital = facility(
        employees=500, revenue_bn_vnd=Decimal(300), capital_bn_vnd=Decimal(15)
    )
    report(small_by_registry_capital, YEAR, employees=80, revenue_bn_vnd=Decimal(100))
    # Report: 150 people, capital 150 bn, revenue blank; registry revenue 250 bn: large.
    large_by_registry_revenue = facility(
        employees=150, revenue_bn_vnd=Decimal(250), capital_bn_vnd=Decimal(10)
    )
    report(
        large_by_registry_revenue,
        YEAR,
        employees=150,
        capital_bn_vnd=Decimal(150),
        has_cp_unit=True,
    )
    # The report's own figures win over the registry's: revenue 2 bn makes it micro.
    micro_by_report = facility(employees=500, revenue_bn_vnd=Decimal(300), capital_bn_vnd=None)
    report(micro_by_report, YEAR, employees=8, revenue_bn_vnd=Decimal(2), has_cp_unit=True)

    assert _ent_unit(client, official) == (1, 1)


def test_the_help_page_says_where_blank_money_figures_come_from(client, official):
    client.force_login(official)
    page = client.get(reverse("reports:help")).content.decode()
    assert "doanh thu hoặc nguồn vốn báo cáo để trống thì lấy theo sổ đăng ký cơ sở" in page


def test_without_employees_in_the_report_the_registry_decides(client, official):
    large = facility(employees=500)
    report(large, YEAR, employees=None, revenue_bn_vnd=Decimal(1), has_cp_unit=True)

    assert _ent_unit(client, official) == (1, 1)


def _figures(employees, revenue, capital):
    return SimpleNamespace(
        employees=employees,
        revenue_bn_vnd=None if revenue is None else Decimal(revenue),
        capital_bn_vnd=None if capital is None else Decimal(capital),
    )


@pytest.mark.parametrize(
    ("registry", "year", "expected"),
    [
        ((500, 300, 150), (8, None, None), "large"),
        ((500, 300, 15), (80, 100, None), "small"),
        ((150, 250, 10), (150, None, 150), "large"),
        ((500, 300, None), (8, 2, None), "micro"),
        ((500, None, None), (8, None, None), "micro"),
        ((500, None, None), (None, 1, None), "large"),
        ((500, 300, 150), None, "large"),
        ((None, None, None), (None, None, None), None),
    ],
)
def test_python_reading(registry, year, expected):
    report_figures = None if year is None else _figures(*year)
    assert year_size_class(report_figures, _figures(*registry)) == expected
    if year is None or year[0] is None:
        assert expected == size_class(*registry)


@pytest.mark.parametrize(
    "registry", [(500, 300, 150), (500, None, None), (8, 2, 2), (None, None, 150)]
)
def test_the_indicators_sql_agrees_with_the_python_reading(registry):
    built = []
    for employees in (None, 8, 150, 500):
        for revenue in (None, 2, 100, 300):
            for capital in (None, 15, 150):
                f = facility(**vars(_figures(*registry)))
                year = _figures(employees, revenue, capital)
                report(f, YEAR, **vars(year))
                built.append((f, year_size_class(year, f)))
    denominator = set(
        indicator_facilities("ENT_UNIT_PCT", YEAR, "denominator").values_list("pk", flat=True)
    )
    for f, expected in built:
        assert (f.pk in denominator) is (expected in ("medium", "large")), (
            expected,
            f.annual_reports.values_list("employees", "revenue_bn_vnd", "capital_bn_vnd").get(),
        )
