"""Staff pages of the data-quality rules (issue 14): the rule table (edits recorded in history),
the open findings by rule, place and sector with their XLSX export, and the run over existing
data; others get 403 (anonymous users the login page)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import QualityFinding, QualityRule, QualityRun
from assessments.quality import refresh_report
from assessments.quality_jobs import quality_run_create, quality_run_execute
from core.models import AuditEvent
from facilities.models import Facility

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


def _rule(code="INTENSITY_JUMP"):
    return QualityRule.objects.get(code=code)


@pytest.fixture
def blank_report(facility):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="submitted", electricity_kwh=None, coal_t=None
    )
    refresh_report(report)
    return report


# --- rules ----------------------------------------------------------------------------------


def test_staff_see_the_rules(client, staff):
    client.force_login(staff)
    response = client.get(reverse("assessments:quality_rule_list"))
    assert response.status_code == 200
    for code in (
        "OUTPUT_NO_ENERGY",
        "UNIT_CHANGED",
        "INTENSITY_JUMP",
        "INTENSITY_OUT_OF_BAND",
        "KEY_ENERGY_USER",
        "EMPLOYEES_JUMP",
        "APPLIES_NOT_AWARE",
    ):
        assert f'id="rule-{code}"' in response.text
    assert "Suất tiêu hao năng lượng thay đổi đột biến" in response.text


def test_staff_edit_a_rule_and_the_change_is_recorded(client, staff):
    rule = _rule()
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="threshold"' in page.text and 'name="min_facilities"' not in page.text

    response = client.post(url, {"severity": "error", "enabled": "on", "threshold": "30"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.severity, rule.threshold) == ("error", 30)
    latest = rule.history.latest()
    assert latest.history_user == staff and latest.history_change_reason
    page = client.get(url)
    assert 'id="rule-history"' in page.text and staff.full_name in page.text
    assert "40 → 30" in page.text  # what the change changed


def test_a_rule_can_be_switched_off(client, staff):
    rule = _rule("APPLIES_NOT_AWARE")
    client.force_login(staff)
    client.post(
        reverse("assessments:quality_rule_edit", args=[rule.pk]), {"severity": "info"}
    )  # the checkbox left unticked
    rule.refresh_from_db()
    assert rule.enabled is False


def test_percentiles_must_be_in_order(client, staff):
    rule = _rule("INTENSITY_OUT_OF_BAND")
    client.force_login(staff)
    data = {
        "severity": "info",
        "enabled": "on",
        "low_percentile": "95",
        "high_percentile": "5",
        "min_facilities": "10",
    }
    response = client.post(reverse("assessments:quality_rule_edit", args=[rule.pk]), data)
    assert response.status_code == 200 and "phải lớn hơn" in response.text


@pytest.mark.parametrize(
    "name",
    [
        "quality_rule_list",
        "quality_rule_edit",
        "quality_findings",
        "quality_run_start",
        "quality_run_progress",
    ],
)
def test_only_staff(client, facility_user, official, name):
    args = [_rule().pk] if name == "quality_rule_edit" else []
    if name == "quality_run_progress":
        args = [QualityRun.objects.create().pk]
    url = reverse(f"assessments:{name}", args=args)
    method = client.post if name == "quality_run_start" else client.get
    assert method(url).status_code == 302  # anonymous: to the login page
    for user in (facility_user, official):
        client.force_login(user)
        assert method(url).status_code == 403
    assert not QualityRun.objects.exclude(pk__in=args).exists()


# --- findings -------------------------------------------------------------------------------


def test_open_findings_by_rule_place_and_sector(client, staff, blank_report):
    client.force_login(staff)
    response = client.get(reverse("assessments:quality_findings"))
    assert response.status_code == 200
    assert blank_report.get_absolute_url() in response.text
    assert "Sản lượng có nhưng không khai năng lượng tiêu thụ" in response.text
    facility = blank_report.facility
    assert facility.commune.parent.name in response.text  # by place (old district)
    assert f'href="?division={facility.industry.code[:2]}"' in response.text  # by sector

    rule = _rule("OUTPUT_NO_ENERGY")
    url = reverse("assessments:quality_findings")
    assert blank_report.get_absolute_url() in client.get(url, {"rule": rule.pk}).text
    other = _rule("UNIT_CHANGED")
    assert 'id="no-findings"' in client.get(url, {"rule": other.pk}).text
    district = facility.commune.parent_id
    assert blank_report.get_absolute_url() in client.get(url, {"district": district}).text


def test_the_xlsx_export_guards_formulas(client, staff, facility):
    facility.name = '=HYPERLINK("http://evil")'
    facility.save()
    report = AnnualReportFactory(
        facility=facility, year=2019, state="approved", electricity_kwh=None, coal_t=None
    )
    refresh_report(report)
    client.force_login(staff)
    response = client.get(reverse("assessments:quality_findings"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã quy tắc"
    (row,) = rows[1:]
    assert row[0] == "OUTPUT_NO_ENERGY" and row[3] == 2019
    # The value unchanged, kept as text by Excel's quote prefix (no visible "'").
    assert row[4] == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=5).data_type == "s"
    assert sheet.cell(row=2, column=5).quotePrefix
    assert AuditEvent.objects.filter(target="quality_findings").exists()


def test_the_xlsx_export_survives_a_control_character_in_a_name(client, staff, facility):
    # Stored before the forms refused them (or by the shell): the export must not fail.
    Facility.objects.filter(pk=facility.pk).update(name="Công ty\x01 Bia Đông Á")
    report = AnnualReportFactory(
        facility=facility, year=2019, state="approved", electricity_kwh=None, coal_t=None
    )
    refresh_report(report)
    client.force_login(staff)
    response = client.get(reverse("assessments:quality_findings"), {"format": "xlsx"})
    assert response.status_code == 200
    (row,) = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[
        1:
    ]
    assert row[4] == "Công ty Bia Đông Á"


# --- the run over existing data (in-process here; a real worker in test_quality_worker.py) ----


def test_the_run_refreshes_the_findings(
    client, staff, facility, django_capture_on_commit_callbacks
):
    stale = AnnualReportFactory(facility=facility, year=2018, state="approved")
    QualityFinding.objects.create(
        report=stale, rule=_rule("OUTPUT_NO_ENERGY"), severity="warning", message="cũ"
    )
    blank = AnnualReportFactory(
        facility=facility, year=2019, state="approved", electricity_kwh=None, coal_t=None
    )
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("assessments:quality_run_start"))
    run = QualityRun.objects.get()
    assert response.status_code == 302 and run.state == "queued" and len(callbacks) == 1
    assert quality_run_create(by=staff) == run  # one run at a time

    page = client.get(reverse("assessments:quality_findings"))
    assert 'id="import-job-progress"' in page.text
    progress = client.get(reverse("assessments:quality_run_progress", args=[run.pk])).json()
    assert progress["running"] and progress["progress"] == 0

    assert quality_run_execute(run.pk) == "done"
    assert quality_run_execute(run.pk) == "skipped"  # a duplicate delivery does nothing
    run.refresh_from_db()
    assert (run.state, run.progress, run.checked) == ("done", 100, 2)
    assert list(QualityFinding.objects.open().values_list("report", "rule__code")) == [
        (blank.pk, "OUTPUT_NO_ENERGY")
    ]
    assert QualityFinding.objects.get(report=stale).resolved_at is not None
    page = client.get(reverse("assessments:quality_findings"))
    assert 'id="run-result"' in page.text
