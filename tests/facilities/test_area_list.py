import pytest
from django.urls import reverse

from facilities.models import IndustrialArea
from tests.factories import FacilityFactory

from .area_helpers import make_area, make_district

pytestmark = pytest.mark.django_db

URL = reverse("facilities:area_list")


def test_it_works(client, staff):
    que_vo = make_area(district=make_district())
    make_area(name="Cụm công nghiệp Đồng Nguyên", kind=IndustrialArea.Kind.CCN)
    FacilityFactory.create_batch(3, industrial_area=que_vo)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    rows = {area.name: area.facility_count for area in response.context["page"].object_list}
    assert rows == {"Khu công nghiệp Quế Võ": 3, "Cụm công nghiệp Đồng Nguyên": 0}
    assert "Huyện Quế Võ" in response.text
    assert reverse("facilities:area_edit", args=[que_vo.pk]) in response.text
    assert reverse("facilities:area_create") in response.text


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_requires_staff(client, facility_user):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403


def test_officials_read_only(client, official):
    area = make_area()
    client.force_login(official)
    response = client.get(URL)
    assert response.status_code == 200
    assert area.name in response.text
    assert reverse("facilities:area_edit", args=[area.pk]) not in response.text
    assert reverse("facilities:area_delete", args=[area.pk]) not in response.text
    assert reverse("facilities:area_create") not in response.text


@pytest.mark.parametrize("query", ["dai an", "ĐẠI AN", "Đại An", "khu cong nghiep dai"])
def test_search_ignores_accents_and_case(client, staff, query):
    make_area(name="Khu công nghiệp Đại An")
    make_area(name="Khu công nghiệp Phúc Điền")
    client.force_login(staff)
    response = client.get(URL, {"q": query})
    names = [area.name for area in response.context["page"].object_list]
    assert names == ["Khu công nghiệp Đại An"]


def test_filters_by_kind_and_district(client, staff):
    que_vo, other = make_district(), make_district(name="Huyện Tiên Du", code="259")
    wanted = make_area(name="Cụm công nghiệp Phượng Mao", kind="ccn", district=que_vo)
    make_area(name="Khu công nghiệp Quế Võ", kind="kcn", district=que_vo)
    make_area(name="Cụm công nghiệp Hoàn Sơn", kind="ccn", district=other)
    client.force_login(staff)
    response = client.get(URL, {"kind": "ccn", "district": que_vo.pk})
    assert list(response.context["page"].object_list) == [wanted]
    assert "1 khu/cụm công nghiệp" in response.text


def test_it_paginates(client, staff):
    for n in range(30):
        make_area(name=f"Cụm công nghiệp số {n:02d}", kind="ccn")
    client.force_login(staff)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 25
    second = client.get(URL, {"page": 2, "kind": "ccn"})
    assert [a.name for a in second.context["page"].object_list][0] == "Cụm công nghiệp số 25"
    assert "kind=ccn" in second.text  # filters carried in the pagination links


def test_it_rejects_bad_input(client, staff):
    area = make_area()
    client.force_login(staff)
    response = client.get(URL, {"kind": "nonsense", "district": "abc", "page": "x"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [area]


def test_query_count_does_not_grow_with_areas(client, staff, django_assert_max_num_queries):
    district = make_district()
    client.force_login(staff)
    client.get(URL)  # warm up the session and the user
    for n in range(2):
        area = make_area(name=f"Khu công nghiệp nhỏ {n}", district=district)
        FacilityFactory(industrial_area=area)
    with django_assert_max_num_queries(8) as few:
        client.get(URL)
    for n in range(20):
        area = make_area(name=f"Cụm công nghiệp lớn {n}", kind="ccn", district=district)
        FacilityFactory.create_batch(2, industrial_area=area)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 22
