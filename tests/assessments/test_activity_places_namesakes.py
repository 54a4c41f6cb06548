"""The activity list and an activity's page name its place as the other pages do: two old
districts of one name ("Huyện Châu Thành" of old Bến Tre and of old Trà Vinh, both now Vĩnh
Long) with their old provinces (territory.unit_label), in a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Participation
from facilities.models import AdminUnit

from ..factories import ActivityFactory, FacilityFactory
from ..reports.namesake_districts import BEN_TRE, LONG_HO, TRA_VINH, build_places

pytestmark = pytest.mark.django_db

URL = reverse("assessments:activity_list")


@pytest.fixture
def places(settings):
    return build_places(settings)


def _district(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, code=code)


def _workshops():
    return {
        code: ActivityFactory(
            date=date(2024, 5, n), district=_district(code), title=f"Hội thảo Châu Thành {n}"
        )
        for n, code in enumerate(("831", "847", "857"), start=1)
    }


def test_the_list_names_two_namesake_districts_apart(places, client, staff):
    _workshops()
    client.force_login(staff)
    page = client.get(URL).text
    for label in (BEN_TRE, TRA_VINH, LONG_HO):
        assert f"<td>{label}</td>" in page, label


def test_an_activitys_page_names_its_namesake_district_with_its_province(places, client, staff):
    workshops = _workshops()
    client.force_login(staff)
    for code, label in (("831", BEN_TRE), ("847", TRA_VINH), ("857", LONG_HO)):
        page = client.get(workshops[code].get_absolute_url()).text
        assert f"Địa bàn: {label}</div>" in page, label


def test_a_ward_is_named_by_its_name(places, client, staff):
    province = AdminUnit.objects.create(
        code="86", name="Tỉnh Vĩnh Long", level="province", scheme=AdminUnit.Scheme.V2025
    )
    ward = AdminUnit.objects.create(
        code="29300", name="Xã Châu Thành", level="commune", scheme="2025", parent=province
    )
    held = ActivityFactory(date=date(2025, 9, 1), ward=ward, title="Tập huấn 2025")
    client.force_login(staff)
    assert "<td>Xã Châu Thành</td>" in client.get(URL).text
    assert "Địa bàn: Xã Châu Thành</div>" in client.get(held.get_absolute_url()).text


def test_the_list_labels_its_places_in_few_queries(
    places, client, staff, django_assert_max_num_queries
):
    facilities = [FacilityFactory() for _ in range(3)]
    codes = ("831", "847", "857")
    for n in range(30):
        activity = ActivityFactory(district=_district(codes[n % 3]), date=date(2016 + n % 5, 3, 1))
        for facility in facilities:
            Participation.objects.create(activity=activity, facility=facility, people=2)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    shown = [response.text.count(f"<td>{label}</td>") for label in (BEN_TRE, TRA_VINH, LONG_HO)]
    assert sum(shown) == 25 and all(shown)  # the first page, every row labelled
