"""INTENSITY_JUMP for a report earlier than every approved report of its facility (DESIGN §4:
it becomes the facility's SAVING baseline). With no approved report of an earlier year it is
compared with the nearest later approved year, the same threshold applied to the change from it
to that year; the message names that year. Checked in the import and in the report form."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import quality
from assessments.models import AnnualReport, QualityFinding, QualityRule

from ..factories import AnnualReportFactory, FacilityFactory
from .import_helpers import csv_bytes, report_row
from .report_helpers import report_data

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^row (\d+), column (\w+): (.+)$")
JUMP = "INTENSITY_JUMP"
# report_row's and report_data's figures; 1.8 times their energy intensity with output ÷ 1.8
NORMAL = {"output": Decimal("1200"), "electricity_kwh": 600000, "coal_t": Decimal("120.5")}
INFLATED_OUTPUT = "666,7"


def approved(facility, year, **figures):
    return AnnualReportFactory(
        facility=facility, year=year, state="approved", product_unit="tấn", **{**NORMAL, **figures}
    )


def run(rows, tmp_path) -> list[tuple[str, str, str]]:
    path = tmp_path / "bao-cao.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command("import_annual_reports", str(path), stdout=out, stderr=io.StringIO())
    return [m.groups() for m in map(LINE.match, out.getvalue().splitlines()) if m]


def jump_of(report) -> QualityFinding | None:
    return QualityFinding.objects.open().filter(report=report, rule__code=JUMP).first()


# --- the import -------------------------------------------------------------------------------


def test_an_imported_baseline_before_the_first_approved_year_is_compared_with_the_next(tmp_path):
    facility = FacilityFactory()
    approved(facility, 2018)
    approved(facility, 2019, output=Decimal("3000"))  # not the nearest later year
    lines = run([report_row(facility, year=2017, output=INFLATED_OUTPUT)], tmp_path)
    assert [(row, column) for row, column, _message in lines] == [("2", "output")]
    message = lines[0][2]
    assert message.startswith("Suất tiêu hao năng lượng thay đổi -44,4 % từ năm 2017 đến năm 2018")
    finding = jump_of(AnnualReport.objects.get(facility=facility, year=2017))
    assert finding.params["args"]["year"] == 2018
    assert finding.params["args"]["own_year"] == 2017
    assert finding.message == message


def test_an_imported_earlier_year_without_a_jump_has_no_finding(tmp_path):
    facility = FacilityFactory()
    approved(facility, 2018)
    assert run([report_row(facility, year=2017)], tmp_path) == []
    assert jump_of(AnnualReport.objects.get(facility=facility, year=2017)) is None


def test_the_rows_of_one_file_compare_forward_too(tmp_path):
    facility = FacilityFactory()
    rows = [
        report_row(facility, year=2016, output=INFLATED_OUTPUT),
        report_row(facility, year=2017),
    ]
    lines = run(rows, tmp_path)
    assert [(row, column) for row, column, _message in lines] == [
        ("2", "output"),  # new: the baseline, compared with 2017
        ("3", "output"),  # as before: 2017 compared with 2016
    ]
    assert "từ năm 2016 đến năm 2017" in lines[0][2]
    assert "so với năm 2016" in lines[1][2]


def test_a_report_with_a_previous_year_is_still_compared_with_it(tmp_path):
    facility = FacilityFactory()
    approved(facility, 2016)
    approved(facility, 2018, output=Decimal("300"))  # a jump after the imported year: not its
    assert run([report_row(facility, year=2017)], tmp_path) == []


def test_the_later_years_cost_no_query_per_report():
    def queries(reports):
        with CaptureQueriesContext(connection) as captured:
            quality.check_reports(reports, overlay=True)
        return len(captured)

    reports = []
    for _index in range(4):
        facility = FacilityFactory()
        approved(facility, 2018)
        reports.append(AnnualReport(facility=facility, year=2017, product_unit="tấn", **NORMAL))
    assert queries(reports[:1]) == queries(reports)


# --- the report form --------------------------------------------------------------------------


def _create(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def test_staff_entering_an_earlier_year_see_the_jump_from_it(client, staff, facility):
    approved(facility, 2018)
    approved(facility, 2020, output=Decimal("3000"))
    client.force_login(staff)
    response = client.post(
        _create(facility), report_data(year="2017", output=INFLATED_OUTPUT), follow=True
    )
    report = AnnualReport.objects.get(facility=facility, year=2017)
    assert report.state == "approved"
    assert "thay đổi -44,4 % từ năm 2017 đến năm 2018" in response.text
    assert jump_of(report).params["args"]["year"] == 2018


def test_submitting_an_earlier_year_needs_a_justification(
    client, facility_user, facility, open_deadline
):
    approved(facility, 2020)
    client.force_login(facility_user)
    data = report_data(year="2019", output=INFLATED_OUTPUT, submit="1")
    response = client.post(_create(facility), data)
    assert response.status_code == 200  # the form comes back, nothing saved
    assert not AnnualReport.objects.filter(year=2019).exists()
    assert "từ năm 2019 đến năm 2020" in response.text

    data["quality_justification"] = "Năm 2019 dây chuyền mới chạy thử, sản lượng thấp."
    response = client.post(_create(facility), data)
    report = AnnualReport.objects.get(facility=facility, year=2019)
    assert response.status_code == 302 and report.state == "submitted"
    assert jump_of(report).params["args"]["year"] == 2020


def test_a_rule_seeded_with_the_former_explanation_shows_the_current_one():
    # Databases seeded before the rule compared forward keep the old wording stored; the page
    # shows the rule as it now works (and staff's own wordings stay as written).
    rule = QualityRule.objects.get(code="INTENSITY_JUMP")
    rule.explanation = (
        "Suất tiêu hao năng lượng (TOE trên một đơn vị sản phẩm) tăng hoặc giảm quá ngưỡng (%) "
        "so với báo cáo được duyệt gần nhất của năm trước, cùng đơn vị sản phẩm."
    )
    assert "năm gốc mới" in rule.display_explanation
    rule.explanation = "Cán bộ tự viết."
    assert rule.display_explanation == "Cán bộ tự viết."
