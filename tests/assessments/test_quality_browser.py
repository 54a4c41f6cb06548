"""Issue 14 acceptance in a real browser (Debian Chromium driven by Playwright): a facility that
submits a report with output but no energy sees the finding in Vietnamese and must justify it;
the reviewer sees the finding and the justification in the queue and on the report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments import tasks
from assessments.factors import seed_factors
from assessments.models import (
    AnnualReport,
    ConversionFactor,
    GridEmissionFactor,
    QualityRule,
    ReportingDeadline,
)
from assessments.quality_rules import seed_quality_rules

from ..browser import click_and_wait, signed_in_page
from ..factories import FacilityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"
MESSAGE = "Sản lượng có nhưng không khai năng lượng tiêu thụ"
JUSTIFICATION = "Nhà máy dùng điện của công ty mẹ, chưa tách được hoá đơn năm 2019."


def test_a_warning_needs_a_justification_that_the_reviewer_sees(browser, live_server, monkeypatch):
    # An earlier transactional test may have flushed what the data migrations load.
    seed_factors(ConversionFactor, GridEmissionFactor)
    seed_quality_rules(QualityRule, QualityRule.history.model)
    monkeypatch.setattr(tasks.notify_report_submitted, "delay", lambda pk: None)
    facility = FacilityFactory(name="Công ty TNHH Giấy Kinh Bắc")
    UserFactory(username="coso_sl", role=Role.FACILITY, password=PASSWORD).facilities.add(facility)
    UserFactory(username="canbo_sl", role=Role.STAFF, password=PASSWORD)
    ReportingDeadline.objects.create(year=2019, deadline=timezone.localdate() + timedelta(days=30))

    coso = signed_in_page(browser, live_server, "coso_sl", PASSWORD)
    click_and_wait(coso, "nav >> text=Báo cáo năm")
    click_and_wait(coso, "text=Lập báo cáo năm")
    coso.select_option("#id_year", "2019")
    coso.fill("#id_product", "Giấy bao bì")
    coso.fill("#id_product_unit", "tấn")
    coso.fill("#id_output", "1.250,5")
    click_and_wait(coso, "text=Lưu và gửi Sở duyệt")

    # Not sent: the finding in Vietnamese, and the justification asked for.
    assert MESSAGE in coso.locator("#quality-check").inner_text()
    assert "cần ghi giải trình" in coso.locator("#quality-check").inner_text()
    assert not AnnualReport.objects.exists()
    coso.fill("#id_quality_justification", JUSTIFICATION)
    click_and_wait(coso, "text=Lưu và gửi Sở duyệt")
    assert coso.locator("#report-state").inner_text().strip() == "Đã gửi, chờ duyệt"
    report_url = coso.url

    canbo = signed_in_page(browser, live_server, "canbo_sl", PASSWORD)
    canbo.goto(live_server.url + "/assessments/reports/queue/")
    assert "1 cảnh báo" in canbo.locator("#report-table").inner_text()
    click_and_wait(canbo, "#report-table >> text=Công ty TNHH Giấy Kinh Bắc")
    # The report's page, opened from the queue (which it links back to: `next`).
    assert canbo.url == report_url + "?next=%2Fassessments%2Freports%2Fqueue%2F"
    box = canbo.locator("#report-findings").inner_text()
    assert MESSAGE in box and JUSTIFICATION in box
