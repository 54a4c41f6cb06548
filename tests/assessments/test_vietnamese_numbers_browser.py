"""Numbers typed the Vietnamese way in a real browser (Debian Chromium through Playwright): in
the annual-report form "58.300" m³ and "850.000" kWh are stored as 58300 and 850000, in the
facility form "25,5" billion VND as 25.5, and "58.3" is refused with the value shown back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments.factors import seed_factors
from assessments.models import AnnualReport, ConversionFactor, GridEmissionFactor, ReportingDeadline

from ..browser import click_and_wait, signed_in_page
from ..factories import FacilityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "So-kieu-Viet-2026!"
AMBIGUOUS = "Bạn nhập 58.3 — ý là 58,3 hay 58.300? Dùng dấu phẩy cho phần thập phân."


def _page(browser, live_server, username):
    return signed_in_page(browser, live_server, username, PASSWORD, width=1366, height=768)


def _fill_report(page, water):
    page.select_option("#id_year", "2019")
    page.fill("#id_product", "Giấy bao bì")
    page.fill("#id_product_unit", "tấn")
    page.fill("#id_output", "1.200")
    page.fill("#id_electricity_kwh", "850.000")
    page.fill("#id_water_m3", water)
    click_and_wait(page, "text=Lưu nháp")


def test_vietnamese_numbers_are_read_as_a_vietnamese_reader_means_them(browser, live_server):
    seed_factors(ConversionFactor, GridEmissionFactor)
    facility = FacilityFactory(name="Công ty TNHH Giấy Số Liệu", revenue_bn_vnd=Decimal("3"))
    UserFactory(username="coso_so", role=Role.FACILITY, password=PASSWORD).facilities.add(facility)
    UserFactory(username="canbo_so", role=Role.STAFF, password=PASSWORD)
    ReportingDeadline.objects.create(year=2019, deadline=timezone.localdate() + timedelta(days=30))

    coso = _page(browser, live_server, "coso_so")
    coso.goto(f"{live_server.url}/assessments/reports/facility/{facility.pk}/new/")
    assert coso.locator("#id_water_m3").get_attribute("type") == "text"

    # An ambiguous number is refused, shown back, and nothing is saved.
    _fill_report(coso, "58.3")
    assert AMBIGUOUS in coso.locator("main").inner_text()
    assert coso.locator("#id_water_m3").input_value() == "58.3"
    assert not AnnualReport.objects.exists()

    _fill_report(coso, "58.300")
    report = AnnualReport.objects.get()
    assert (report.water_m3, report.electricity_kwh, report.output) == (58300, 850000, 1200)
    coso.goto(f"{live_server.url}/assessments/reports/{report.pk}/edit/")
    assert coso.locator("#id_water_m3").input_value() == "58.300"  # reads back unchanged

    canbo = _page(browser, live_server, "canbo_so")
    canbo.goto(f"{live_server.url}/facilities/{facility.pk}/edit/")
    canbo.fill("#id_revenue_bn_vnd", "25,5")
    click_and_wait(canbo, "main form button[type=submit]")
    facility.refresh_from_db()
    assert facility.revenue_bn_vnd == Decimal("25.5")
    canbo.goto(f"{live_server.url}/facilities/{facility.pk}/edit/")
    assert canbo.locator("#id_revenue_bn_vnd").input_value() == "25,5"
