"""assessments:missing_reports for a year from 2025: communes/wards sit directly under the
province since 1 July 2025 (DESIGN §3), so the year's missing reports are counted and filtered
by 2025 commune/ward, not by the abolished districts."""

import pytest
from django.urls import reverse

from facilities import territory
from facilities.models import AdminUnit

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory

URL = reverse("assessments:missing_reports")


def _ward(province, code, name):
    return AdminUnit.objects.create(
        code=code, name=name, level="commune", scheme=AdminUnit.Scheme.V2025, parent=province
    )


@pytest.fixture
def wards(db):
    province = AdminUnit.objects.create(
        code=territory.portal_province_code(),
        name="Tỉnh Bắc Ninh",
        level="province",
        scheme=AdminUnit.Scheme.V2025,
    )
    return _ward(province, "09169", "Phường Kinh Bắc"), _ward(province, "09187", "Phường Võ Cường")


@pytest.fixture
def facilities(wards):
    kinh_bac, vo_cuong = wards
    district = DistrictFactory(code="256", name="Huyện Quế Võ")
    reported = FacilityFactory(name="Cơ sở A đã gửi", commune__parent=district, ward=kinh_bac)
    AnnualReportFactory(facility=reported, year=2025, state="submitted")
    return {
        "reported": reported,
        "missing": FacilityFactory(name="Cơ sở B chưa có", commune__parent=district, ward=kinh_bac),
        "ward_only": FacilityFactory(name="Cơ sở C mới đăng ký", commune=None, ward=vo_cuong),
    }


def test_2025_is_counted_by_ward(client, staff, wards, facilities):
    client.force_login(staff)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    rows = response.context["counts"]
    counts = {row["place_name"]: (row["total"], row["missing"]) for row in rows}
    assert counts == {"Phường Kinh Bắc": (2, 1), "Phường Võ Cường": (1, 1)}
    assert "Theo xã/phường (từ 1/7/2025)" in response.text
    assert f"?year=2025&amp;ward={wards[1].pk}" in response.text


def test_2025_filters_by_ward(client, staff, wards, facilities):
    client.force_login(staff)
    response = client.get(URL, {"year": 2025, "ward": wards[1].pk})
    assert [f.name for f in response.context["page"].object_list] == ["Cơ sở C mới đăng ký"]
    assert "Danh sách chưa báo cáo – Phường Võ Cường" in response.text


def test_earlier_years_keep_the_districts(client, staff, wards, facilities):
    client.force_login(staff)
    response = client.get(URL, {"year": 2020})
    counts = {row["place_name"]: row["total"] for row in response.context["counts"]}
    # the facility registered by its 2025 ward only has no old district
    assert counts == {"Huyện Quế Võ": 2, None: 1}
    assert "Không có địa bàn cũ (chỉ khai xã/phường mới)" in response.text


def test_places_read_in_vietnamese_alphabetical_order(client, staff, wards):
    # Byte order puts "Đ" after "V" and "ạ" after "ư"; Vietnamese order does not.
    province = wards[0].parent
    names = [
        "Phường Võ Cường",
        "Phường Đa Mai",
        "Phường Lạng Giang",
        "Phường Lương Tài",
        "Phường Dĩnh Kế",
    ]
    for number, name in enumerate(names):
        ward = _ward(province, f"0930{number}", name)
        FacilityFactory(name=f"Cơ sở ở {name}", commune=None, ward=ward)
    FacilityFactory(name="Cơ sở chưa có xã/phường mới", ward=None)
    client.force_login(staff)
    rows = client.get(URL, {"year": 2025}).context["counts"]
    assert [row["place_name"] for row in rows] == [
        "Phường Dĩnh Kế",
        "Phường Đa Mai",
        "Phường Lạng Giang",
        "Phường Lương Tài",
        "Phường Võ Cường",
        None,  # facilities without a 2025 ward come last
    ]
