import pytest
from django.urls import reverse

from assessments.models import Activity, Participation

from ..factories import DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:activity_create")


def _form(facilities=(), **changes):
    data = {
        "kind": "training",
        "title": "Khóa đào tạo cán bộ kỹ thuật về SXSH",
        "date": "2018-09-12",
        "district": "",
        "description": "Hai ngày tại Trung tâm Khuyến công",
        "budget_province_vnd": "40000000",
        "budget_national_vnd": "20000000",
        "budget_enterprise_vnd": "5000000",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, (facility, people) in enumerate(facilities):
        data[f"participants-{index}-facility"] = facility.pk
        data[f"participants-{index}-people"] = str(people)
    data.update(changes)
    return data


def test_it_works(client, staff, facility, other_facility):
    district = facility.commune.parent
    client.force_login(staff)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form([(facility, 3), (other_facility, 2)], district=district.pk))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert (activity.district, activity.total_budget_vnd) == (district, 65_000_000)
    assert set(Participation.objects.values_list("facility", "people")) == {
        (facility.pk, 3),
        (other_facility.pk, 2),
    }


def test_it_requires_login(client):
    assert client.post(URL, _form()).status_code == 302
    assert not Activity.objects.exists()


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not Activity.objects.exists()


def test_it_offers_only_districts_of_the_province(client, staff, facility):
    elsewhere = DistrictFactory(parent=ProvinceFactory(code="01", name="Thành phố Hà Nội"))
    client.force_login(staff)
    response = client.post(URL, _form(district=elsewhere.pk))
    assert "district" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_it_rejects_bad_input(client, staff, facility):
    client.force_login(staff)
    data = _form([(facility, 0), (facility, 2)], title="", date="31/02/2018", budget_other_vnd="-1")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "date", "budget_other_vnd"}
    assert not Activity.objects.exists()


def test_it_rejects_the_same_facility_twice(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form([(facility, 1), (facility, 2)]))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() or any(response.context["formset"].errors)
    assert not Activity.objects.exists()


def test_people_must_be_positive(client, staff, facility):
    client.force_login(staff)
    response = client.post(URL, _form([(facility, 0)]))
    assert "people" in response.context["formset"].errors[0]
    assert not Activity.objects.exists()


def test_people_default_to_one(client, staff, facility):
    client.force_login(staff)
    client.post(URL, _form([(facility, "")]))
    assert Participation.objects.get().people == 1


def test_the_date_is_typed_day_first(client, staff, facility):
    client.force_login(staff)
    assert 'placeholder="dd/mm/yyyy"' in client.get(URL).text

    client.post(URL, _form([(facility, 1)], date="05/03/2018"))

    assert Activity.objects.get().date.isoformat() == "2018-03-05"  # 5 March, not 3 May


def test_an_impossible_date_comes_back_as_typed(client, staff, facility):
    client.force_login(staff)

    response = client.post(URL, _form([(facility, 1)], date="31/02/2018"))

    assert "date" in response.context["form"].errors
    assert 'value="31/02/2018"' in response.text
