"""A CP assessment from start to finish in a real browser (Debian Chromium driven by Playwright):
the facility types it in the Vietnamese way, goes back and saves the same form again without
making a duplicate, adds an option (payback computed), submits; staff return it with a comment;
the facility sees it, is told in Vietnamese which field breaks the 50 % support rule, corrects and
resubmits; staff approve it and it is locked. Another facility's user gets 404 on its URLs."""

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.factors import seed_factors
from assessments.models import Assessment, ConversionFactor, GridEmissionFactor

from ..browser import click_and_wait, signed_in_page
from ..factories import AnnualReportFactory, FacilityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "Danh-gia-SXSH-2026!"
COMMENT = "Bổ sung lượng điện tiết kiệm đo được sau khi lắp biến tần."
OVER_HALF = "Kinh phí hỗ trợ không được vượt quá 50% tổng chi phí tư vấn (tối đa 40.000.000 đồng)"


def _type(page, selector, text):
    """Click into the field and type, as a user does (no programmatic fill)."""
    page.click(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _state(page):
    return page.locator("main .badge").first.inner_text().strip()


def test_an_assessment_from_draft_to_approval(browser, live_server):
    seed_factors(ConversionFactor, GridEmissionFactor)
    facility = FacilityFactory(name="Công ty TNHH Cơ khí Việt Yên")
    # The approved report of the baseline year the facility types in: what the options' savings
    # are held to (an assessment saving energy without one cannot be approved).
    AnnualReportFactory(facility=facility, year=2025)
    UserFactory(username="coso_dg", role=Role.FACILITY, password=PASSWORD).facilities.add(facility)
    UserFactory(username="canbo_dg", role=Role.STAFF, password=PASSWORD)
    outsider_facility = FacilityFactory(name="Công ty TNHH Giấy Phong Khê")
    UserFactory(username="coso_khac_dg", role=Role.FACILITY, password=PASSWORD).facilities.add(
        outsider_facility
    )

    coso = signed_in_page(browser, live_server, "coso_dg", PASSWORD)
    coso.goto(live_server.url + reverse("assessments:assessment_create"))
    coso.select_option("#id_kind", "quick")
    _type(coso, "#id_start_date", "02/03/2026")
    coso.keyboard.press("Tab")
    _type(coso, "#id_consultant", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp")
    coso.keyboard.press("Tab")
    coso.keyboard.type("2025")  # baseline year, reached with the keyboard
    _type(coso, "#id_total_cost_vnd", "80.000.000")
    coso.keyboard.press("Tab")
    coso.keyboard.type("40.000.000")  # exactly half of the cost: allowed
    click_and_wait(coso, "main form button:has-text('Lưu')")
    assessment = Assessment.objects.get()
    detail_url = live_server.url + assessment.get_absolute_url()
    assert coso.url == detail_url
    assert (assessment.total_cost_vnd, assessment.supported_amount_vnd) == (80_000_000, 40_000_000)

    # The back button shows the filled-in form again; saving it again makes no duplicate.
    coso.go_back()
    assert coso.locator("#id_consultant").input_value().startswith("Trung tâm Khuyến công")
    click_and_wait(coso, "main form button:has-text('Lưu')")
    assert coso.url == detail_url
    assert "không tạo thêm đánh giá trùng" in coso.locator("main").inner_text()
    assert Assessment.objects.count() == 1

    # An option, typed the Vietnamese way; payback = 120 ÷ 48 = 2,5 years.
    coso.select_option("#new_option_category", "4")
    _type(coso, "#new_option_description", "Lắp biến tần cho máy nén khí")
    coso.select_option("#new_option_status", "done")
    _type(coso, "#new_option_implementation_year", "2026")
    _type(coso, "#new_option_investment_vnd", "120.000.000")
    coso.keyboard.press("Tab")
    coso.keyboard.type("48.000.000")
    _type(coso, "#new_option_electricity_saving_kwh", "150.000")
    click_and_wait(coso, "#add-option button[type=submit]")
    row = coso.locator("#option-table tbody tr").first.inner_text()
    assert "Lắp biến tần cho máy nén khí" in row and "2,5" in row
    option = assessment.options.get()
    assert (option.investment_vnd, option.annual_saving_vnd) == (120_000_000, 48_000_000)
    assert option.electricity_saving_kwh == 150_000

    # Another facility's user: 404 on the assessment and on its option.
    other = signed_in_page(browser, live_server, "coso_khac_dg", PASSWORD)
    assert other.goto(detail_url).status == 404
    option_url = reverse("assessments:option_edit", args=[option.pk])
    assert other.goto(live_server.url + option_url).status == 404

    click_and_wait(coso, "#assessment-actions >> text=Gửi Sở duyệt")
    assert _state(coso) == "Đã gửi, chờ duyệt"

    canbo = signed_in_page(browser, live_server, "canbo_dg", PASSWORD)
    canbo.goto(detail_url)
    click_and_wait(canbo, "#assessment-actions >> text=Trả lại")
    _type(canbo, "#id_text", COMMENT)
    click_and_wait(canbo, "text=Xác nhận")
    assert _state(canbo) == "Trả lại để sửa"

    coso.goto(detail_url)
    assert COMMENT in coso.locator("#review-comment").inner_text()
    click_and_wait(coso, "#assessment-actions >> text=Sửa thông tin")
    _type(coso, "#id_funding_source", "Khuyến công tỉnh")
    _type(coso, "#id_supported_amount_vnd", "45.000.000")  # more than half of the cost
    click_and_wait(coso, "main form button:has-text('Lưu')")
    # Refused, the message under the support field, what was typed kept, nothing saved.
    assert OVER_HALF in coso.locator("#id_supported_amount_vnd ~ .invalid-feedback").inner_text()
    assert coso.locator("#id_funding_source").input_value() == "Khuyến công tỉnh"
    assessment.refresh_from_db()
    assert (assessment.funding_source, assessment.supported_amount_vnd) == ("", 40_000_000)
    _type(coso, "#id_supported_amount_vnd", "40.000.000")
    click_and_wait(coso, "main form button:has-text('Lưu')")
    click_and_wait(coso, "#assessment-actions >> text=Gửi Sở duyệt")
    assert _state(coso) == "Đã gửi, chờ duyệt"

    canbo.goto(detail_url)
    click_and_wait(canbo, "#assessment-actions >> text=Duyệt")
    click_and_wait(canbo, "text=Xác nhận")
    assert _state(canbo) == "Đã duyệt"

    coso.goto(detail_url)
    assert coso.locator("#assessment-actions >> text=Sửa thông tin").count() == 0
    events = list(assessment.events.values_list("action", flat=True))
    assert events == ["save", "submit", "return", "submit", "approve"]
    assert Assessment.objects.count() == 1
