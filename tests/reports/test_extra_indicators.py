"""Indicators from data the reports already collect (issue 14): the share of facilities with
trained technical staff, and the water saving per unit of product by SAVING's method."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.energy import baseline_report, water_fall_pct
from reports.facts import indicator_facilities
from reports.figures import TRAINED, WATER_SAVING
from reports.indicators import compute_indicators
from reports.models import Indicator

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def in_the_plan():
    """Staff add both indicators to the 2016–2020 period."""
    aware = Indicator.objects.get(code="AWARE_PCT", period__code="2016-2020")
    for order, (code, unit) in enumerate(((TRAINED, "%"), (WATER_SAVING, "%")), start=10):
        Indicator.objects.create(
            period=aware.period,
            code=code,
            name_vi=code,
            unit=unit,
            method=Indicator.Method.COMPUTED,
            order=order,
        )


def applying(unit="tấn", **fields):
    f = facility()
    report(f, YEAR - 2, applies_cp=True, water_m3=D(1000), product_unit="tấn")
    report(f, YEAR, applies_cp=True, product_unit=unit, **fields)
    return f


def test_trained_staff_share_counts_the_year_report(in_the_plan):
    trained = facility()
    report(trained, YEAR, trained_staff=1)
    report(facility(), YEAR, trained_staff=0)
    earlier = facility()
    report(earlier, YEAR - 1, trained_staff=3)  # not this year's report
    facility()  # no report

    figure = compute_indicators(YEAR).value(TRAINED)

    assert (figure.actual, figure.numerator, figure.denominator) == (D("25.0"), 1, 4)
    assert set(indicator_facilities(TRAINED, YEAR, "numerator")) == {trained}


def test_water_saving_follows_savings_method(in_the_plan):
    # 1000 m³ / 1000 t = 1 m³/t in the baseline.
    falls_20 = applying(water_m3=D(800))  # 0.8: 20 %
    rises_10 = applying(water_m3=D(1100))  # 1.1: −10 %
    applying(water_m3=None)  # output without water: never a saving
    applying(unit="m2", water_m3=D(500))  # another unit: never a saving
    not_applying = facility()
    report(not_applying, YEAR - 2, water_m3=D(1000), product_unit="tấn")
    report(not_applying, YEAR, water_m3=D(100), product_unit="tấn")  # 90 %, but not applying

    figure = compute_indicators(YEAR).value(WATER_SAVING)

    # (20 + (−10)) / 2 = 5 %
    assert (figure.actual, figure.denominator) == (D("5.0"), 2)
    assert set(indicator_facilities(WATER_SAVING, YEAR, "denominator")) == {falls_20, rises_10}


def test_python_and_sql_water_rules_agree():
    f = applying(water_m3=D("954.5"))
    current = f.annual_reports.get(year=YEAR)
    assert water_fall_pct(current, baseline_report(current)) == D("4.55")


def test_the_dashboard_shows_them_with_their_facilities(client, official, in_the_plan):
    applying(water_m3=D(800), trained_staff=2)
    client.force_login(official)

    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()

    assert f'data-code="{WATER_SAVING}"' in page and f'data-code="{TRAINED}"' in page
    url = reverse("reports:indicator_facilities", args=[WATER_SAVING, YEAR, "denominator"])
    assert url in page
    missing = reverse("reports:indicator_facilities", args=[WATER_SAVING, YEAR, "numerator"])
    assert client.get(missing).status_code == 404
