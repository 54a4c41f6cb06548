"""compute_indicators on small hand-computed data sets (DESIGN §4), one rule at a time."""

from datetime import date
from decimal import Decimal

import pytest

from assessments.models import Activity, ConversionFactor
from core.numbers import round_pct
from facilities.models import Facility
from facilities.size import size_class
from reports import fact_table
from reports.facts import indicator_facilities
from reports.figures import share
from reports.indicators import Status, compute_indicators, compute_years, period_for
from reports.models import Indicator, IndicatorMilestone, IndicatorValue

from ..factories import AssessmentFactory, IndustryCodeFactory, OptionFactory, UserFactory
from .indicator_helpers import YEAR, bulk_facilities, facility, report, workshop

pytestmark = pytest.mark.django_db


def ids(code, part, year=YEAR, **scope):
    return set(indicator_facilities(code, year, part, **scope).values_list("pk", flat=True))


# --- operating facilities ------------------------------------------------------------------


def test_it_counts_only_facilities_operating_in_the_year():
    open_ = facility()
    closed_before = facility(status=Facility.Status.CLOSED, closed_year=YEAR - 1)
    closed_during = facility(status=Facility.Status.CLOSED, closed_year=YEAR)
    established_after = facility(established_year=YEAR + 1)
    established_during = facility(established_year=YEAR)
    unknown_dates = facility(established_year=None)
    for f in (open_, closed_before, closed_during, established_after, established_during):
        report(f, YEAR - 1 if f == closed_before else YEAR, aware=True)

    results = compute_indicators(YEAR)

    assert results.operating == 4
    assert ids("AWARE_PCT", "denominator") == {
        open_.pk,
        closed_during.pk,
        established_during.pk,
        unknown_dates.pk,
    }
    assert results.value("AWARE_PCT").numerator == 3
    assert results.value("AWARE_PCT").actual == Decimal("75.0")
    assert compute_indicators(YEAR - 1).operating == 4  # closed_before counts in its last year


# --- AWARE_PCT -----------------------------------------------------------------------------


def test_aware_counts_approved_reports_up_to_the_year():
    earlier = facility()
    report(earlier, YEAR - 2, aware=True)
    report(earlier, YEAR, aware=False)  # once aware, stays aware
    later = facility()
    report(later, YEAR + 1, aware=True)
    never = facility()
    report(never, YEAR, aware=False)

    figure = compute_indicators(YEAR).value("AWARE_PCT")

    assert (figure.numerator, figure.denominator, figure.actual) == (1, 3, Decimal("33.3"))
    assert ids("AWARE_PCT", "numerator") == {earlier.pk}


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_reports_not_approved_never_count(state):
    f = facility(employees=300)
    report(f, YEAR - 1, state=state, aware=True, applies_cp=True)
    report(f, YEAR, state=state, aware=True, applies_cp=True, has_cp_unit=True, coal_t=50)

    results = compute_indicators(YEAR)

    assert results.value("AWARE_PCT").numerator == 0
    assert results.value("APPLY_PCT").numerator == 0
    assert results.value("ENT_UNIT_PCT").numerator == 0
    assert results.value("ENT_UNIT_PCT").denominator == 1  # registry size: large
    assert results.value("SAVING_PCT").denominator == 0


def test_aware_through_an_awareness_activity_only():
    workshop_goer = facility()
    workshop(workshop_goer, date(YEAR, 12, 31))
    trainee = facility()
    workshop(trainee, date(YEAR - 3, 3, 1), kind=Activity.Kind.TRAINING)
    too_late = facility()
    workshop(too_late, date(YEAR + 1, 1, 1))
    wrong_kind = facility()
    workshop(wrong_kind, date(YEAR, 5, 1), kind=Activity.Kind.TECHNICAL)

    figure = compute_indicators(YEAR).value("AWARE_PCT")

    assert (figure.numerator, figure.denominator) == (2, 4)
    assert ids("AWARE_PCT", "numerator") == {workshop_goer.pk, trainee.pk}


# --- APPLY_PCT -----------------------------------------------------------------------------


def test_apply_through_reports_or_done_options_of_approved_assessments():
    by_report = facility()
    report(by_report, YEAR - 1, applies_cp=True)
    by_option = facility()
    OptionFactory(assessment=AssessmentFactory(facility=by_option), implementation_year=YEAR)
    draft_assessment = facility()
    OptionFactory(assessment=AssessmentFactory(facility=draft_assessment, state="draft"))
    planned = facility()
    OptionFactory(assessment=AssessmentFactory(facility=planned), status="planned")
    done_later = facility()
    OptionFactory(assessment=AssessmentFactory(facility=done_later), implementation_year=YEAR + 1)

    figure = compute_indicators(YEAR).value("APPLY_PCT")

    assert (figure.numerator, figure.denominator, figure.actual) == (2, 5, Decimal("40.0"))
    assert ids("APPLY_PCT", "numerator") == {by_report.pk, by_option.pk}


# --- SAVING_PCT ----------------------------------------------------------------------------


def _applying(baseline_year=YEAR - 2, *, baseline=None, current=None):
    f = facility()
    report(f, baseline_year, applies_cp=True, **(baseline or {}))
    if baseline_year != YEAR:
        report(f, YEAR, applies_cp=True, **(current or {}))
    return f


def test_saving_is_the_mean_fall_of_energy_intensity():
    ten = _applying(current={"coal_t": 90})  # 0.06 -> 0.054 TOE/unit: 10% fall
    five = _applying(current={"coal_t": 95})  # 5%
    rises = _applying(current={"coal_t": 110, "output": 1100})  # same intensity: 0%

    figure = compute_indicators(YEAR).value("SAVING_PCT")

    assert figure.actual == Decimal("5.0")  # (10 + 5 + 0) / 3
    assert (figure.numerator, figure.denominator, figure.reaching_8) == (1, 3, 1)
    assert ids("SAVING_PCT", "numerator") == {ten.pk}
    assert ids("SAVING_PCT", "denominator") == {ten.pk, five.pk, rises.pk}


def test_saving_uses_the_conversion_factors_of_the_database():
    f = _applying(
        baseline={"coal_t": 0, "electricity_kwh": 100_000},
        current={"coal_t": 0, "electricity_kwh": 80_000},
    )
    ConversionFactor.objects.filter(carrier="coal").update(toe_per_unit=Decimal("5"))

    assert compute_indicators(YEAR).value("SAVING_PCT").actual == Decimal("20.0")
    assert ids("SAVING_PCT", "denominator") == {f.pk}


def test_saving_excludes_facilities_without_usable_data():
    counted = _applying(current={"coal_t": 88})  # 12%
    _applying(baseline_year=YEAR)  # baseline in the same year as Y
    _applying(baseline={"output": 0})  # zero output in the baseline
    _applying(current={"output": 0})  # zero output in Y
    _applying(baseline={"coal_t": 0})  # zero energy in the baseline
    _applying(baseline={"output": None})  # no output in the baseline
    no_current = facility()
    report(no_current, YEAR - 2, applies_cp=True)  # no report for Y
    not_applying = facility()
    report(not_applying, YEAR - 2)
    report(not_applying, YEAR, coal_t=50)
    draft_current = facility()
    report(draft_current, YEAR - 2, applies_cp=True)
    report(draft_current, YEAR, state="draft", coal_t=50)

    figure = compute_indicators(YEAR).value("SAVING_PCT")

    assert (figure.actual, figure.denominator, figure.reaching_8) == (Decimal("12.0"), 1, 1)
    assert ids("SAVING_PCT", "denominator") == {counted.pk}


def test_saving_baseline_is_the_earliest_approved_report():
    f = facility()
    report(f, YEAR - 3, state="draft", coal_t=200)  # a draft is not a baseline
    report(f, YEAR - 2, applies_cp=True, coal_t=100)
    report(f, YEAR - 1, coal_t=50)
    report(f, YEAR, coal_t=91)

    assert compute_indicators(YEAR).value("SAVING_PCT").actual == Decimal("9.0")


def test_saving_without_facilities_has_no_value():
    figure = compute_indicators(YEAR).value("SAVING_PCT")
    assert (figure.actual, figure.denominator, figure.reaching_8) == (None, 0, 0)


# --- ENT_UNIT_PCT --------------------------------------------------------------------------


def test_size_comes_from_the_year_report_else_the_registry():
    grew = facility(employees=50)
    report(grew, YEAR, employees=250, has_cp_unit=True)
    shrank = facility(employees=500)
    report(shrank, YEAR, employees=20, revenue_bn_vnd=10, has_cp_unit=True)
    registry_large = facility(employees=500)
    report(registry_large, YEAR - 1, has_cp_unit=True)  # not the year's report
    medium_by_money = facility(employees=None, revenue_bn_vnd=150)
    report(medium_by_money, YEAR, employees=None, revenue_bn_vnd=150, capital_bn_vnd=90)
    unknown = facility(employees=None)

    figure = compute_indicators(YEAR).value("ENT_UNIT_PCT")

    assert ids("ENT_UNIT_PCT", "denominator") == {grew.pk, registry_large.pk, medium_by_money.pk}
    assert ids("ENT_UNIT_PCT", "numerator") == {grew.pk}
    assert (figure.numerator, figure.denominator, figure.actual) == (1, 3, Decimal("33.3"))
    assert unknown.size_class() is None


@pytest.mark.parametrize("employees", [None, 0, 10, 100, 101, 200, 201])
@pytest.mark.parametrize("revenue", [None, 3, 50, 51, 200, 201])
@pytest.mark.parametrize("capital", [None, 20, 21, 100, 101])
def test_medium_or_large_condition_matches_size_class(employees, revenue, capital):
    f = facility(employees=employees, revenue_bn_vnd=revenue, capital_bn_vnd=capital)
    expected = size_class(employees, revenue, capital) in ("medium", "large")

    assert (f.pk in ids("ENT_UNIT_PCT", "denominator")) is expected


# --- breakdowns, manual values, status -----------------------------------------------------


def test_breakdown_by_district_and_division():
    textiles = IndustryCodeFactory(code="13", name="Dệt")
    a = facility()
    b = facility(commune=a.commune, industry=textiles)
    c = facility()
    report(a, YEAR, aware=True)
    report(c, YEAR, aware=True)

    results = compute_indicators(YEAR)

    districts = {row.key: row for row in results.by_district}
    district_a = a.commune.parent.code
    assert districts[district_a].values["AWARE_PCT"].actual == Decimal("50.0")
    assert districts[district_a].label == a.commune.parent.name
    assert districts[c.commune.parent.code].values["AWARE_PCT"].actual == Decimal("100.0")
    divisions = {row.key: row for row in results.by_division}
    assert divisions["13"].operating == 1
    assert divisions["13"].label.startswith("13 – Dệt")
    assert divisions["10"].values["AWARE_PCT"].numerator == 2
    assert ids("AWARE_PCT", "denominator", district=a.commune.parent_id) == {a.pk, b.pk}
    assert ids("AWARE_PCT", "denominator", division="13") == {b.pk}


def test_manual_indicators_read_their_yearly_values():
    staff = UserFactory(role="staff")
    doit = Indicator.objects.get(code="DOIT_STAFF")
    IndicatorValue.objects.create(indicator=doit, year=YEAR, value=4, note="QĐ 12", author=staff)

    result = compute_indicators(YEAR).get("DOIT_STAFF")

    assert result.value.actual == 4
    assert result.manual.note == "QĐ 12"
    assert result.status == Status.NO_TARGET
    assert compute_indicators(YEAR - 1).get("DOIT_STAFF").status == Status.NO_DATA


def test_status_against_the_target():
    f = facility()
    report(f, YEAR, aware=True)
    other = facility()
    report(other, YEAR, applies_cp=False)

    results = compute_indicators(YEAR)

    # 2018 is judged against its milestone (AWARE 74 %, APPLY 40 %), not the 2020 target.
    assert results.get("AWARE_PCT").status == Status.NOT_MET  # 50% < 74%
    assert results.get("AWARE_PCT").progress == 67  # 50 / 74
    assert results.get("APPLY_PCT").status == Status.NOT_MET
    assert results.get("SAVING_PCT").status == Status.NO_DATA
    IndicatorMilestone.objects.filter(indicator__code="AWARE_PCT", year=YEAR).update(target_min=50)
    assert compute_indicators(YEAR).get("AWARE_PCT").status == Status.MET
    IndicatorMilestone.objects.filter(indicator__code="AWARE_PCT", year=YEAR).delete()
    Indicator.objects.filter(code="AWARE_PCT").update(target_min=51)  # no milestone: period
    assert compute_indicators(YEAR).get("AWARE_PCT").status == Status.NOT_MET


def test_every_indicator_of_the_period_in_order():
    codes = [r.code for r in compute_indicators(YEAR).results]
    assert codes == ["AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT", "DOIT_STAFF"]


def test_a_year_outside_every_period_has_no_indicators():
    results = compute_indicators(2031)
    assert results.period is None
    assert results.results == []


def test_rounding_is_half_up_to_one_decimal():
    assert round_pct(Decimal("45.45")) == Decimal("45.5")
    assert round_pct(Decimal("45.44999")) == Decimal("45.4")
    assert share(1, 3) == Decimal("33.3")
    assert share(2, 3) == Decimal("66.7")
    assert share(1, 0) is None


def test_compute_years_equals_compute_indicators():
    bulk_facilities(12)
    by_year = compute_years(range(2016, 2021), period=period_for(2018))
    for year in range(2016, 2021):
        single = compute_indicators(year)
        assert by_year[year].computed == single.computed
        assert [r.value for r in by_year[year].results] == [r.value for r in single.results]


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_number_of_queries_does_not_grow_with_facilities(count, django_assert_max_num_queries):
    bulk_facilities(count)
    # The stored facts of the new facilities, refreshed in a fixed number of queries.
    with django_assert_max_num_queries(10):
        assert fact_table.flush() == count
    # Period, indicators, milestones, manual values, facts state, marks, counts, names: fixed,
    # whatever the count.
    with django_assert_max_num_queries(10):
        results = compute_indicators(YEAR)
    assert results.operating == count
    with django_assert_max_num_queries(10):
        compute_years(range(2016, 2021), period=results.period)
