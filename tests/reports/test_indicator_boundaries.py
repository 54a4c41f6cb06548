"""Every threshold of DESIGN §4 with a case exactly on it (issue 20): the 8 % saving, the
NĐ 80/2021 medium-size limits behind ENT_UNIT_PCT, and the calendar year of "operating in Y",
reports and options "for some year ≤ Y" and activities "dated in or before Y".

The expected values are worked out by hand in the comments; the report helper gives 100 t of coal
(0.60 TOE/t, 60 TOE) for 1000 units of output, an intensity of 0.06 TOE per unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Activity
from facilities.models import Facility
from reports.facts import indicator_facilities
from reports.indicators import compute_indicators

from ..factories import AssessmentFactory, OptionFactory
from .indicator_helpers import YEAR, facility, report, workshop

pytestmark = pytest.mark.django_db


def ids(code, part, year=YEAR):
    return set(indicator_facilities(code, year, part).values_list("pk", flat=True))


def applying(name, coal_now):
    """Applying since YEAR - 1 (baseline 100 t coal), `coal_now` t for the same output in YEAR."""
    f = facility(name=name)
    report(f, YEAR - 1, applies_cp=True)
    report(f, YEAR, applies_cp=True, coal_t=Decimal(coal_now))
    return f


# --- SAVING_PCT: "how many of them reach 8 %" ----------------------------------------------------


@pytest.fixture
def savings():
    return {
        # 92 t: 0.0552 TOE/unit, (0.06 - 0.0552) / 0.06 = exactly 8 %: reaches 8 %.
        "exactly_8": applying("Công ty Bia Đúng Tám", "92"),
        # 92.001 t: 7.99833… %: does not reach 8 %.
        "just_below": applying("Công ty Giấy Gần Tám", "92.001"),
        # 91.999 t: 8.00166… %: reaches 8 %.
        "just_above": applying("Công ty Gốm Trên Tám", "91.999"),
    }


def test_a_saving_of_exactly_8_percent_reaches_8_percent(savings):
    figure = compute_indicators(YEAR).value("SAVING_PCT")

    # (8 + 7.99833… + 8.00166…) / 3 = 8.0
    assert (figure.actual, figure.numerator, figure.denominator) == (Decimal("8.0"), 2, 3)
    assert figure.reaching_8 == 2
    assert ids("SAVING_PCT", "numerator") == {savings["exactly_8"].pk, savings["just_above"].pk}
    assert ids("SAVING_PCT", "denominator") == {f.pk for f in savings.values()}


def test_the_dashboard_lists_the_facility_at_exactly_8_percent(client, official, savings):
    client.force_login(official)

    page = client.get(
        reverse("reports:indicator_facilities", args=["SAVING_PCT", YEAR, "numerator"])
    ).text
    dashboard = client.get(reverse("reports:dashboard"), {"year": YEAR}).text

    assert "Công ty Bia Đúng Tám" in page
    assert "Công ty Gốm Trên Tám" in page
    assert "Công ty Giấy Gần Tám" not in page
    assert "2</a> / <a" in dashboard and "3</a> cơ sở đạt từ 8 % trở lên" in dashboard


# --- ENT_UNIT_PCT: medium or large (NĐ 80/2021) -------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "revenue", "capital", "counted"),
    [
        (100, None, None, False),  # exactly the small limit of employees: small
        (101, None, None, True),  # one more: medium
        (None, "50", "20", False),  # revenue and capital exactly on the small limits: small
        (None, "50.001", "20.001", True),  # both above: medium
        (None, "50.001", "20", False),  # capital within the small limit is enough: small
        (None, "50", "20.001", False),  # revenue within the small limit is enough: small
        (100, "50.001", "20.001", True),  # 100 people but money above the small limits: medium
    ],
)
def test_medium_or_large_on_the_small_limits(employees, revenue, capital, counted):
    money = {
        "revenue_bn_vnd": revenue and Decimal(revenue),
        "capital_bn_vnd": capital and Decimal(capital),
    }
    f = facility(employees=employees, **money)
    report(f, YEAR, employees=employees, has_cp_unit=True, **money)

    figure = compute_indicators(YEAR).value("ENT_UNIT_PCT")

    assert (figure.numerator, figure.denominator) == ((1, 1) if counted else (0, 0))


# --- the calendar year: 31 December / 1 January -------------------------------------------------


def test_operating_in_the_year_of_establishment_and_of_closing():
    inside = {
        facility(established_year=YEAR),  # established in Y: operating in Y
        facility(status=Facility.Status.CLOSED, closed_year=YEAR),  # closed in Y: still counts
    }
    facility(established_year=YEAR + 1)  # established on or after 1 January Y+1
    facility(status=Facility.Status.CLOSED, closed_year=YEAR - 1)  # closed by 31 December Y-1

    assert compute_indicators(YEAR).operating == 2
    assert ids("AWARE_PCT", "denominator") == {f.pk for f in inside}
    assert set(Facility.objects.operating_in(YEAR)) == inside  # the missing-report lists


def test_a_report_of_the_year_counts_one_of_the_next_year_does_not():
    aware_now = facility()
    report(aware_now, YEAR, aware=True)
    aware_next = facility()
    report(aware_next, YEAR + 1, aware=True)
    applies_now = facility()
    report(applies_now, YEAR, applies_cp=True)
    applies_next = facility()
    report(applies_next, YEAR + 1, applies_cp=True)

    # A facility that applies SXSH is aware of it (DESIGN §4).
    assert ids("AWARE_PCT", "numerator") == {aware_now.pk, applies_now.pk}
    assert ids("APPLY_PCT", "numerator") == {applies_now.pk}
    assert ids("AWARE_PCT", "numerator", year=YEAR + 1) == {
        aware_now.pk,
        aware_next.pk,
        applies_now.pk,
        applies_next.pk,
    }
    assert ids("APPLY_PCT", "numerator", year=YEAR + 1) == {applies_now.pk, applies_next.pk}


def test_an_option_done_in_the_year_counts_one_done_the_next_year_does_not():
    this_year = facility()
    OptionFactory(assessment=AssessmentFactory(facility=this_year), implementation_year=YEAR)
    next_year = facility()
    OptionFactory(assessment=AssessmentFactory(facility=next_year), implementation_year=YEAR + 1)

    assert ids("APPLY_PCT", "numerator") == {this_year.pk}
    assert ids("APPLY_PCT", "numerator", year=YEAR + 1) == {this_year.pk, next_year.pk}


def test_an_activity_on_31_december_counts_one_on_1_january_does_not():
    last_day = facility()
    workshop(last_day, date(YEAR, 12, 31))
    first_day = facility()
    workshop(first_day, date(YEAR + 1, 1, 1), kind=Activity.Kind.TRAINING)

    assert ids("AWARE_PCT", "numerator") == {last_day.pk}
    assert ids("AWARE_PCT", "numerator", year=YEAR + 1) == {last_day.pk, first_day.pk}


def test_the_saving_baseline_must_be_before_the_year():
    same_year = facility()
    report(same_year, YEAR, applies_cp=True)  # earliest report in Y itself: no baseline
    year_before = applying("Công ty Năm Trước", "90")  # baseline Y-1: 10 %

    figure = compute_indicators(YEAR).value("SAVING_PCT")

    assert (figure.actual, figure.denominator) == (Decimal("10.0"), 1)
    assert ids("SAVING_PCT", "denominator") == {year_before.pk}
