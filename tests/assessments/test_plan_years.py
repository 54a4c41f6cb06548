"""Plan years: PlanPeriod (assessments, below reports) is the one home; annual reports may be
filed only for a year some plan period covers."""

import pytest

from assessments.models import PlanPeriod, plan_years, valid_report_year
from reports.indicators import plan_years as indicator_plan_years

pytestmark = pytest.mark.django_db


def test_it_works_with_the_seeded_plan():
    assert plan_years() == set(range(2016, 2021))
    assert valid_report_year(2018)
    assert not valid_report_year(2015)


def test_it_joins_every_period():
    PlanPeriod.objects.create(code="2026-2030", name="KH 2026–2030", start_year=2026, end_year=2030)
    assert PlanPeriod.objects.years() == set(range(2016, 2021)) | set(range(2026, 2031))
    assert not valid_report_year(2023)
    assert indicator_plan_years() == sorted(plan_years())


def test_indicators_still_point_at_their_period():
    period = PlanPeriod.objects.get(code="2016-2020")
    assert period.indicators.filter(code="AWARE_PCT").exists()
