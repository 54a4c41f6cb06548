"""Each role's home page in a real browser (Debian Chromium via Playwright): the work waiting is
visible on a laptop screen (1366×768) and, for a facility, on a phone (390×844), the page never
scrolls sideways, and a screenshot of each is kept in test-artefacts/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments.models import PlanPeriod, ReportingDeadline
from reports.models import Report

from ..browser import ARTEFACTS, signed_in_page
from ..factories import AnnualReportFactory, FacilityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Trang-chu-2026!"
COMMENT = "Đề nghị bổ sung lượng nước tiêu thụ năm báo cáo."
YEAR = timezone.localdate().year - 1  # the reporting year
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def data():
    # The seeded plan and factors are there: conftest restores them after a flushing test.
    if not PlanPeriod.objects.covering(YEAR).exists():
        PlanPeriod.objects.create(
            code="home-browser", name="Kỳ kế hoạch thử", start_year=YEAR - 4, end_year=YEAR + 5
        )
    ReportingDeadline.objects.create(year=YEAR, deadline=timezone.localdate() - timedelta(days=2))
    # The facility user's report of the reporting year came back with a comment.
    own = FacilityFactory(
        name="Công ty Cổ phần Gạch Ngói Kinh Bắc Với Một Cái Tên Rất Dài", established_year=2010
    )
    AnnualReportFactory(facility=own, year=2018, aware=True)
    AnnualReportFactory(facility=own, year=YEAR, state="returned", review_comment=COMMENT)
    UserFactory(username="coso_trangchu", role=Role.FACILITY, password=PASSWORD).facilities.add(own)
    # Staff: one report waiting, one facility that has not reported.
    waiting = FacilityFactory(name="Công ty TNHH Bia Đông Ngàn", established_year=2010)
    AnnualReportFactory(facility=waiting, year=2018)
    AnnualReportFactory(facility=waiting, year=YEAR, state="submitted", submitted_at=timezone.now())
    FacilityFactory(name="Công ty TNHH Giấy Phong Khê", established_year=2010)
    UserFactory(username="canbo_trangchu", role=Role.STAFF, password=PASSWORD)
    # Officials: the 2018 figures and one issued document.
    Report.objects.create(
        year=2018,
        format="pdf",
        state="succeeded",
        doc_type="BC",
        register_year=2019,
        number=3,
        issue_date=date(2019, 2, 20),
    )
    UserFactory(username="lanhdao_trangchu", role=Role.OFFICIAL, password=PASSWORD)


def _open(browser, live_server, username, viewport):
    page = signed_in_page(browser, live_server, username, PASSWORD, **viewport)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.goto(live_server.url + "/")
    page.wait_for_load_state("load")
    return page


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _save(page, name):
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / name), full_page=True)


def test_staff_home_shows_the_queues(browser, live_server, data):
    page = _open(browser, live_server, "canbo_trangchu", LAPTOP)
    for box in ("#review-queue", "#overdue-facilities", "#quality-summary", "#import-jobs"):
        assert page.locator(box).is_visible(), box
    queue = page.locator("#review-queue")
    assert "Công ty TNHH Bia Đông Ngàn" in queue.locator(".queue-item").first.inner_text()
    assert queue.locator("#review-count").inner_text() == "1"
    overdue = page.locator("#overdue-facilities")
    assert f"Cơ sở quá hạn báo cáo năm {YEAR}" in overdue.inner_text()
    missing = overdue.locator(".missing-facility").all_inner_texts()
    assert any("Công ty TNHH Giấy Phong Khê" in row for row in missing)
    assert any("bị trả lại" in row for row in missing)
    assert _no_sideways_scroll(page)
    assert page.js_errors == []
    _save(page, "home-staff.png")
    page.context.close()


def test_official_home_shows_the_figures_chart_and_documents(browser, live_server, data):
    page = _open(browser, live_server, "lanhdao_trangchu", LAPTOP)
    assert "Chỉ tiêu Kế hoạch SXSH năm 2018" in page.locator("#key-figures").inner_text()
    aware = page.locator('tr[data-code="AWARE_PCT"] .figure-actual')
    assert aware.is_visible()
    assert aware.inner_text() == "33,3"  # 1 of the 3 facilities operating in 2018 is aware
    assert page.locator("#reporting-rate").inner_text() == "66,7 %"
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas.trend-chart'))"
        ".filter(c => Chart.getChart(c)).length"
    )
    assert drawn == 2
    document = page.locator(".issued-document")
    assert document.is_visible() and "Số 03/BC-SCT" in document.inner_text()
    assert _no_sideways_scroll(page)
    assert page.js_errors == []
    _save(page, "home-official.png")
    page.context.close()


@pytest.mark.parametrize(
    ("viewport", "artefact"),
    [(LAPTOP, "home-facility.png"), (PHONE, "home-facility-phone.png")],
    ids=["laptop", "phone"],
)
def test_facility_home_shows_the_returned_report(browser, live_server, data, viewport, artefact):
    page = _open(browser, live_server, "coso_trangchu", viewport)
    card = page.locator(".facility-work")
    assert card.count() == 1
    assert f"Báo cáo năm {YEAR}" in card.inner_text()
    assert "Trả lại để sửa" in card.inner_text()
    comment = card.locator(".review-comment")
    assert comment.is_visible() and COMMENT in comment.inner_text()
    assert "quá hạn" in card.locator(".report-deadline").inner_text()
    button = card.locator(".primary-action")
    assert button.count() == 1
    assert button.is_visible() and button.inner_text() == "Sửa báo cáo"
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert _no_sideways_scroll(page)
    assert page.js_errors == []
    _save(page, artefact)
    with page.expect_navigation():
        button.click()
    assert page.url.endswith("/edit/")
    page.context.close()
