"""DESIGN §4: a data-quality finding at severity `info` is for the reviewer only. The facility
user never sees one — not on the report page, the report form or the home page — but sees its
errors and warnings; staff and officials see every finding."""

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from assessments import quality
from assessments.models import AnnualReport, PlanPeriod, QualityFinding, QualityRule

from ..factories import AnnualReportFactory
from .report_helpers import report_data

NO_ENERGY = {"electricity_kwh": "", "coal_t": ""}
NO_ENERGY_MESSAGE = "Sản lượng có nhưng không khai năng lượng tiêu thụ"
NOT_AWARE_MESSAGE = "Khai “Đang áp dụng SXSH” nhưng không khai “Nhận thức được lợi ích SXSH”"
YEAR = timezone.localdate().year - 1  # the home page's reporting year


def _severity(code: str, severity: str) -> None:
    QualityRule.objects.filter(code=code).update(severity=severity)


def _report(facility, year=2019, **fields) -> AnnualReport:
    """A draft of `facility` with no energy and "applies" without "aware", its findings stored
    (OUTPUT_NO_ENERGY and APPLIES_NOT_AWARE at their rules' severities)."""
    report = AnnualReportFactory(
        facility=facility,
        year=year,
        state="draft",
        electricity_kwh=None,
        coal_t=None,
        applies_cp=True,
        aware=False,
        **fields,
    )
    quality.refresh_report(report)
    return report


def _open_severities(report) -> dict:
    return dict(
        QualityFinding.objects.open().filter(report=report).values_list("rule__code", "severity")
    )


def test_the_repro_an_info_finding_is_hidden_from_the_facility_everywhere(
    client, facility_user, facility, open_deadline
):
    """The reported steps: OUTPUT_NO_ENERGY set to info, the facility saves a draft with output
    and no energy, then opens the report, the form and the home page."""
    _severity("OUTPUT_NO_ENERGY", "info")
    client.force_login(facility_user)
    create = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(create, report_data(**NO_ENERGY))
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and report.state == "draft"
    assert _open_severities(report) == {"OUTPUT_NO_ENERGY": "info"}  # stored for the reviewer

    detail = client.get(report.get_absolute_url())
    assert detail.status_code == 200
    assert NO_ENERGY_MESSAGE not in detail.text
    assert 'id="report-findings"' not in detail.text  # no "Kiểm tra số liệu" card at all

    edit = client.get(reverse("assessments:report_edit", args=[report.pk]))
    assert edit.status_code == 200
    assert NO_ENERGY_MESSAGE not in edit.text
    assert 'id="no-findings"' in edit.text


@pytest.mark.parametrize("severity", ["warning", "error"])
def test_the_facility_sees_its_warnings_and_errors_but_not_info_on_the_report(
    client, facility_user, facility, severity
):
    _severity("OUTPUT_NO_ENERGY", severity)  # APPLIES_NOT_AWARE ships at info
    report = _report(facility)
    assert _open_severities(report) == {"OUTPUT_NO_ENERGY": severity, "APPLIES_NOT_AWARE": "info"}
    client.force_login(facility_user)

    detail = html.fromstring(client.get(report.get_absolute_url()).content)
    shown = detail.xpath('//*[@id="report-findings"]//li[contains(@class, "quality-finding")]')
    assert [li.get("data-severity") for li in shown] == [severity]
    assert NO_ENERGY_MESSAGE in shown[0].text_content()

    edit = client.get(reverse("assessments:report_edit", args=[report.pk]))
    page = html.fromstring(edit.content)
    shown = page.xpath('//*[@id="quality-check"]//li[contains(@class, "quality-finding")]')
    assert [li.get("data-severity") for li in shown] == [severity]
    assert NOT_AWARE_MESSAGE not in edit.text


def test_the_form_posted_back_lists_the_warning_but_not_the_info(
    client, facility_user, facility, open_deadline
):
    """A submission stopped for want of a justification lists the findings of the data just
    posted: the warning, not the info finding."""
    client.force_login(facility_user)
    create = reverse("assessments:report_create", args=[facility.pk])
    data = report_data(**NO_ENERGY, applies_cp="on", aware=None, submit="1")
    response = client.post(create, data)
    assert response.status_code == 200
    assert not AnnualReport.objects.exists()
    page = html.fromstring(response.content)
    shown = page.xpath('//*[@id="quality-check"]//li[contains(@class, "quality-finding")]')
    assert [li.get("data-rule") for li in shown] == ["OUTPUT_NO_ENERGY"]
    assert NOT_AWARE_MESSAGE not in response.text


@pytest.mark.parametrize("reader", ["staff", "official"])
def test_staff_and_officials_see_the_info_findings(request, client, facility, reader):
    report = _report(facility)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    page = html.fromstring(response.content)
    shown = page.xpath('//*[@id="report-findings"]//li[contains(@class, "quality-finding")]')
    assert [li.get("data-severity") for li in shown] == ["warning", "info"]
    assert NOT_AWARE_MESSAGE in response.text


def test_staff_editing_a_report_see_its_info_findings(client, staff, facility):
    report = _report(facility)
    client.force_login(staff)
    response = client.get(reverse("assessments:report_edit", args=[report.pk]))
    assert response.status_code == 200
    assert NOT_AWARE_MESSAGE in response.text and NO_ENERGY_MESSAGE in response.text


@pytest.fixture
def reporting_period(db):
    """A plan period covering the reporting year (the seeded one ends in 2020)."""
    if not PlanPeriod.objects.covering(YEAR).exists():
        PlanPeriod.objects.create(
            code="info-test", name="Kỳ kế hoạch thử", start_year=YEAR - 4, end_year=YEAR + 5
        )


def _home_findings(client, facility) -> list:
    page = html.fromstring(client.get("/").content)
    (card,) = page.xpath(f'//section[@id="facility-{facility.pk}"]')
    return card.xpath('.//li[contains(@class, "quality-finding")]')


def test_the_home_page_lists_the_facilitys_warnings_but_not_info(
    client, facility_user, facility, reporting_period
):
    report = _report(facility, year=YEAR)
    assert _open_severities(report) == {"OUTPUT_NO_ENERGY": "warning", "APPLIES_NOT_AWARE": "info"}
    client.force_login(facility_user)
    shown = _home_findings(client, facility)
    assert [li.get("data-rule") for li in shown] == ["OUTPUT_NO_ENERGY"]


def test_the_home_page_has_no_findings_block_for_info_only(
    client, facility_user, facility, reporting_period
):
    _severity("OUTPUT_NO_ENERGY", "info")
    report = _report(facility, year=YEAR)
    assert set(_open_severities(report).values()) == {"info"}
    client.force_login(facility_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "vấn đề về số liệu cần xem lại" not in response.text
    assert _home_findings(client, facility) == []
