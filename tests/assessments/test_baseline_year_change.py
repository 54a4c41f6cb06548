"""An assessment's baseline year cannot move to a year in which the facility used less of a
quantity than its options together save (the savings cap, Option.clean): the assessment form
refuses it on the baseline year, naming the quantity and the figures."""

import pytest
from django.urls import reverse

from assessments.models import Assessment

from ..factories import AnnualReportFactory, AssessmentFactory, OptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(facility):
    """A draft assessment with baseline year 2016 (the facility used 3.657.014 kWh and 100 t of
    coal), whose options save 2.000.000 kWh and 60 t of coal a year; in 2017 the facility used
    1.000.000 kWh and 50 t of coal, in 2015 2.500.000 kWh (no approved report for 2014)."""
    AnnualReportFactory(facility=facility, year=2016, electricity_kwh=3_657_014, coal_t=100)
    AnnualReportFactory(facility=facility, year=2017, electricity_kwh=1_000_000, coal_t=50)
    AnnualReportFactory(facility=facility, year=2015, electricity_kwh=2_500_000, coal_t=100)
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2016)
    OptionFactory(assessment=assessment, electricity_saving_kwh=1_500_000, coal_saving_t=60)
    OptionFactory(assessment=assessment, electricity_saving_kwh=500_000)
    return assessment


def _edit(client, assessment, **changes):
    data = {
        "kind": assessment.kind,
        "start_date": "2018-03-05",
        "end_date": "2018-03-07",
        "consultant": assessment.consultant,
        "baseline_year": str(assessment.baseline_year),
        "funding_source": "",
        "total_cost_vnd": "30000000",
        "supported_amount_vnd": "15000000",
        **changes,
    }
    return client.post(reverse("assessments:assessment_edit", args=[assessment.pk]), data)


def test_a_baseline_year_the_options_exceed_is_refused(client, facility_user, assessment):
    client.force_login(facility_user)
    response = _edit(client, assessment, baseline_year="2017")
    assert response.status_code == 200
    assert response.context["form"].errors["baseline_year"] == [
        "Tổng tiết kiệm điện (kWh/năm) của các giải pháp trong đánh giá này là 2.000.000, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2017 (1.000.000 theo báo cáo năm đã duyệt).",
        "Tổng tiết kiệm than (tấn/năm) của các giải pháp trong đánh giá này là 60, "
        "vượt quá lượng cơ sở đã dùng trong năm cơ sở 2017 (50 theo báo cáo năm đã duyệt).",
        "Hãy sửa hoặc bỏ bớt các giải pháp trước khi thay đổi.",
    ]
    assert Assessment.objects.get().baseline_year == 2016


@pytest.mark.parametrize("year", ["2015", "2014", ""])
def test_a_baseline_year_the_options_fit_is_stored(client, facility_user, assessment, year):
    # 2015: within that year's use; 2014 (no approved report) and none: no cap.
    client.force_login(facility_user)
    assert _edit(client, assessment, baseline_year=year).status_code == 302
    assert Assessment.objects.get().baseline_year == (int(year) if year else None)


def test_options_not_pursued_do_not_count(client, facility_user, assessment):
    assessment.options.update(status="dropped")
    client.force_login(facility_user)
    assert _edit(client, assessment, baseline_year="2017").status_code == 302


def test_other_changes_keep_a_baseline_year_left_as_it_was(client, facility_user, facility):
    # Stored before the cap: the assessment can still be corrected without touching the year.
    AnnualReportFactory(facility=facility, year=2017, electricity_kwh=1_000_000)
    assessment = AssessmentFactory(facility=facility, state="draft", baseline_year=2017)
    OptionFactory(assessment=assessment, electricity_saving_kwh=2_000_000)
    client.force_login(facility_user)
    assert _edit(client, assessment, consultant="Viện Môi trường").status_code == 302
    assert Assessment.objects.get().consultant == "Viện Môi trường"
