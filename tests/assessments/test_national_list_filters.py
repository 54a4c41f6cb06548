"""The place filters of the assessment, annual-report, review-queue, activity and missing-reports
pages in a national installation: a province's staff are offered (and can filter by) their own
province's old districts, not the portal's default province's (DESIGN §2); a one-province
installation still offers the portal province's."""

import pytest
from django.urls import reverse

from ..factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    DistrictFactory,
    FacilityFactory,
    ProvinceFactory,
)
from .national_helpers import national, staff_hp, two_provinces

__all__ = ["national", "staff_hp", "two_provinces"]  # fixtures

pytestmark = pytest.mark.django_db

# The list pages whose filter form offers old districts.
LIST_PAGES = (
    "assessments:assessment_list",
    "assessments:report_list",
    "assessments:review_queue",
    "assessments:activity_list",
)


@pytest.fixture
def districts(db):
    """An old district of old Bắc Ninh (27, now 24) and two of old Hải Dương (30, now 31)."""
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    return (
        DistrictFactory(code="256", name="Huyện Quế Võ"),
        DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong),
        DistrictFactory(code="294", name="Huyện Thanh Hà", parent=hai_duong),
    )


@pytest.fixture
def hai_duong_facilities(districts):
    """A facility in each old Hải Dương district (Hải Phòng's since 2025)."""
    _, kim_thanh, thanh_ha = districts
    return (
        FacilityFactory(name="Cơ khí Kim Thành", commune__parent=kim_thanh),
        FacilityFactory(name="Vải thiều Thanh Hà", commune__parent=thanh_ha),
    )


@pytest.fixture
def listed(hai_duong_facilities, districts):
    """One row of each list page in each Hải Dương district."""
    for facility, district in zip(hai_duong_facilities, districts[1:], strict=True):
        AssessmentFactory(facility=facility)
        AnnualReportFactory(facility=facility, year=2019, state="submitted")
        ActivityFactory(title=f"Hội thảo SXSH {district.name}", district=district)


def _offered(response) -> set[str]:
    return {district.name for district in response.context["form"].fields["district"].queryset}


def _rows(response) -> list:
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_it_offers_the_staff_members_own_districts(
    client, national, districts, listed, staff_hp, url_name
):
    client.force_login(staff_hp)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    offered = _offered(response)
    assert "Huyện Kim Thành" in offered
    assert "Huyện Quế Võ" not in offered


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_filtering_by_an_own_district_works(
    client, national, districts, listed, staff_hp, url_name
):
    _, kim_thanh, _ = districts
    client.force_login(staff_hp)
    unfiltered = _rows(client.get(reverse(url_name)))
    assert len(unfiltered) == 2
    response = client.get(reverse(url_name), {"district": kim_thanh.pk})
    assert not response.context["form"].errors
    rows = _rows(response)
    assert len(rows) == 1
    row = rows[0]
    place = row.district if url_name == "assessments:activity_list" else row.facility.commune.parent
    assert place == kim_thanh


def test_missing_reports_filters_by_an_own_district(
    client, national, districts, hai_duong_facilities, staff_hp
):
    _, kim_thanh, _ = districts
    in_kim_thanh, _ = hai_duong_facilities
    client.force_login(staff_hp)
    url = reverse("assessments:missing_reports")
    assert len(_rows(client.get(url, {"year": 2019}))) == 2
    response = client.get(url, {"year": 2019, "district": kim_thanh.pk})
    assert response.context["place"] == kim_thanh
    assert _rows(response) == [in_kim_thanh]


def test_missing_reports_filters_by_an_own_ward(
    client, national, two_provinces, hai_duong_facilities, staff_hp
):
    """From 2025 the page counts by 2025 commune/ward: Hải Phòng's are offered."""
    _, in_hong_bang = two_provinces
    client.force_login(staff_hp)
    url = reverse("assessments:missing_reports")
    assert len(_rows(client.get(url, {"year": 2025}))) == 3
    response = client.get(url, {"year": 2025, "ward": in_hong_bang.ward.pk})
    assert response.context["place"] == in_hong_bang.ward
    assert _rows(response) == [in_hong_bang]


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_one_province_installation_offers_the_portal_provinces_districts(
    client, districts, staff, url_name
):
    client.force_login(staff)
    offered = _offered(client.get(reverse(url_name)))
    assert "Huyện Quế Võ" in offered
    assert "Huyện Kim Thành" not in offered
