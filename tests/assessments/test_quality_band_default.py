"""A sector band rule left without its minimum number of facilities (min_facilities empty) needs
the default ten peers (assessments.quality.load_bands): nine give no band, ten give one."""

from decimal import Decimal

import pytest

from assessments.models import AnnualReport, QualityRule
from assessments.quality import check_report
from facilities.models import IndustryCode

from ..factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db

RULE = "INTENSITY_OUT_OF_BAND"


def _with_toe(toe) -> dict:
    """Energy of exactly `toe` TOE (other fuel with a factor of 1), no other carrier."""
    return {
        "electricity_kwh": None,
        "coal_t": None,
        "other_fuel_amount": Decimal(toe),
        "other_fuel_toe_factor": 1,
    }


def _draft(facility) -> AnnualReport:
    """A 2019 report of 1000 tấn at 5 TOE/tấn, far above every peer."""
    values = {"product": "Giấy", "product_unit": "tấn", "output": Decimal(1000)}
    return AnnualReport(facility=facility, year=2019, **values, **_with_toe(5000))


def _peers(industry, count: int) -> None:
    for index in range(1, count + 1):
        AnnualReportFactory(
            facility=FacilityFactory(industry=industry),
            year=2019,
            state="approved",
            output=1000,
            **_with_toe(100 * index),
        )


def _warned(industry) -> bool:
    findings = check_report(_draft(FacilityFactory(industry=industry)))
    return any(finding.rule == RULE for finding in findings)


@pytest.fixture
def paper():
    QualityRule.objects.filter(code=RULE).update(min_facilities=None)
    return IndustryCode.objects.get(version="VSIC2018", code="17")


def test_nine_peers_give_no_band_without_a_minimum(paper):
    _peers(paper, 9)
    assert not _warned(paper)


def test_ten_peers_give_a_band_without_a_minimum(paper):
    _peers(paper, 10)
    assert _warned(paper)
