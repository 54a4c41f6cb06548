"""Payback, TOE saved and tCO₂ avoided, against values computed by hand from the seeded factors
(DOMAIN.md: electricity 0.0001543 TOE/kWh, coal 0.60 TOE/t and 2.469 tCO₂/t, diesel 0.00088 TOE/L
and 0.002752 tCO₂/L, grid 2018 0.9130 tCO₂/MWh)."""

from decimal import Decimal

import pytest

from assessments.models import ConversionFactor, GridEmissionFactor, payback_years
from assessments.option_metrics import (
    load_factors,
    option_rows,
    tco2_avoided,
    toe_saved,
    totals,
)

from ..factories import OptionFactory

pytestmark = pytest.mark.django_db


def _option(**fields):
    defaults = {
        "investment_vnd": 120_000_000,
        "annual_saving_vnd": 60_000_000,
        "electricity_saving_kwh": Decimal(100_000),
        "coal_saving_t": Decimal(50),
        "diesel_saving_l": Decimal(2_000),
        "implementation_year": 2018,
    }
    return OptionFactory.build(**{**defaults, **fields})


def test_payback():
    # 120,000,000 / 60,000,000 = 2 years
    assert _option().payback_years() == Decimal(2)
    # 50,000,000 / 40,000,000 = 1.25 years
    assert _option(investment_vnd=50_000_000, annual_saving_vnd=40_000_000).payback_years() == (
        Decimal("1.25")
    )


def test_no_payback_without_saving():
    assert _option(annual_saving_vnd=0).payback_years() is None


@pytest.mark.parametrize(
    ("investment", "saving", "expected"),
    [
        (45_000_000, 100_000_000, Decimal("0.45")),  # unrounded: each output rounds half up
        (120_000_000, 60_000_000, Decimal(2)),
        (0, 60_000_000, Decimal(0)),  # no investment: pays back at once
        (50_000_000, 0, None),
        (50_000_000, -1, None),  # a net loss never pays back
    ],
)
def test_the_payback_rule(investment, saving, expected):
    # The one rule, used by Option.payback_years and the report workbook (reports.files.content).
    assert payback_years(investment, saving) == expected


def test_toe_saved():
    # 100,000 kWh × 0.0001543 = 15.43; 50 t × 0.60 = 30; 2,000 L × 0.00088 = 1.76 → 47.19
    assert toe_saved(_option(), load_factors()) == Decimal("47.19")


def test_tco2_avoided_uses_the_grid_factor_of_the_implementation_year():
    # 100 MWh × 0.9130 (2018) = 91.3; 50 t coal × 2.469 = 123.45; 2,000 L × 0.002752 = 5.504
    # → 220.254
    assert tco2_avoided(_option(), load_factors()) == Decimal("220.254")


def test_tco2_of_electricity_alone_per_year():
    factors = load_factors()
    only_power = {"coal_saving_t": None, "diesel_saving_l": None}
    # 100 MWh × 0.8041 (2020) = 80.41
    assert tco2_avoided(_option(implementation_year=2020, **only_power), factors) == Decimal(
        "80.41"
    )
    # No factor of 2030, 2010 or no year at all: no figure, never another year's factor
    # (DOMAIN.md: the factor of the year the saving happened).
    for year in (2030, 2010, None):
        assert tco2_avoided(_option(implementation_year=year, **only_power), factors) is None


def test_water_and_material_savings_carry_no_energy():
    option = _option(
        electricity_saving_kwh=None,
        coal_saving_t=None,
        diesel_saving_l=None,
        water_saving_m3=Decimal(5000),
        material_saving_t=Decimal(12),
    )
    factors = load_factors()
    assert toe_saved(option, factors) == 0
    assert tco2_avoided(option, factors) == 0


def test_fuel_oil_lpg_and_gas():
    option = _option(
        electricity_saving_kwh=None,
        coal_saving_t=None,
        diesel_saving_l=None,
        fuel_oil_saving_t=Decimal(10),
        lpg_saving_t=Decimal(2),
        natural_gas_saving_1000m3=Decimal(5),
    )
    factors = load_factors()
    # 10 × 0.99 + 2 × 1.09 + 5 × 0.90 = 9.9 + 2.18 + 4.5 = 16.58 TOE
    assert toe_saved(option, factors) == Decimal("16.58")
    # 10 × 3.13 + 2 × 2.99 + 5 × 2.114 = 31.3 + 5.98 + 10.57 = 47.85 tCO₂
    assert tco2_avoided(option, factors) == Decimal("47.85")


def test_factors_are_read_from_the_database():
    ConversionFactor.objects.filter(carrier="electricity").update(toe_per_unit=Decimal("0.0002"))
    GridEmissionFactor.objects.filter(year=2018).update(t_co2_per_mwh=Decimal("0.5"))
    factors = load_factors()
    # 100,000 × 0.0002 = 20; + 30 + 1.76 → 51.76
    assert toe_saved(_option(), factors) == Decimal("51.76")
    # 100 × 0.5 = 50; + 123.45 + 5.504 → 178.954
    assert tco2_avoided(_option(), factors) == Decimal("178.954")


def test_rows_and_totals(django_assert_num_queries):
    options = [
        _option(),
        _option(
            investment_vnd=10_000_000,
            annual_saving_vnd=0,
            electricity_saving_kwh=Decimal(10_000),
            coal_saving_t=None,
            diesel_saving_l=None,
        ),
    ]
    with django_assert_num_queries(2):
        factors = load_factors()
    with django_assert_num_queries(0):
        rows = option_rows(options, factors)
        summary = totals(rows)
    assert [r.payback_years for r in rows] == [Decimal(2), None]
    assert summary.investment_vnd == 130_000_000
    assert summary.annual_saving_vnd == 60_000_000
    # 47.19 + 10,000 × 0.0001543 (1.543) = 48.733
    assert summary.toe == Decimal("48.733")
    # 220.254 + 10 MWh × 0.9130 (9.13) = 229.384
    assert summary.tco2 == Decimal("229.384")
