"""The staff's benchmark tables (reports:sector_scores and its XLSX) in a national installation
(issue 18): a province's staff and officials see the groups, counts and distribution of their
province's facilities, the Ministry every province's, while each score stays the one among the
facility's peers in the whole country (DESIGN §4). And the year list has one option a year."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook

from accounts.models import Role
from facilities.models import AdminUnit

from ..assessments.national_helpers import BAC_NINH, HAI_PHONG, national  # noqa: F401
from ..factories import FacilityFactory, IndustryCodeFactory, ProvinceFactory, UserFactory
from .indicator_helpers import report

pytestmark = pytest.mark.django_db

YEAR = 2019
PAGE = reverse("reports:sector_scores")
EXPORT = reverse("reports:sector_scores_export")


@pytest.fixture
def two_provinces_scored(db):
    """Twelve facilities of VSIC 23 in tấn, coal 10k t for 1000 tấn (k = 1 … 12): nation-wide
    the one with coal 10k has 12 − k peers above it, score 100 × (12 − k) ÷ 11 rounded half up.
    Hải Phòng has k = 1 … 5 (scores 100, 91, 82, 73, 64), Bắc Ninh k = 6 … 12 (55, 45, 36,
    27, 18, 9, 0). Neither province alone has 10 of them: scored only nation-wide. Three
    facilities of VSIC 10 in m3 (no score): two in Bắc Ninh, one in Hải Phòng."""
    hai_phong = ProvinceFactory(
        code=HAI_PHONG, name="Thành phố Hải Phòng", scheme=AdminUnit.Scheme.V2025
    )
    ward = AdminUnit.objects.create(
        code="11311",
        name="Phường Hồng Bàng",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=hai_phong,
    )
    division = IndustryCodeFactory(code="23", name="Sản xuất sản phẩm từ khoáng phi kim loại khác")
    for k in range(1, 13):
        place = {"commune": None, "ward": ward} if k <= 5 else {}
        facility = FacilityFactory(name=f"Công ty Gạch số {k}", industry=division, **place)
        report(facility, YEAR, coal_t=Decimal(10 * k))
    food = IndustryCodeFactory(code="10")
    for n in range(3):
        place = {"commune": None, "ward": ward} if n == 0 else {}
        facility = FacilityFactory(name=f"Công ty Thực phẩm {n}", industry=food, **place)
        report(facility, YEAR, product_unit="m3")


def _row(response) -> list[str]:
    """The texts of the VSIC 23 row's cells after the heading cell."""
    page = html.fromstring(response.content)
    (row,) = page.xpath('//table[@id="score-distribution"]//tr[@data-division="23"]')
    return [cell.text_content().strip() for cell in row.xpath("./td")]


def _unscored(response) -> str:
    page = html.fromstring(response.content)
    return page.xpath('//*[@id="score-unscored"]')[0].text_content().strip()


def _scope(response) -> str:
    page = html.fromstring(response.content)
    return " ".join(page.xpath('//*[@id="score-scope"]')[0].text_content().split())


def _export_row(client) -> list:
    response = client.get(EXPORT, {"year": YEAR})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["PhanBoDiem"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the heading and the one scored group
    return list(rows[1])


# Unit, facilities, peers nation-wide, minimum, Q1, median, Q3, maximum, the four bands.
HAI_PHONG_ROW = ["tấn", "5", "12", "64", "73", "82", "91", "100", "3", "2", "0", "0"]
BAC_NINH_ROW = ["tấn", "7", "12", "0", "13,5", "27", "40,5", "55", "0", "1", "3", "3"]
COUNTRY_ROW = ["tấn", "12", "12", "0", "24,75", "50", "75,25", "100", "3", "3", "3", "3"]


@pytest.mark.parametrize(
    "province, role, row, unscored, name",
    [
        (HAI_PHONG, Role.STAFF, HAI_PHONG_ROW, "1 nhóm (1 cơ sở)", "Thành phố Hải Phòng"),
        (HAI_PHONG, Role.OFFICIAL, HAI_PHONG_ROW, "1 nhóm (1 cơ sở)", "Thành phố Hải Phòng"),
        (BAC_NINH, Role.STAFF, BAC_NINH_ROW, "1 nhóm (2 cơ sở)", "Tỉnh Bắc Ninh"),
        ("", Role.MINISTRY, COUNTRY_ROW, "1 nhóm (3 cơ sở)", "cả nước"),
    ],
    ids=["hai-phong-staff", "hai-phong-official", "bac-ninh-staff", "ministry"],
)
def test_each_province_sees_its_own_facilities_scored_nation_wide(
    client,
    national,  # noqa: F811
    two_provinces_scored,
    province,
    role,
    row,
    unscored,
    name,
):
    client.force_login(UserFactory(role=role, province=province))

    response = client.get(PAGE, {"year": YEAR})

    assert response.status_code == 200
    assert _row(response) == row
    assert _unscored(response).startswith(unscored)
    assert _scope(response) == (
        f"Các bảng dưới đây tính trên các cơ sở của {name}; điểm của mỗi cơ sở so với các cơ "
        "sở cùng ngành, cùng đơn vị sản phẩm trên cả nước."
    )
    exported = _export_row(client)
    assert exported[4:7] == ["tấn", int(row[1]), int(row[3])]  # unit, facilities, minimum
    assert exported[-4:] == [int(count) for count in row[-4:]]


def test_a_one_province_installation_shows_every_facility_without_the_scope_note(
    client, staff, two_provinces_scored
):
    client.force_login(staff)

    response = client.get(PAGE, {"year": YEAR})

    assert response.status_code == 200
    peerless = [cell for n, cell in enumerate(COUNTRY_ROW) if n != 2]  # no nation-wide column
    assert _row(response) == peerless
    assert not html.fromstring(response.content).xpath('//*[@id="score-scope"]')


def test_the_year_list_has_one_option_a_year(client, staff):
    division = IndustryCodeFactory(code="23")
    for _k in range(4):
        facility = FacilityFactory(industry=division)
        for year in (2017, 2018, 2019):
            report(facility, year)
        report(facility, 2020, state="draft")  # not approved: not a year of the list
    client.force_login(staff)

    response = client.get(PAGE)

    assert response.status_code == 200
    options = html.fromstring(response.content).xpath('//select[@name="year"]/option')
    assert [option.get("value") for option in options] == ["2019", "2018", "2017"]
