import pytest
from django.urls import reverse

from assessments.models import Activity, Participation


def _url(activity):
    return reverse("assessments:activity_delete", args=[activity.pk])


def test_it_asks_for_confirmation(client, staff, activity):
    client.force_login(staff)
    response = client.get(_url(activity))
    assert response.status_code == 200
    assert "Xác nhận xóa" in response.text
    assert "1 cơ sở tham gia" in response.text
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_works(client, staff, activity, facility):
    client.force_login(staff)
    response = client.post(_url(activity))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not Participation.objects.exists()
    facility.refresh_from_db()  # the facility itself stays


def test_it_requires_login(client, activity):
    assert client.post(_url(activity)).status_code == 302
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_hides_other_facilities(client, facility_user, other_activity):
    client.force_login(facility_user)
    assert client.post(_url(other_activity)).status_code == 404
    assert Activity.objects.filter(pk=other_activity.pk).exists()


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, activity, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(_url(activity)).status_code == 403
    assert client.post(_url(activity)).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    assert client.post(reverse("assessments:activity_delete", args=[999999])).status_code == 404
