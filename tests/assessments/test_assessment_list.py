from datetime import date

from django.urls import reverse

from ..factories import AssessmentFactory, FacilityFactory

URL = reverse("assessments:assessment_list")


def test_it_works(client, staff, draft, other_assessment):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {draft, other_assessment}
    assert draft.facility.name in response.text
    assert "Thêm đánh giá" in response.text


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_hides_other_facilities(client, facility_user, draft, other_assessment):
    client.force_login(facility_user)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [draft]
    assert other_assessment.facility.name not in response.text


def test_officials_read_without_create_button(client, official, draft):
    client.force_login(official)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [draft]
    assert "Thêm đánh giá" not in response.text


def test_it_filters(client, staff, facility):
    quick = AssessmentFactory(
        facility=facility, kind="quick", state="submitted", start_date=date(2017, 3, 1)
    )
    detailed = AssessmentFactory(
        facility=FacilityFactory(), kind="detailed", state="approved", start_date=date(2019, 3, 1)
    )
    client.force_login(staff)
    pages = {
        "state=submitted": [quick],
        "kind=detailed": [detailed],
        "year=2017": [quick],
        f"district={facility.commune.parent_id}": [quick],
    }
    for query, expected in pages.items():
        response = client.get(f"{URL}?{query}")
        assert list(response.context["page"].object_list) == expected, query


def test_it_shows_an_empty_state(client, facility_user):
    client.force_login(facility_user)
    response = client.get(URL)
    assert "chưa có đánh giá SXSH nào" in response.text


def test_it_rejects_bad_input(client, staff, draft):
    client.force_login(staff)
    response = client.get(f"{URL}?state=nonsense&page=abc")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [draft]  # bad filters are ignored


def test_it_paginates_with_few_queries(client, staff, django_assert_max_num_queries):
    for _ in range(30):
        AssessmentFactory(state="approved")
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
    assert "Trang 1/2" in response.text
