"""assessments:report_list and :review_queue by place: since 1 July 2025 the province's units are
its 2025 communes/wards (DESIGN §3), so the reports of 2025 on are filtered and shown by 2025
ward, those of earlier years by old district (as the missing-reports page counts them)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import PlanPeriod
from facilities import territory
from facilities.models import AdminUnit

from ..factories import AnnualReportFactory, DistrictFactory, FacilityFactory

LIST = reverse("assessments:report_list")
QUEUE = reverse("assessments:review_queue")


def _province(code, name):
    return AdminUnit.objects.create(
        code=code, name=name, level="province", scheme=AdminUnit.Scheme.V2025
    )


def _ward(province, code, name):
    return AdminUnit.objects.create(
        code=code, name=name, level="commune", scheme=AdminUnit.Scheme.V2025, parent=province
    )


@pytest.fixture
def places(db):
    PlanPeriod.objects.get_or_create(
        code="2021-2030",
        defaults={"name": "Giai đoạn 2021–2030", "start_year": 2021, "end_year": 2030},
    )
    province = _province(territory.portal_province_code(), "Tỉnh Bắc Ninh")
    elsewhere = _province("01", "Thành phố Hà Nội")
    return {
        "district": DistrictFactory(code="256", name="Huyện Quế Võ"),
        "kinh_bac": _ward(province, "09169", "Phường Kinh Bắc"),
        "vo_cuong": _ward(province, "09187", "Phường Võ Cường"),
        "ba_dinh": _ward(elsewhere, "00004", "Phường Ba Đình"),
    }


@pytest.fixture
def reports(places):
    both = FacilityFactory(
        name="Cơ sở A hai địa chỉ", commune__parent=places["district"], ward=places["kinh_bac"]
    )
    ward_only = FacilityFactory(name="Cơ sở B mới đăng ký", commune=None, ward=places["vo_cuong"])
    return {
        "old": AnnualReportFactory(facility=both, year=2019, state="submitted"),
        "both_2026": AnnualReportFactory(facility=both, year=2026, state="submitted"),
        "ward_only_2026": AnnualReportFactory(facility=ward_only, year=2026, state="submitted"),
    }


def _rows(response) -> dict:
    """Report -> the text of its place cell (the table's third column)."""
    table = response.text[response.text.index('id="report-table"') :]
    cells = re.findall(r"<tr>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    return dict(zip(response.context["page"].object_list, [c.strip() for c in cells], strict=True))


@pytest.mark.parametrize("url", [LIST, QUEUE])
def test_a_ward_only_facility_is_found_by_its_ward(client, staff, places, reports, url):
    client.force_login(staff)
    response = client.get(url, {"year": 2026, "ward": places["vo_cuong"].pk})
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert _rows(response) == {reports["ward_only_2026"]: "Phường Võ Cường"}


def test_the_ward_filter_needs_no_year(client, staff, places, reports):
    client.force_login(staff)
    response = client.get(QUEUE, {"ward": places["kinh_bac"].pk})
    # The facility's reports of every year; each shows the place its year is counted by.
    assert _rows(response) == {
        reports["old"]: "Huyện Quế Võ",
        reports["both_2026"]: "Phường Kinh Bắc",
    }


def test_each_year_shows_its_own_place(client, staff, places, reports):
    client.force_login(staff)
    rows = _rows(client.get(LIST))
    assert rows == {
        reports["both_2026"]: "Phường Kinh Bắc",
        reports["ward_only_2026"]: "Phường Võ Cường",
        reports["old"]: "Huyện Quế Võ",
    }


def test_the_district_filter_still_works(client, staff, places, reports):
    client.force_login(staff)
    district = places["district"].pk
    response = client.get(LIST, {"year": 2019, "district": district})
    assert _rows(response) == {reports["old"]: "Huyện Quế Võ"}
    # An old bookmark of a later year keeps its district, and shows it can be cleared.
    response = client.get(QUEUE, {"year": 2026, "district": district})
    assert list(response.context["page"].object_list) == [reports["both_2026"]]
    assert {"district", "ward"} <= set(response.context["form"].fields)


def test_the_filters_offered_follow_the_year(client, staff, places):
    client.force_login(staff)
    both = client.get(LIST).text
    assert "Huyện (trước 1/7/2025)" in both and "Xã/phường (từ 1/7/2025)" in both
    assert "Phường Võ Cường</option>" in both and "Phường Ba Đình" not in both
    later = client.get(LIST, {"year": 2026}).context["form"].fields
    assert "ward" in later and "district" not in later
    earlier = client.get(LIST, {"year": 2019}).context["form"].fields
    assert "district" in earlier and "ward" not in earlier


def test_a_ward_of_another_province_is_refused(client, staff, places, reports):
    client.force_login(staff)
    response = client.get(LIST, {"ward": places["ba_dinh"].pk})
    assert response.status_code == 200
    assert "ward" in response.context["form"].errors
    assert response.context["page"].paginator.count == 3  # ignored, as a bad district is


def test_facility_users_get_no_place_filter(client, facility_user, facility, places):
    AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(facility_user)
    response = client.get(LIST, {"ward": places["ba_dinh"].pk})
    assert "ward" not in response.context["form"].fields
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize("url", [LIST, QUEUE])
def test_queries_do_not_grow_with_the_rows(
    client, staff, places, reports, url, django_assert_max_num_queries
):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(8):
        ward = _ward(places["kinh_bac"].parent, f"0920{number}", f"Phường Thử {number}")
        facility = FacilityFactory(commune__parent=DistrictFactory(), ward=ward)
        AnnualReportFactory(facility=facility, year=2026, state="submitted")
        AnnualReportFactory(facility=facility, year=2019, state="submitted")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 19
