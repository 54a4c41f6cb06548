"""The XLSX export of the findings page (assessments:quality_findings?format=xlsx): every cell is
what the models show for the finding (QualityRule.display_name, QualityFinding.severity_label
and display_message, AnnualReport.get_state_display, the report's address), in the reader's
language, by the rule of every XLSX export (core.text.xlsx_cell); the file is written from
plain values (assessments/quality_export.py), so these tests compare it cell by cell with the
model instances' values."""

import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import QualityFinding, QualityRule
from assessments.quality_messages import message_params
from core.collation import vietnamese
from core.spreadsheets import looks_like_formula
from core.text import printable
from facilities.models import AdminUnit
from facilities.territory import unit_label

from ..factories import AnnualReportFactory, FacilityFactory

URL = reverse("assessments:quality_findings")
pytestmark = pytest.mark.django_db

PARAMS = {
    "INTENSITY_JUMP": message_params(
        "INTENSITY_JUMP",
        change="-42.25",
        year=2018,
        before="0.001234",
        after="0.0007",
        unit="tấn",
        threshold="30",
    ),
    "UNIT_CHANGED": message_params("UNIT_CHANGED", unit="", year=2017, base="=m3"),
    "EMPLOYEES_JUMP": message_params(
        "EMPLOYEES_JUMP", change="150", year=2018, before=10, after=25, threshold="50"
    ),
    "KEY_ENERGY_USER": {"key": "KEY_ENERGY_USER", "args": {"toe": "not a number"}},  # as stored
    "OUTPUT_NO_ENERGY": message_params("OUTPUT_NO_ENERGY"),
    "APPLIES_NOT_AWARE": {},  # stored before the parameters were kept: the stored message
}
NAMES = [
    "Công ty Cổ phần Bia Hải Dương",
    '=HYPERLINK("http://evil")',  # a formula: kept as text (quote prefix)
    "-Cơ sở gạch ngói",
    "Công ty\x01 Dệt\x0bmay",  # characters a worksheet cannot hold
    "Công ty\u00a0Gốm\nsứ",  # not printable, yet kept as written
    "Ánh Dương",
]


def _rule(code):
    return QualityRule.objects.get(code=code)


@pytest.fixture
def findings(facility):
    """Findings of every message kind over facilities with and without a 2025 ward, named in
    every way the export treats differently, in each report state; one rule renamed by staff."""
    QualityRule.objects.filter(code="EMPLOYEES_JUMP").update(name="@Tên do cán bộ sửa")
    facilities = [facility] + [FacilityFactory() for _ in NAMES[1:]]
    ward = AdminUnit.objects.create(
        code="09169", name="Phường Kinh Bắc", level="commune", scheme=AdminUnit.Scheme.V2025
    )
    states = ["draft", "submitted", "returned", "approved"]
    made = []
    for n, (place, name) in enumerate(zip(facilities, NAMES, strict=True)):
        type(place).objects.filter(pk=place.pk).update(name=name, ward=ward if n % 2 else None)
        for year, state in zip((2018, 2019), states[n % 3 :], strict=False):
            report = AnnualReportFactory(facility=place, year=year, state=state)
            for code, params in list(PARAMS.items())[n % 2 :: 2]:
                rule = _rule(code)
                made.append(
                    QualityFinding.objects.create(
                        report=report,
                        rule=rule,
                        severity=rule.severity,
                        message="=1+1 lưu sẵn" if code == "APPLIES_NOT_AWARE" else f"{code} cũ",
                        params=params,
                    )
                )
    return made


def _expected_rows() -> list[list]:
    """Each open finding as the models show it, in the export's order."""
    findings = (
        QualityFinding.objects.open()
        .select_related("rule", "report__facility__ward", "report__facility__industry")
        .annotate(district_name=unit_label("report__facility__commune__parent"))
        .order_by("rule_id", vietnamese("report__facility__name"), "report__year", "pk")
    )
    rows = []
    for finding in findings:
        report, facility = finding.report, finding.report.facility
        row = [
            finding.rule.code,
            finding.rule.display_name,
            str(finding.severity_label),
            report.year,
            facility.name,
            facility.tax_code,
            finding.district_name or "",
            facility.ward.name if facility.ward_id else "",
            facility.industry.code if facility.industry_id else "",
            finding.display_message,
            str(report.get_state_display()),
            timezone.localtime(finding.created_at).strftime("%d/%m/%Y %H:%M"),
            "http://testserver" + report.get_absolute_url(),
        ]
        # openpyxl reads back an empty text cell as None.
        rows.append([None if value == "" else printable(value) for value in row])
    return rows


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def _assert_same_cells(sheet):
    header, *rows = sheet.iter_rows()
    assert len(header) == 13
    expected = _expected_rows()
    assert [[cell.value for cell in row] for row in rows] == expected
    for row in rows:
        for cell in row:
            # Text a spreadsheet would read as a formula is text with Excel's quote prefix.
            assert cell.quotePrefix == looks_like_formula(cell.value), cell.coordinate
            assert (cell.data_type == "n") == isinstance(cell.value, int), cell.coordinate


def test_every_cell_is_the_models_value(client, staff, findings):
    client.force_login(staff)
    sheet = _sheet(client.get(URL, {"format": "xlsx"}))
    assert [cell.value for cell in next(sheet.iter_rows())] == [
        "Mã quy tắc",
        "Quy tắc",
        "Mức độ",
        "Năm",
        "Cơ sở",
        "Mã số thuế",
        "Huyện (trước 2025)",
        "Xã/phường (từ 1/7/2025)",
        "Ngành (VSIC)",
        "Nội dung",
        "Trạng thái báo cáo",
        "Phát hiện lúc",
        "Đường dẫn",
    ]
    _assert_same_cells(sheet)
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert "@Tên do cán bộ sửa" in values  # the staff's wording
    assert "Công ty Dệt\nmay" in values  # the control character gone, the old line break kept
    assert "=1+1 lưu sẵn" in values  # the stored message of an old finding, as text
    assert "Số lao động thay đổi 150,0 % so với năm 2018 (10 → 25 người; ngưỡng 50 %)." in values


def test_every_cell_is_the_models_value_in_english(client, staff, findings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    _assert_same_cells(_sheet(client.get(URL, {"format": "xlsx"})))


def test_the_export_keeps_the_pages_filters(client, staff, findings):
    client.force_login(staff)
    rule = _rule("INTENSITY_JUMP")
    sheet = _sheet(client.get(URL, {"format": "xlsx", "rule": rule.pk, "year": 2019}))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = [f for f in findings if f.rule == rule and f.report.year == 2019]
    assert sorted(row[12] for row in rows) == sorted(
        "http://testserver" + f.report.get_absolute_url() for f in expected
    )
    assert rows and all(row[0] == "INTENSITY_JUMP" and row[3] == 2019 for row in rows)


def test_queries_do_not_grow_with_the_findings(client, staff, findings):
    client.force_login(staff)
    client.get(URL)  # the session and the user, read once
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"format": "xlsx", "year": 2018})
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"format": "xlsx"})
    assert len(many) == len(few)


def test_it_requires_staff(client, facility_user, official):
    for user in (facility_user, official):
        client.force_login(user)
        assert client.get(URL, {"format": "xlsx"}).status_code == 403
