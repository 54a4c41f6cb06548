import pytest
from django.urls import reverse

from facilities.models import IndustrialArea
from tests.factories import FacilityFactory

from .area_helpers import make_area

pytestmark = pytest.mark.django_db


def _url(area):
    return reverse("facilities:area_delete", args=[area.pk])


def test_it_asks_for_confirmation(client, staff):
    area = make_area()
    client.force_login(staff)
    response = client.get(_url(area))
    assert response.status_code == 200
    assert "Xác nhận xóa" in response.text
    assert IndustrialArea.objects.filter(pk=area.pk).exists()


def test_it_works(client, staff):
    area = make_area()
    client.force_login(staff)
    response = client.post(_url(area))
    assert response.status_code == 302
    assert response.url == reverse("facilities:area_list")
    assert not IndustrialArea.objects.filter(pk=area.pk).exists()
    deleted = IndustrialArea.history.filter(id=area.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", staff)
    assert "Đã xóa Khu công nghiệp Quế Võ." in client.get(response.url).text


def test_it_refuses_while_facilities_belong_to_it(client, staff):
    area = make_area()
    facilities = FacilityFactory.create_batch(2, industrial_area=area)
    client.force_login(staff)
    page = client.get(_url(area))
    assert "Không thể xóa “Khu công nghiệp Quế Võ” vì còn 2 cơ sở thuộc khu/cụm này." in page.text
    assert "Xác nhận xóa" not in page.text
    response = client.post(_url(area))
    assert response.status_code == 200
    assert "Không thể xóa" in response.text
    assert IndustrialArea.objects.filter(pk=area.pk).exists()
    for facility in facilities:
        facility.refresh_from_db()
        assert facility.industrial_area == area


def test_it_requires_login(client):
    area = make_area()
    response = client.post(_url(area))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert IndustrialArea.objects.filter(pk=area.pk).exists()


def test_it_requires_staff(client, official, facility_user):
    area = make_area()
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(_url(area)).status_code == 403
        assert client.post(_url(area)).status_code == 403
    assert IndustrialArea.objects.filter(pk=area.pk).exists()


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    assert client.post(reverse("facilities:area_delete", args=[999999])).status_code == 404
