"""The annual-report workflow in a real browser (Debian Chromium driven by Playwright): the
facility submits → staff return it with a comment → the facility sees the comment, fixes and
resubmits → staff approve → the report is locked."""

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
    ReportingDeadline,
)

from ..browser import ARTEFACTS, click_and_wait, signed_in_page
from ..factories import FacilityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trinh-duyet-2026!"
COMMENT = "Thiếu lượng nước tiêu thụ; đề nghị bổ sung."


@pytest.fixture
def queued(monkeypatch):
    """Notifications queued by the live server (same process), instead of reaching a broker."""
    calls = []
    for name in ("notify_report_submitted", "notify_report_reviewed"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda pk, *_, name=name, **__: calls.append(name))
    return calls


def _page(browser, live_server, username):
    return signed_in_page(browser, live_server, username, PASSWORD)


def _state(page):
    return page.locator("#report-state").inner_text().strip()


def test_submit_return_resubmit_approve_lock(browser, live_server, queued):
    # An earlier transactional test may have flushed the factors of the data migration.
    seed_factors(ConversionFactor, GridEmissionFactor)
    facility = FacilityFactory(name="Công ty TNHH Giấy Kinh Bắc")
    UserFactory(username="coso_quytrinh", role=Role.FACILITY, password=PASSWORD).facilities.add(
        facility
    )
    UserFactory(username="canbo_quytrinh", role=Role.STAFF, password=PASSWORD)
    ReportingDeadline.objects.create(year=2019, deadline=timezone.localdate() + timedelta(days=30))

    # The facility fills in its 2019 report and submits it.
    coso = _page(browser, live_server, "coso_quytrinh")
    click_and_wait(coso, "nav >> text=Báo cáo năm")
    click_and_wait(coso, "text=Lập báo cáo năm")
    coso.select_option("#id_year", "2019")
    coso.fill("#id_product", "Giấy bao bì")
    coso.fill("#id_product_unit", "tấn")
    coso.fill("#id_output", "1.250,5")
    coso.fill("#id_electricity_kwh", "600000")
    coso.fill("#id_coal_t", "120,5")
    click_and_wait(coso, "text=Lưu và gửi Sở duyệt")
    assert _state(coso) == "Đã gửi, chờ duyệt"
    report_url = coso.url

    # Staff find it in the queue and return it with a comment.
    canbo = _page(browser, live_server, "canbo_quytrinh")
    assert "1 báo cáo năm đang chờ duyệt" in canbo.locator("#reports-waiting").inner_text()
    click_and_wait(canbo, "text=Mở hàng đợi duyệt")
    click_and_wait(canbo, "#report-table >> text=Công ty TNHH Giấy Kinh Bắc")
    click_and_wait(canbo, "#report-actions >> text=Trả lại")
    canbo.fill("#id_text", COMMENT)
    click_and_wait(canbo, "text=Xác nhận")
    # It was the queue's last report: staff are back on the queue, told it was returned.
    assert canbo.url.startswith(live_server.url + "/assessments/reports/queue/")
    assert "Đã trả lại báo cáo cho cơ sở." in canbo.content()
    canbo.goto(report_url)
    assert _state(canbo) == "Trả lại để sửa"

    # The facility sees the comment, fixes the report and resubmits it.
    coso.goto(report_url)
    assert COMMENT in coso.locator("#review-comment").inner_text()
    click_and_wait(coso, "text=Sửa báo cáo")
    assert COMMENT in coso.locator("#review-comment").inner_text()
    coso.fill("#id_water_m3", "42000")
    click_and_wait(coso, "text=Lưu và gửi Sở duyệt")
    assert _state(coso) == "Đã gửi, chờ duyệt"

    # Staff approve it.
    canbo.goto(report_url)
    click_and_wait(canbo, "#report-actions >> text=Duyệt")
    click_and_wait(canbo, "text=Xác nhận")
    assert _state(canbo) == "Đã duyệt"

    # The report is locked: no edit button, and the edit page sends the facility back.
    coso.goto(report_url)
    assert _state(coso) == "Đã duyệt"
    assert coso.locator("#report-locked").is_visible()
    assert coso.locator("#report-actions >> text=Sửa báo cáo").count() == 0
    events = coso.locator("#workflow-events").inner_text()
    assert events.count("Gửi duyệt") == 2 and COMMENT in events and "Duyệt" in events
    ARTEFACTS.mkdir(exist_ok=True)
    coso.screenshot(path=str(ARTEFACTS / "report-workflow.png"), full_page=True)
    coso.goto(report_url + "edit/")
    assert coso.url == report_url
    assert "không sửa hoặc gửi được" in coso.locator("main").inner_text()

    report = AnnualReport.objects.get()
    assert (report.state, report.water_m3, report.output) == ("approved", 42000, 1250.5)
    assert queued == [
        "notify_report_submitted",
        "notify_report_reviewed",
        "notify_report_submitted",
        "notify_report_reviewed",
    ]
