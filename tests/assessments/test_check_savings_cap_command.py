"""`manage.py check_savings_cap` lists the assessments whose stored options save more than the
savings cap allows (data entered before the facility-wide rule, after an upgrade), and exits 1."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_baselines(facility):
    """Approved reports 2017 and 2018 (1.300.000 and 1.320.000 kWh); an approved assessment of
    each baseline year saving 1.000.000 kWh: each within its year, 2.000.000 together over the
    larger of the two (stored as before the facility-wide rule)."""
    for year, kwh in ((2017, 1_300_000), (2018, 1_320_000)):
        AnnualReportFactory(facility=facility, year=year, electricity_kwh=kwh)
    assessments = []
    for year in (2017, 2018):
        assessment = AssessmentFactory(facility=facility, baseline_year=year)
        OptionFactory(assessment=assessment, electricity_saving_kwh=1_000_000)
        assessments.append(assessment)
    return assessments


def _run():
    out = StringIO()
    call_command("check_savings_cap", stdout=out)
    return out.getvalue()


def test_the_assessments_over_the_facility_cap_are_listed(facility, two_baselines):
    out = StringIO()
    with pytest.raises(CommandError, match="2 đánh giá có giải pháp vượt mức"):
        call_command("check_savings_cap", stdout=out)
    listed = out.getvalue()
    for assessment in two_baselines:
        assert f"{facility.name} ({facility.tax_code}), đánh giá #{assessment.pk}" in listed
    assert "là 2.000.000, vượt quá lượng lớn nhất cơ sở đã dùng" in listed
    assert "(1.320.000 năm 2018 theo báo cáo năm đã duyệt)" in listed


def test_data_within_the_cap_passes(facility, two_baselines):
    two_baselines[1].options.update(electricity_saving_kwh=320_000)
    assert _run() == "Không có đánh giá nào vượt mức tiết kiệm cho phép.\n"
