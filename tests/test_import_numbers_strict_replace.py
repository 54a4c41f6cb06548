"""A re-imported annual report is exactly the file's (DESIGN §5 "re-import replaces"): the data
no column states (the other fuel) is cleared, from the command line and from the web page, and
the page's check shows the report as it will be stored."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.energy import Factors, total_toe

from .assessments.import_helpers import csv_bytes, report_row
from .factories import AnnualReportFactory
from .import_commands import run_import

pytestmark = pytest.mark.django_db

URL = reverse("assessments:report_import")
# The reviewer's file: the template's columns without the optional fuels.
HEADER = [
    "tax_code",
    "year",
    "product",
    "product_unit",
    "output",
    "electricity_kwh",
    "coal_t",
    "water_m3",
    "employees",
    "revenue_bn_vnd",
    "capital_bn_vnd",
    "aware",
    "applies_cp",
    "has_cp_unit",
    "trained_staff",
]
# 600 000 kWh × 0.0001543 + 120,5 t × 0.60 (the seeded factors)
FILE_TOE = Decimal("164.88")


@pytest.fixture
def rice_husk_report(facility):
    return AnnualReportFactory(
        facility=facility,
        year=2019,
        state="approved",
        other_fuel_name="Trấu",
        other_fuel_amount=Decimal(500),
        other_fuel_toe_factor=Decimal("0.35"),
    )


def _assert_the_files(report):
    report.refresh_from_db()
    assert (report.other_fuel_name, report.other_fuel_amount, report.other_fuel_toe_factor) == (
        "",
        None,
        None,
    )
    assert total_toe(report, Factors.load()) == FILE_TOE
    assert report.history.latest().other_fuel_amount is None


def test_the_command_clears_the_other_fuel(tmp_path, facility, rice_husk_report):
    path = tmp_path / "ar.csv"
    path.write_bytes(csv_bytes([report_row(facility)], header=HEADER))

    output = run_import("import_annual_reports", path)

    assert "thay thế 1 báo cáo" in output
    _assert_the_files(rice_husk_report)


def test_the_web_import_clears_the_other_fuel(client, staff, facility, rice_husk_report):
    client.force_login(staff)
    upload = SimpleUploadedFile("ar.csv", csv_bytes([report_row(facility)], header=HEADER))

    response = client.post(URL, {"file": upload}, follow=True)

    assert "thay thế 1 báo cáo" in response.text
    _assert_the_files(rice_husk_report)


def test_the_check_shows_the_report_as_it_will_be(client, staff, facility, rice_husk_report):
    client.force_login(staff)
    upload = SimpleUploadedFile("ar.csv", csv_bytes([report_row(facility)], header=HEADER))

    response = client.post(URL, {"file": upload, "dry_run": "on"})

    planned = response.context["plan"].replaced_reports
    assert [total_toe(report, Factors.load()) for report in planned] == [FILE_TOE]
    rice_husk_report.refresh_from_db()
    assert rice_husk_report.other_fuel_amount == 500  # a check writes nothing
