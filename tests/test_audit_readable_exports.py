"""The staff's audit log (accounts:audit_log) tells an export's filters and a target's name in
words, as the actor saw them: the filter's label and its value (a ward's and a VSIC division's
name, a choice's label, Có/Không), the file format's name, never URL parameters or database ids;
written in the portal's language (Vietnamese) whatever language the actor used, so the log reads
alike for everyone. Everything goes through the real views, as a user would do it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import QualityFinding, QualityRule
from core.models import AuditEvent
from facilities.models import AdminUnit

from .factories import AnnualReportFactory, IndustryCodeFactory
from .reports.report_view_helpers import make_report

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
LOG = reverse("accounts:audit_log")


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code


def log_row(client, action) -> str:
    """The log's row of the one entry of `action`, as plain text, read in Vietnamese."""
    in_language(client, "vi")
    response = client.get(LOG, {"action": action})
    assert response.status_code == 200
    body = response.text.split('id="audit-table"', 1)[1].split("</tbody>", 1)[0]
    [row] = body.split("<tr>")[2:]
    return " ".join(re.sub(r"<[^>]+>", " ", row.split("</tr>", 1)[0]).split())


@pytest.fixture
def kinh_bac(db):
    """A 2025 ward of the portal's province (Bắc Ninh, 24)."""
    bac_ninh = AdminUnit.objects.create(
        code="24", name="Tỉnh Bắc Ninh", level="province", scheme=AdminUnit.Scheme.V2025
    )
    return AdminUnit.objects.create(
        code="09169",
        name="Phường Kinh Bắc",
        level="commune",
        scheme=AdminUnit.Scheme.V2025,
        parent=bac_ninh,
    )


REGISTRY_FILTERS = (
    "Bộ lọc Tìm kiếm: Công ty; Xã/phường mới (từ 1/7/2025): Phường Kinh Bắc; "
    "Ngành (VSIC cấp 2): 10 – Sản xuất, chế biến thực phẩm; Quy mô: Nhỏ; "
    "Tình trạng: Đang hoạt động; Nguy cơ ô nhiễm cao: Có"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_registry_exports_filters_read_in_words(client, staff, facility, kinh_bac, language):
    IndustryCodeFactory()  # 10, a VSIC division
    client.force_login(staff)
    in_language(client, language)
    params = {
        "format": "xlsx",
        "division": "10",
        "ward": kinh_bac.pk,
        "status": "active",
        "q": "Công ty",
        "high_pollution_risk": "1",
        "size": "small",
        "sort": "-name",
        "key_energy_user": "",  # not set: not a filter
    }
    assert client.get(reverse("facilities:export"), params).status_code == 200

    row = log_row(client, Action.REGISTRY_EXPORT)

    assert "Định dạng Excel (XLSX)" in row
    assert REGISTRY_FILTERS in row
    for raw in ("division:", "ward:", "active", "small", "xlsx", "Sắp xếp"):
        assert raw not in row


def test_an_unfiltered_csv_export_says_so(client, staff, facility):
    client.force_login(staff)
    assert client.get(reverse("facilities:export"), {"format": "csv"}).status_code == 200

    row = log_row(client, Action.REGISTRY_EXPORT)

    assert "Định dạng CSV" in row
    assert row.endswith("Bộ lọc —")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_findings_exports_filters_read_in_words(client, staff, facility, language):
    rule = QualityRule.objects.get(code="INTENSITY_JUMP")
    report = AnnualReportFactory(facility=facility)
    QualityFinding.objects.create(report=report, rule=rule, severity="error", message="x")
    client.force_login(staff)
    in_language(client, language)
    params = {"format": "xlsx", "severity": "error", "year": 2018}
    assert client.get(reverse("assessments:quality_findings"), params).status_code == 200

    row = log_row(client, Action.FINDINGS_EXPORT)

    assert "Định dạng Excel (XLSX)" in row
    assert "Bộ lọc Mức độ: Lỗi (chặn gửi, duyệt và nhập); Năm: 2018" in row
    assert "severity" not in row and "error;" not in row


def test_older_entries_keep_their_filters_and_name_their_format(client, staff):
    AuditEvent.objects.create(
        actor=staff,
        actor_username=staff.username,
        action=Action.REGISTRY_EXPORT,
        target="facilities",
        detail={"format": "csv", "filters": {"q": ["bia"]}},
    )
    client.force_login(staff)

    row = log_row(client, Action.REGISTRY_EXPORT)

    assert "Định dạng CSV" in row
    assert "Bộ lọc q: bia" in row


def test_a_downloaded_reports_name_is_in_the_logs_language(client, official, staff):
    report = make_report(by=official)
    client.force_login(official)
    in_language(client, "en")
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    client.force_login(staff)

    row = log_row(client, Action.REPORT_DOWNLOAD)

    assert "Tệp báo cáo Báo cáo kết quả thực hiện kế hoạch SXSH năm 2018 (PDF)" in row
    assert "Annual report" not in row
