"""The sudden-change rules (INTENSITY_JUMP, EMPLOYEES_JUMP) compare with the latest approved
earlier report that gives the figure: a year in between without it (an intensity in another
product unit, output without energy, no employee count) is passed over, not the end of the
comparison; the message names the year compared with. Entered through the staff form."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import quality
from assessments.models import AnnualReport, QualityFinding

from ..factories import AnnualReportFactory, FacilityFactory
from .report_helpers import report_data

pytestmark = pytest.mark.django_db


def post(client, facility, year, **figures):
    """The staff form (which approves on save) for `year`: 100 tấn, electricity only."""
    values = {"output": "100", "coal_t": "", "employees": "50", **figures}
    data = report_data(year=str(year), **values)
    url = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["form"].errors
    return response


def open_finding(facility, year, code):
    report = AnnualReport.objects.get(facility=facility, year=year)
    return QualityFinding.objects.open().filter(report=report, rule__code=code).first()


@pytest.mark.parametrize(
    "between",
    [
        {"product_unit": "m2", "output": "5000"},  # an intensity, in another unit
        {"electricity_kwh": ""},  # output without energy: no intensity
    ],
)
def test_an_intensity_jump_is_measured_from_the_last_year_that_gives_one(
    client, staff, facility, between
):
    client.force_login(staff)
    post(client, facility, 2016, electricity_kwh="1000000")
    post(client, facility, 2017, **{"electricity_kwh": "1000000", **between})
    # 2018: the kWh typed ten times too small, a 90 % "saving"
    response = post(client, facility, 2018, electricity_kwh="100000")

    finding = open_finding(facility, 2018, "INTENSITY_JUMP")
    assert finding is not None
    assert finding.params["args"]["year"] == 2016
    assert finding.message.startswith("Suất tiêu hao năng lượng thay đổi -90,0 % so với năm 2016")
    assert finding.message in response.text


def test_the_latest_year_that_gives_one_is_the_one_compared(client, staff, facility):
    client.force_login(staff)
    post(client, facility, 2016, electricity_kwh="1000000")
    post(client, facility, 2017, electricity_kwh="150000")  # itself a jump from 2016
    post(client, facility, 2018, product_unit="m2", output="5000", electricity_kwh="1000000")
    post(client, facility, 2019, electricity_kwh="140000")  # close to 2017, not to 2016
    assert open_finding(facility, 2019, "INTENSITY_JUMP") is None
    assert open_finding(facility, 2017, "INTENSITY_JUMP").params["args"]["year"] == 2016


def test_a_new_baseline_is_compared_with_the_next_year_that_gives_one(facility):
    AnnualReportFactory(facility=facility, year=2018, product_unit="m2", output=5000)
    AnnualReportFactory(facility=facility, year=2019, output=1000)
    report = AnnualReport(
        facility=facility, year=2017, product_unit="tấn", output=Decimal(300), **_energy()
    )
    (finding,) = [f for f in quality.check_report(report) if f.rule == "INTENSITY_JUMP"]
    assert finding.params["key"] == "INTENSITY_JUMP_LATER"
    assert finding.params["args"]["year"] == 2019


def _energy() -> dict:
    return {"electricity_kwh": Decimal(500000), "coal_t": Decimal(100)}  # the factory's


def test_an_employee_jump_is_measured_from_the_last_year_that_gives_a_count(
    client, staff, facility
):
    client.force_login(staff)
    post(client, facility, 2016, electricity_kwh="1000000", employees="500")
    post(client, facility, 2017, electricity_kwh="1000000", employees="")
    response = post(client, facility, 2018, electricity_kwh="1000000", employees="5")

    finding = open_finding(facility, 2018, "EMPLOYEES_JUMP")
    assert finding is not None
    assert finding.params["args"]["year"] == 2016
    assert finding.message.startswith("Số lao động thay đổi -99,0 % so với năm 2016 (500 → 5")
    assert finding.message in response.text


def test_the_years_passed_over_cost_no_query_per_report():
    def queries(reports):
        with CaptureQueriesContext(connection) as captured:
            quality.check_reports(reports)
        return len(captured)

    reports = []
    for _index in range(4):
        facility = FacilityFactory()
        AnnualReportFactory(facility=facility, year=2016, employees=500)
        AnnualReportFactory(facility=facility, year=2017, product_unit="m2", employees=None)
        reports.append(AnnualReportFactory(facility=facility, year=2018, output=100, employees=5))
    assert queries(reports[:1]) == queries(reports)
    assert {f.rule for f in quality.check_reports(reports[:1])[0]} >= {
        "INTENSITY_JUMP",
        "EMPLOYEES_JUMP",
    }
