from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Participation

from ..factories import ActivityFactory, DistrictFactory, FacilityFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:activity_list")


def test_it_works(client, staff, activity, other_activity):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {activity, other_activity}
    assert "Thêm hoạt động" in response.text


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


def test_it_hides_other_facilities(client, facility_user, activity, other_activity):
    client.force_login(facility_user)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [activity]
    assert other_activity.title not in response.text
    assert "Thêm hoạt động" not in response.text


def test_officials_read_everything(client, official, activity, other_activity):
    client.force_login(official)
    response = client.get(URL)
    assert len(response.context["page"].object_list) == 2
    assert "Thêm hoạt động" not in response.text


def test_it_counts_participants(client, staff, activity, other_facility):
    Participation.objects.create(activity=activity, facility=other_facility, people=4)
    activity.budget_province_vnd = 25_500_000
    activity.save()
    client.force_login(staff)
    row = client.get(URL).context["page"].object_list[0]
    assert (row.facility_count, row.people) == (2, 7)
    assert "25,5 triệu đồng" in client.get(URL).text


def test_it_filters(client, staff):
    here, there = DistrictFactory(name="Thành phố Bắc Ninh"), DistrictFactory(name="Huyện Quế Võ")
    workshop = ActivityFactory(kind="workshop", date=date(2017, 5, 1), district=here)
    training = ActivityFactory(kind="training", date=date(2019, 5, 1), district=there)
    client.force_login(staff)
    for query, expected in {
        "year=2017": [workshop],
        "kind=training": [training],
        f"district={there.pk}": [training],
        "year=2019&kind=workshop": [],
    }.items():
        response = client.get(f"{URL}?{query}")
        assert list(response.context["page"].object_list) == expected, query
    assert "Không có hoạt động nào phù hợp" in client.get(f"{URL}?year=2019&kind=workshop").text


def test_it_shows_an_empty_state(client, facility_user):
    client.force_login(facility_user)
    assert "chưa tham gia hoạt động nào" in client.get(URL).text


def test_it_rejects_bad_input(client, staff, activity):
    client.force_login(staff)
    response = client.get(f"{URL}?year=abc&district=x&page=999")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [activity]


def test_it_paginates_with_few_queries(client, staff, facility_user, django_assert_max_num_queries):
    facilities = [FacilityFactory() for _ in range(3)]
    district = DistrictFactory()
    for n in range(60):
        activity = ActivityFactory(district=district, date=date(2016 + n % 5, 3, 1))
        for facility in facilities:
            Participation.objects.create(activity=activity, facility=facility, people=2)
    for user in (staff, facility_user):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            response = client.get(URL)
        assert response.status_code == 200
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(f"{URL}?page=2&year=2017")
    assert {a.date.year for a in response.context["page"].object_list} == {2017}
    page = client.get(URL).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (25, 3)
