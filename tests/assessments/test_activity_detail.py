from django.urls import reverse

from assessments.models import Participation


def _url(activity):
    return reverse("assessments:activity_detail", args=[activity.pk])


def test_it_works(client, staff, activity, other_facility):
    Participation.objects.create(activity=activity, facility=other_facility, people=4)
    activity.budget_province_vnd = 30_000_000
    activity.budget_enterprise_vnd = 1_234_567
    activity.save()
    client.force_login(staff)
    response = client.get(_url(activity))
    assert response.status_code == 200
    assert activity.title in response.text
    assert other_facility.name in response.text
    assert "1.234.567 đồng" in response.text
    assert "31.234.567 đồng" in response.text  # the total
    assert "Tổng cộng 2 cơ sở, 7 người." in response.text
    assert "Xóa" in response.text


def test_it_requires_login(client, activity):
    assert client.get(_url(activity)).status_code == 302


def test_it_hides_other_facilities(client, facility_user, other_activity):
    client.force_login(facility_user)
    assert client.get(_url(other_activity)).status_code == 404


def test_facility_sees_only_its_own_participation(
    client, facility_user, facility, other_facility, activity
):
    Participation.objects.create(activity=activity, facility=other_facility, people=4)
    client.force_login(facility_user)
    response = client.get(_url(activity))
    assert response.status_code == 200
    assert facility.name in response.text
    assert other_facility.name not in response.text
    assert "Sửa" not in response.text


def test_officials_read_only(client, official, activity):
    client.force_login(official)
    response = client.get(_url(activity))
    assert response.status_code == 200
    assert reverse("assessments:activity_edit", args=[activity.pk]) not in response.text


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    assert client.get(reverse("assessments:activity_detail", args=[999999])).status_code == 404
