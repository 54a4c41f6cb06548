"""assessments:quality_findings in a national installation: a province's staff see the findings
of their own province's reports only, on the page and in the XLSX export (DESIGN §2)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.quality import refresh_report

from ..factories import AnnualReportFactory
from .national_helpers import national, staff_bn, two_provinces

__all__ = ["national", "staff_bn", "two_provinces"]  # fixtures

URL = reverse("assessments:quality_findings")
pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(two_provinces):
    """A report with output but no energy (the OUTPUT_NO_ENERGY finding) in each province."""
    for facility in two_provinces:
        report = AnnualReportFactory(
            facility=facility, year=2019, state="submitted", electricity_kwh=None, coal_t=None
        )
        assert refresh_report(report)
    return two_provinces


def test_the_page_lists_the_provinces_findings_only(client, national, findings, staff_bn):
    bac_ninh, hai_phong = findings
    client.force_login(staff_bn)
    response = client.get(URL)
    assert response.status_code == 200
    listed = {f.report.facility.name for f in response.context["page"].object_list}
    assert listed == {bac_ninh.name}
    assert hai_phong.name not in response.text
    assert sum(row["n"] for row in response.context["by_rule"]) == 1


def test_the_export_holds_the_provinces_findings_only(client, national, findings, staff_bn):
    bac_ninh, hai_phong = findings
    client.force_login(staff_bn)
    response = client.get(URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert bac_ninh.name in cells
    assert hai_phong.name not in cells
