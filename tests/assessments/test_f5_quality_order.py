"""The data-quality findings, on the page and in the XLSX export, in the Vietnamese alphabetical
order of the facilities' names (the test database's collation is C: "Đ" after "Z")."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.quality import refresh_report

from ..factories import AnnualReportFactory, FacilityFactory

URL = reverse("assessments:quality_findings")
pytestmark = pytest.mark.django_db

NAMES = ["Công ty Tân Phát", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Dũng Tiến"]
IN_ORDER = ["Công ty Dũng Tiến", "Công ty Đại Việt", "Công ty Tam Hợp", "Công ty Tân Phát"]


@pytest.fixture
def findings():
    """A report with output but no energy (one finding, of one rule) for each facility."""
    for name in NAMES:
        report = AnnualReportFactory(
            facility=FacilityFactory(name=name),
            year=2019,
            state="submitted",
            electricity_kwh=None,
            coal_t=None,
        )
        assert refresh_report(report)


def test_the_page_lists_findings_by_facility_in_vietnamese_order(client, staff, findings):
    client.force_login(staff)
    page = client.get(URL).context["page"]
    assert [finding.report.facility.name for finding in page.object_list] == IN_ORDER


def test_the_export_lists_findings_by_facility_in_vietnamese_order(client, staff, findings):
    client.force_login(staff)
    response = client.get(URL, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[0].index("Cơ sở")
    assert [row[column] for row in rows[1:]] == IN_ORDER
