"""The words beside the extra computed indicators (issue 14) staff may add to a period,
TRAINED_PCT and WATER_SAVING_PCT: their lists of facilities explain their own rule (not
ENT_UNIT's), and the help page defines both. And the breadcrumb of a list of facilities keeps the
Ministry's drill-down into one province (PORTAL_SCOPE=national)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import PlanPeriod
from facilities.models import AdminUnit
from reports.figures import TRAINED, WATER_SAVING

from ..assessments.national_helpers import BAC_NINH, two_province_facilities
from ..factories import ProvinceFactory, UserFactory
from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db
D = Decimal

ENT_UNIT_WORDS = "Doanh nghiệp vừa và lớn"


@pytest.fixture
def in_the_plan(client, staff):
    """Staff add both indicators to the 2016–2020 period through the plan's form."""
    period = PlanPeriod.objects.get(code="2016-2020")
    client.force_login(staff)
    for order, (code, name) in enumerate(
        (
            (TRAINED, "Tỷ lệ cơ sở có cán bộ kỹ thuật được đào tạo SXSH"),
            (WATER_SAVING, "Mức tiết kiệm nước trên đơn vị sản phẩm"),
        ),
        start=10,
    ):
        data = {
            "code": code,
            "name_vi": name,
            "name_en": "",
            "unit": "%",
            "method": "computed",
            "target_min": "50",
            "target_max": "",
            "baseline_value": "",
            "baseline_note": "",
            "order": order,
        }
        response = client.post(reverse("reports:indicator_create", args=[period.pk]), data)
        assert response.status_code == 302, response.content.decode()
    client.logout()
    f = facility()
    report(f, YEAR - 2, applies_cp=True, water_m3=D(1000), product_unit="tấn")
    report(f, YEAR, applies_cp=True, water_m3=D(800), product_unit="tấn", trained_staff=2)


def part_help(client, user, code, part, **params) -> str:
    client.force_login(user)
    url = reverse("reports:indicator_facilities", args=[code, YEAR, part])
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'<p class="text-muted" id="part-help">(.*?)</p>', html, re.S).group(1)


def test_trained_staff_lists_explain_their_rule(client, official, in_the_plan):
    numerator = part_help(client, official, TRAINED, "numerator")
    denominator = part_help(client, official, TRAINED, "denominator")

    assert "ít nhất một cán bộ được đào tạo SXSH" in numerator
    assert "Mọi cơ sở hoạt động trong năm." in denominator
    assert ENT_UNIT_WORDS not in numerator and ENT_UNIT_WORDS not in denominator


def test_water_saving_list_explains_its_rule(client, official, in_the_plan):
    denominator = part_help(client, official, WATER_SAVING, "denominator")

    assert "suất tiêu hao nước" in denominator
    assert "lượng nước > 0 ở cả hai năm" in denominator
    assert ENT_UNIT_WORDS not in denominator


def test_ent_unit_keeps_its_own_explanation(client, official):
    report(facility(employees=300), YEAR, employees=300, has_cp_unit=True)

    assert ENT_UNIT_WORDS in part_help(client, official, "ENT_UNIT_PCT", "numerator")


def test_the_help_page_defines_both(client, official):
    client.force_login(official)

    html = client.get(reverse("reports:help")).content.decode()

    assert 'id="TRAINED_PCT"' in html and 'id="WATER_SAVING_PCT"' in html
    trained = html.split('id="TRAINED_PCT"', 1)[1].split("</dd>", 1)[0]
    assert "số cán bộ được đào tạo SXSH từ 1 trở lên" in trained
    assert "mọi cơ sở hoạt động trong năm Y" in trained
    water = html.split('id="WATER_SAVING_PCT"', 1)[1].split("</dd>", 1)[0]
    assert "Suất tiêu hao nước = lượng nước (m³) ÷ sản lượng" in water
    assert "tử số APPLY_PCT" in water and "không có tử số" in water
    # The sections added before stay.
    assert 'id="benchmark"' in html and 'id="quality-rules"' in html


# --- the breadcrumb of the Ministry's drill-down -------------------------------------------------


@pytest.fixture
def ministry(settings):
    settings.PORTAL_SCOPE = "national"
    return UserFactory(username="bo_ct", role=Role.MINISTRY)


def breadcrumb(html: str) -> str:
    crumbs = html.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    return re.search(r'href="([^"]+)"', crumbs).group(1).replace("&amp;", "&")


def test_the_breadcrumb_keeps_the_province_and_group(client, ministry):
    ProvinceFactory(code=BAC_NINH, name="Tỉnh Bắc Ninh", scheme=AdminUnit.Scheme.V2025)
    bac_ninh, _hai_phong = two_province_facilities()
    report(bac_ninh, YEAR, applies_cp=True)
    client.force_login(ministry)
    url = reverse("reports:indicator_facilities", args=["APPLY_PCT", YEAR, "numerator"])

    html = client.get(url, {"province": BAC_NINH}).content.decode()
    back = breadcrumb(html)
    assert back == f"{reverse('reports:dashboard')}?year={YEAR}&province={BAC_NINH}"
    dashboard = client.get(back)
    assert dashboard.status_code == 200 and dashboard.context["province"] == BAC_NINH

    grouped = {"province": BAC_NINH, "group": "high_pollution_risk", "key": "false"}
    html = client.get(url, grouped).content.decode()
    assert breadcrumb(html) == (
        f"{reverse('reports:dashboard')}?year={YEAR}&group=high_pollution_risk&province={BAC_NINH}"
    )


def test_a_province_account_has_no_province_to_keep(client, settings):
    settings.PORTAL_SCOPE = "national"
    staff_bn = UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)
    bac_ninh, _hai_phong = two_province_facilities()
    report(bac_ninh, YEAR, applies_cp=True)
    client.force_login(staff_bn)
    url = reverse("reports:indicator_facilities", args=["APPLY_PCT", YEAR, "numerator"])

    html = client.get(url, {"province": "31"}).content.decode()

    assert breadcrumb(html) == f"{reverse('reports:dashboard')}?year={YEAR}"
