"""The dashboard's trend charts (official home page and /reports/dashboard/): each year's value is
the one its own table shows (reports.indicators.judged_figure): in a year without any approved
annual report the indicators measured on the year's own reports (ENT_UNIT, SAVING, …) are gaps,
not 0, while the cumulative ones (AWARE, APPLY) keep their value; and each year is drawn against its
own milestone (DESIGN §4: a year's status compares with that year's milestone) beside the
period's target, labelled with its end year."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanPeriod
from reports.models import Indicator, IndicatorMilestone, IndicatorValue

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


def chart_data(html: str) -> dict:
    script = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(script.group(1))


def series(chart: dict, code: str) -> dict:
    return next(item for item in chart["trend"] if item["code"] == code)


def values_by_year(chart: dict, code: str) -> dict:
    return dict(zip(chart["years"], series(chart, code)["values"], strict=True))


def lines(chart: dict, code: str) -> dict:
    return {line["label"]: line["values"] for line in series(chart, code)["lines"]}


def dashboard(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return chart_data(response.text)


# --- years without approved reports --------------------------------------------------------------


def test_years_without_an_approved_report_leave_only_the_year_bound_gaps(client, official):
    # Reports approved for 2016–2018; 2019 only submitted; nothing for 2020.
    aware, big = facility(), facility(employees=300)
    for year in (2016, 2017, 2018):
        report(aware, year, aware=True)
        report(big, year, employees=300, has_cp_unit=True)
    report(aware, 2019, state="submitted", aware=True)

    chart = dashboard(client, official, year=YEAR)

    assert chart["years"] == [2016, 2017, 2018, 2019, 2020]
    # The cumulative AWARE share is still 50 % in 2019–2020 (the 2016–2018 reports); ENT_UNIT,
    # measured on the year's own reports, has no value there (not 0 %).
    assert values_by_year(chart, "AWARE_PCT") == {
        2016: 50.0,
        2017: 50.0,
        2018: 50.0,
        2019: 50.0,
        2020: 50.0,
    }
    assert values_by_year(chart, "ENT_UNIT_PCT") == {
        2016: 100.0,
        2017: 100.0,
        2018: 100.0,
        2019: None,
        2020: None,
    }


def test_a_manual_value_is_drawn_in_a_year_without_reports(client, official, staff):
    report(facility(), 2018, aware=True)
    doit = Indicator.objects.get(code="DOIT_STAFF", period__code="2016-2020")
    IndicatorValue.objects.create(indicator=doit, year=2019, value=Decimal(3), author=staff)

    chart = dashboard(client, official, year=YEAR)

    assert values_by_year(chart, "DOIT_STAFF")[2019] == 3.0
    assert values_by_year(chart, "SAVING_PCT")[2019] is None
    assert values_by_year(chart, "AWARE_PCT")[2019] == values_by_year(chart, "AWARE_PCT")[2018]


@pytest.fixture
def current_period(db):
    """A period running this year, with AWARE and ENT_UNIT; reports approved for last year only
    (this year's reporting is still open)."""
    this_year = timezone.localdate().year
    period = PlanPeriod.objects.create(
        code="cur", name="Giai đoạn hiện tại", start_year=this_year - 2, end_year=this_year + 3
    )
    for order, code in enumerate(("AWARE_PCT", "ENT_UNIT_PCT")):
        Indicator.objects.create(
            period=period,
            code=code,
            name_vi=code,
            unit="%",
            method=Indicator.Method.COMPUTED,
            target_min=Decimal(90),
            order=order,
        )
    for n in range(4):
        f = facility(employees=300)
        report(f, this_year - 1, employees=300, aware=n < 3, has_cp_unit=n < 2)
    return this_year


def test_the_current_year_without_approved_reports_draws_the_cumulative_ones_only(
    client, official, current_period
):
    this_year = current_period

    chart = dashboard(client, official, year=this_year - 1)

    assert chart["years"] == [this_year - 2, this_year - 1, this_year]
    # Nobody aware on record up to two years ago; 3 of 4 since last year's reports.
    assert values_by_year(chart, "AWARE_PCT") == {
        this_year - 2: 0.0,
        this_year - 1: 75.0,
        this_year: 75.0,
    }
    assert values_by_year(chart, "ENT_UNIT_PCT")[this_year] is None


def test_the_official_home_page_leaves_the_current_years_year_bound_values_out(
    client, official, current_period
):
    this_year = current_period
    client.force_login(official)

    chart = chart_data(client.get("/").text)

    assert values_by_year(chart, "AWARE_PCT")[this_year - 1] == 75.0
    assert values_by_year(chart, "AWARE_PCT")[this_year] == 75.0
    assert values_by_year(chart, "ENT_UNIT_PCT")[this_year] is None


# --- milestones and the period target ------------------------------------------------------------


def test_each_year_is_drawn_against_its_milestone(client, official):
    report(facility(), 2017, aware=True)

    chart = dashboard(client, official, year=2017)

    # The seeded AWARE milestones run 58, 66, … 90 (tests/reports/test_milestones.py).
    assert lines(chart, "AWARE_PCT") == {
        "Mốc năm": [58.0, 66.0, 74.0, 82.0, 90.0],
        "Chỉ tiêu đến 2020": [90.0] * 5,
    }
    assert [line["kind"] for line in series(chart, "AWARE_PCT")["lines"]] == [
        "milestone",
        "target",
    ]
    # A range: both ends of each year's milestone and of the period target.
    assert lines(chart, "SAVING_PCT") == {
        "Mốc năm (mức thấp)": [5.6, 6.2, 6.8, 7.4, 8.0],
        "Mốc năm (mức cao)": [9.0, 10.0, 11.0, 12.0, 13.0],
        "Chỉ tiêu đến 2020 (mức thấp)": [8.0] * 5,
        "Chỉ tiêu đến 2020 (mức cao)": [13.0] * 5,
    }
    # No milestones (no 2015 value): the period target only.
    assert lines(chart, "ENT_UNIT_PCT") == {"Chỉ tiêu đến 2020": [90.0] * 5}
    # No target at all: nothing to draw.
    assert lines(chart, "DOIT_STAFF") == {}


def test_the_drawn_milestone_is_the_one_the_status_uses(client, official):
    # AWARE 2017: 3 of 4 = 75 %, met against the 2017 milestone (66) though below 90.
    for n in range(4):
        report(facility(), 2017, aware=n < 3)

    client.force_login(official)
    response = client.get(DASHBOARD, {"year": 2017})
    chart = chart_data(response.text)

    year = chart["years"].index(2017)
    assert series(chart, "AWARE_PCT")["values"][year] == 75.0
    assert lines(chart, "AWARE_PCT")["Mốc năm"][year] == 66.0
    assert response.context["results"].get("AWARE_PCT").status == "met"


def test_a_single_milestone_is_a_point(client, official, staff):
    ent_unit = Indicator.objects.get(code="ENT_UNIT_PCT", period__code="2016-2020")
    IndicatorMilestone.objects.create(indicator=ent_unit, year=2018, target_min=Decimal("30"))
    report(facility(), 2018)

    chart = dashboard(client, official, year=YEAR)

    assert lines(chart, "ENT_UNIT_PCT") == {
        "Mốc năm": [None, None, 30.0, None, None],
        "Chỉ tiêu đến 2020": [90.0] * 5,
    }
