"""A fuel saved without a tCO₂ per unit in the factor table (staff cleared it; coke and some coal
grades ship without one) gives no tCO₂ figure, with the reason, rather than counting as 0: on the
option, in the assessment's total note and in the year's physical results (as electricity
without a grid factor of the year)."""

from decimal import Decimal

import pytest

from assessments.models import ConversionFactor
from assessments.option_metrics import load_factors, tco2_avoided, tco2_gap
from reports.files.activities import physical_results

from ..factories import AssessmentFactory, FacilityFactory, OptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def diesel_option():
    assessment = AssessmentFactory(facility=FacilityFactory(established_year=2010))
    return OptionFactory(
        assessment=assessment,
        implementation_year=2018,
        electricity_saving_kwh=Decimal(0),
        diesel_saving_l=Decimal(1000),
    )


def test_with_the_factor_the_fuel_counts(diesel_option):
    factors = load_factors()
    per_litre = factors.co2["diesel_l"]
    assert tco2_avoided(diesel_option, factors) == Decimal(1000) * per_litre
    assert physical_results(2018).tco2 == Decimal(1000) * per_litre


def test_without_the_factor_there_is_no_figure_and_the_reason(diesel_option):
    ConversionFactor.objects.filter(carrier="diesel_l").update(co2_t_per_unit=None)
    factors = load_factors()

    assert tco2_avoided(diesel_option, factors) is None
    assert "Chưa có hệ số phát thải CO₂ của Dầu diesel" in tco2_gap(diesel_option, factors)
    assert physical_results(2018).tco2 is None
