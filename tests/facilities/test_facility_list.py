import pytest
from django.urls import reverse

from facilities.models import Facility
from tests.factories import CommuneFactory, FacilityFactory, IndustryCodeFactory

URL = reverse("facilities:list")


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_sees_all(client, staff, facility, other_facility):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert facility.name in response.text
    assert other_facility.name in response.text


def test_official_sees_all_read_only(client, official, facility, other_facility):
    client.force_login(official)
    response = client.get(URL)
    assert other_facility.name in response.text
    assert reverse("facilities:create") not in response.text


def test_it_hides_other_facilities(client, facility_user, facility, other_facility):
    client.force_login(facility_user)
    response = client.get(URL)
    assert facility.name in response.text
    assert other_facility.name not in response.text


@pytest.mark.parametrize("query", ["hai duong", "HẢI DƯƠNG", "Hải Dương", "hai dương", "bia hai"])
def test_search_ignores_accents_and_case(client, staff, facility, other_facility, query):
    client.force_login(staff)
    response = client.get(URL, {"q": query})
    assert facility.name in response.text
    assert other_facility.name not in response.text


def test_d_with_stroke_matches_d(client, staff):
    target = FacilityFactory(name="Công ty Thép Đa Hội")
    FacilityFactory(name="Công ty Gốm Phù Lãng")
    client.force_login(staff)
    response = client.get(URL, {"q": "thep da hoi"})
    assert list(response.context["page"].object_list) == [target]


def test_search_by_tax_code(client, staff, facility, other_facility):
    client.force_login(staff)
    response = client.get(URL, {"q": facility.tax_code})
    assert list(response.context["page"].object_list) == [facility]


def test_filters(client, staff):
    commune = CommuneFactory()
    paper = IndustryCodeFactory(code="17", name="Sản xuất giấy và sản phẩm từ giấy")
    match = FacilityFactory(
        commune=commune, industry=paper, high_pollution_risk=True, ownership="fdi", employees=300
    )
    FacilityFactory(commune=commune, industry=paper, high_pollution_risk=False)
    FacilityFactory(high_pollution_risk=True, ownership="fdi", employees=300)
    client.force_login(staff)
    params = {
        "district": commune.parent_id,
        "commune": commune.pk,
        "division": "17",
        "high_pollution_risk": "1",
        "ownership": "fdi",
        "size": "large",
        "status": "active",
    }
    response = client.get(URL, params)
    assert list(response.context["page"].object_list) == [match]
    assert response.context["total"] == 3


def test_sorting_and_pagination(client, staff):
    for i in range(30):
        FacilityFactory(name=f"Cơ sở {i:02d}", employees=i)
    client.force_login(staff)
    first = client.get(URL, {"sort": "-employees"}).context["page"]
    assert first.object_list[0].name == "Cơ sở 29"
    assert len(first.object_list) == 25
    second = client.get(URL, {"sort": "-employees", "page": 2}).context["page"]
    assert [f.name for f in second.object_list] == [f"Cơ sở {i:02d}" for i in range(4, -1, -1)]


def test_empty_state(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert "Sổ đăng ký chưa có cơ sở nào." in response.text


def test_query_count_does_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    FacilityFactory.create_batch(3)
    client.force_login(staff)
    # Cold cache: every filter list (old province, district, commune, 2025 ward, ...) is read once.
    with django_assert_max_num_queries(14) as small:
        client.get(URL)
    FacilityFactory.create_batch(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert Facility.objects.count() == 43
    assert response.status_code == 200
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (43, 25)  # 25 rows a page
    assert all(facility.name in response.text for facility in page.object_list)


def test_bad_filter_value_is_ignored_not_500(client, staff, facility, other_facility):
    client.force_login(staff)
    response = client.get(URL, {"district": "abc", "size": "giant"})
    assert response.status_code == 200
    # Ignored: the whole registry is listed, as without the filter.
    assert response.context["page"].paginator.count == 2
    assert facility.name in response.text and other_facility.name in response.text
