"""TOE, energy intensity, specific consumption, change against the baseline and tCO₂ of an annual
report, checked against values computed by hand from the seeded factors (DOMAIN.md):
electricity 0.0001543 TOE/kWh, coal 0.60 TOE/t and 2.469 tCO₂/t, diesel 0.00088 TOE/L and
0.002752 tCO₂/L, grid factor 2018 = 0.9130 tCO₂/MWh."""

from decimal import Decimal

import pytest

from assessments.energy import (
    Factors,
    ReportFigures,
    baseline_report,
    co2_tonnes,
    energy_intensity,
    intensity_fall_pct,
    specific_consumption,
    total_toe,
)
from assessments.models import ConversionFactor, GridEmissionFactor

from ..factories import AnnualReportFactory

D = Decimal


@pytest.fixture
def report(facility):
    return AnnualReportFactory(
        facility=facility,
        year=2018,
        output=1000,
        electricity_kwh=500_000,
        coal_t=100,
        diesel_l=2000,
        water_m3=30_000,
    )


@pytest.fixture
def factors(db):
    return Factors.load()


def test_total_toe(report, factors):
    # 500 000 kWh × 0.0001543 = 77.15; 100 t × 0.60 = 60; 2 000 L × 0.00088 = 1.76
    # 77.15 + 60 + 1.76 = 138.91 TOE
    assert total_toe(report, factors) == D("138.91")


def test_other_fuel_uses_its_own_factor(report, factors):
    report.other_fuel_name = "Trấu"
    report.other_fuel_amount = D(10)
    report.other_fuel_toe_factor = D("0.45")
    # 138.91 + 10 × 0.45 = 143.41
    assert total_toe(report, factors) == D("143.41")


def test_energy_intensity(report, factors):
    # 138.91 TOE ÷ 1 000 t = 0.13891 TOE/t
    assert energy_intensity(report, factors) == D("0.13891")


@pytest.mark.parametrize("output", [None, 0])
def test_no_intensity_without_output(report, factors, output):
    report.output = output
    assert energy_intensity(report, factors) is None
    assert specific_consumption(report) == {}


def test_specific_consumption(report):
    # per tonne of product: 500 000 / 1 000 = 500 kWh; 100 / 1 000 = 0.1 t coal;
    # 2 000 / 1 000 = 2 L diesel; 30 000 / 1 000 = 30 m³ water; carriers not reported are absent
    assert specific_consumption(report) == {
        "electricity_kwh": D(500),
        "coal_t": D("0.1"),
        "diesel_l": D(2),
        "water_m3": D(30),
    }


def test_co2(report, factors):
    # electricity 500 MWh × 0.9130 = 456.5; coal 100 × 2.469 = 246.9; diesel 2 000 × 0.002752
    # = 5.504; total 456.5 + 246.9 + 5.504 = 708.904 tCO₂
    assert co2_tonnes(report, factors) == D("708.904")


def test_co2_uses_the_grid_factor_of_the_year(report, factors):
    report.year = 2020
    # 500 × 0.8041 = 402.05; + 246.9 + 5.504 = 654.454
    assert co2_tonnes(report, factors) == D("654.454")


def test_co2_unknown_without_the_year_grid_factor(report, factors):
    report.year = 2025  # no grid factor seeded for 2025
    assert co2_tonnes(report, factors) is None
    report.electricity_kwh = None
    # fuels only: 246.9 + 5.504 = 252.404
    assert co2_tonnes(report, factors) == D("252.404")


def test_factors_are_read_from_the_database(report):
    ConversionFactor.objects.filter(carrier="coal").update(toe_per_unit=D("0.70"))
    GridEmissionFactor.objects.filter(year=2018).update(t_co2_per_mwh=D("1.0000"))
    factors = Factors.load()
    # 77.15 + 100 × 0.70 + 1.76 = 148.91 TOE
    assert total_toe(report, factors) == D("148.91")
    # 500 × 1.0 + 246.9 + 5.504 = 752.404 tCO₂
    assert co2_tonnes(report, factors) == D("752.404")


def test_factors_load_in_two_queries(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        Factors.load()


def test_change_against_the_baseline(facility, report, factors):
    AnnualReportFactory(facility=facility, year=2017, state="draft", output=1)  # not approved
    baseline = AnnualReportFactory(
        facility=facility, year=2016, output=800, electricity_kwh=450_000, coal_t=90
    )
    # baseline: (450 000 × 0.0001543 + 90 × 0.60) ÷ 800 = (69.435 + 54) ÷ 800 = 0.15429375
    # 2018: 0.13891; fall = (0.15429375 − 0.13891) ÷ 0.15429375 × 100 = 9.9704 %
    assert baseline_report(report) == baseline
    fall = intensity_fall_pct(report, baseline, factors.toe)
    assert fall.quantize(D("0.0001")) == D("9.9704")


def test_no_change_for_the_baseline_year_itself(report, factors):
    assert baseline_report(report) == report
    assert intensity_fall_pct(report, report, factors.toe) is None


def test_no_change_without_baseline_energy(facility, report, factors):
    baseline = AnnualReportFactory(
        facility=facility, year=2016, output=800, electricity_kwh=None, coal_t=None
    )
    assert intensity_fall_pct(report, baseline, factors.toe) is None


def test_figures_of_a_report(facility, report):
    AnnualReportFactory(
        facility=facility, year=2016, output=800, electricity_kwh=450_000, coal_t=90
    )
    figures = ReportFigures.of(report)
    assert figures.toe == D("138.91")
    assert figures.intensity == D("0.13891")
    assert figures.co2 == D("708.904")
    assert figures.baseline_year == 2016
    assert figures.change_pct.quantize(D("0.1")) == D("-10.0")
