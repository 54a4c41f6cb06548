"""Issue 17, acceptance: in a real browser (Debian Chromium via Playwright) a facility user sees
its benchmark score, its progress chart and the option library's examples for its sector, and no
other facility's name on any of those pages; the PDF summary is offered."""

from decimal import Decimal

import pytest
from django.apps import apps

from accounts.models import Role
from assessments.factors import seed_factors

from ..browser import ARTEFACTS, signed_in_page, wait_for_request_threads
from ..factories import (
    AssessmentFactory,
    FacilityFactory,
    IndustryCodeFactory,
    OptionFactory,
    UserFactory,
)
from ..reports.indicator_helpers import report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Tien-do-2026!"
PEER = "Công ty Gạch Đối Thủ"
OWN = "Công ty Gạch Tuynel Quế Võ"


@pytest.fixture
def data():
    # A transactional test may follow one that flushed the seeded factors.
    seed_factors(
        apps.get_model("assessments", "ConversionFactor"),
        apps.get_model("assessments", "GridEmissionFactor"),
    )
    bricks = IndustryCodeFactory(code="23", name="Sản xuất sản phẩm từ khoáng phi kim loại khác")
    own = FacilityFactory(name=OWN, industry=bricks)
    report(own, 2017, coal_t=Decimal(100))
    report(
        own, 2018, coal_t=Decimal(88)
    )  # 12,0 % below 2017; 5 of its 9 peers are higher: score 56
    for n, coal in enumerate((50, 60, 70, 80, 90, 100, 110, 120, 130)):
        peer = FacilityFactory(name=f"{PEER} {n}", industry=bricks)
        report(peer, 2018, coal_t=Decimal(coal))
        if n == 0:
            OptionFactory(
                assessment=AssessmentFactory(facility=peer, state="approved"),
                description="Thay lò gạch thủ công bằng lò tuynel",
                status="done",
                electricity_saving_kwh=Decimal(50_000),
            )
    OptionFactory(
        assessment=AssessmentFactory(facility=own, state="approved"),
        description="Bảo ôn đường ống hơi",
        status="done",
    )
    user = UserFactory(username="coso_tiendo", role=Role.FACILITY, password=PASSWORD)
    user.facilities.add(own)
    return own


def _no_other_facility(page):
    html = page.content()
    assert PEER not in html, page.url


def test_a_facility_sees_its_score_chart_and_sector_examples(browser, live_server, data):
    page = signed_in_page(browser, live_server, "coso_tiendo", PASSWORD)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/facilities/{data.pk}/")
        assert page.locator("#benchmark-score").inner_text() == "56"
        _no_other_facility(page)

        with page.expect_navigation():
            page.click("#facility-progress-link")

        assert page.locator("h1").inner_text() == f"Kết quả thực hiện SXSH: {OWN}"
        assert page.locator("#progress-score").inner_text() == "56"
        assert page.locator("#progress-fall").inner_text() == "12,0 %"
        # Chart.js drew both charts, from the vendored copy.
        drawn = page.evaluate(
            "['progress-chart', 'score-chart']"
            ".filter(id => Chart.getChart(document.getElementById(id))).length"
        )
        assert drawn == 2
        rows = page.locator("#progress-table tbody tr")
        assert rows.count() == 2
        assert rows.nth(1).locator(".progress-score").inner_text() == "56"
        examples = page.locator("#sector-example-table").inner_text()
        assert "Thay lò gạch thủ công bằng lò tuynel" in examples
        assert page.locator("#progress-pdf").is_visible()
        _no_other_facility(page)
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "progress-facility.png"), full_page=True)

        with page.expect_navigation():
            page.click("#sector-library-link")
        assert "Thay lò gạch thủ công bằng lò tuynel" in page.content()
        _no_other_facility(page)
        assert errors == []
    finally:
        page.context.close()
        wait_for_request_threads()
