"""A changed data-quality rule re-checks the stored reports: the findings a reviewer reads follow
the rule's new severity, not the one in force when the report was last saved."""

import pytest
from django.urls import reverse

from assessments.models import QualityFinding, QualityRule, QualityRun
from assessments.quality import refresh_report
from assessments.quality_jobs import quality_run_execute

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blank_report(facility):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="submitted", electricity_kwh=None, coal_t=None
    )
    refresh_report(report)
    return report


def _edit(client, rule, severity):
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    return client.post(url, {"severity": severity, "enabled": "on"}, follow=True)


def test_a_changed_severity_reaches_the_stored_findings(client, staff, blank_report):
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    finding = QualityFinding.objects.get(report=blank_report, rule=rule)
    assert finding.severity == rule.severity == "warning"
    client.force_login(staff)

    response = _edit(client, rule, "error")
    run = QualityRun.objects.get()
    assert run.state == QualityRun.State.QUEUED
    assert "bắt đầu kiểm tra lại toàn bộ báo cáo năm" in response.text

    quality_run_execute(run.pk)  # the worker's task body
    assert QualityFinding.objects.get(report=blank_report, rule=rule).severity == "error"


def test_an_unchanged_rule_queues_nothing(client, staff, blank_report):
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    client.force_login(staff)
    response = _edit(client, rule, rule.severity)
    assert "không có thay đổi" in response.text
    assert not QualityRun.objects.exists()
    assert not rule.history.filter(history_type="~").exists()


def test_a_run_under_way_is_not_trusted_with_the_change(client, staff, blank_report):
    running = QualityRun.objects.create(state=QualityRun.State.RUNNING)
    rule = QualityRule.objects.get(code="OUTPUT_NO_ENERGY")
    client.force_login(staff)
    response = _edit(client, rule, "error")
    assert list(QualityRun.objects.all()) == [running]
    assert "đang chạy theo thiết lập cũ" in response.text
