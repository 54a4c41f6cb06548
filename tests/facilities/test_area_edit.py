import pytest
from django.urls import reverse

from tests.factories import FacilityFactory

from .area_helpers import make_area, make_district

pytestmark = pytest.mark.django_db


def _url(area):
    return reverse("facilities:area_edit", args=[area.pk])


def test_it_works(client, staff):
    area = make_area(name="Khu công nghiệp Quế Võ")
    district = make_district()
    client.force_login(staff)
    assert client.get(_url(area)).status_code == 200
    data = {"kind": "kcn", "name": "Khu công nghiệp Quế Võ II", "district": district.pk}
    response = client.post(_url(area), data)
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.district) == ("Khu công nghiệp Quế Võ II", district)


def test_it_shows_history(client, staff):
    area = make_area(name="Khu công nghiệp Quế Võ")
    client.force_login(staff)
    client.post(_url(area), {"kind": "kcn", "name": "Khu công nghiệp Quế Võ III"})
    response = client.get(_url(area))
    history = response.context["history"]
    assert [entry["user"] for entry in history] == [
        staff.full_name or staff.username,
        "",
    ]  # edit, then the creation
    assert ("Tên", "Khu công nghiệp Quế Võ", "Khu công nghiệp Quế Võ III") in history[0]["changes"]
    assert "Khu công nghiệp Quế Võ → Khu công nghiệp Quế Võ III" in response.text


def test_keeping_its_own_name_is_not_a_duplicate(client, staff):
    area = make_area(name="Khu công nghiệp Quế Võ")
    client.force_login(staff)
    response = client.post(_url(area), {"kind": "kkt", "name": "KHU CÔNG NGHIỆP QUẾ VÕ"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.kind, area.name) == ("kkt", "KHU CÔNG NGHIỆP QUẾ VÕ")


def test_it_keeps_facilities(client, staff):
    area = make_area()
    facility = FacilityFactory(industrial_area=area)
    client.force_login(staff)
    client.post(_url(area), {"kind": "kcn", "name": "Khu công nghiệp Yên Phong"})
    facility.refresh_from_db()
    assert facility.industrial_area == area


def test_it_requires_login(client):
    area = make_area()
    response = client.get(_url(area))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_requires_staff(client, official, facility_user):
    area = make_area()
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(_url(area)).status_code == 403
        assert client.post(_url(area), {"kind": "ccn", "name": "Đổi tên"}).status_code == 403
    area.refresh_from_db()
    assert area.name == "Khu công nghiệp Quế Võ"


def test_it_hides_missing_area(client, staff):
    client.force_login(staff)
    assert client.get(reverse("facilities:area_edit", args=[999999])).status_code == 404


def test_it_rejects_bad_input(client, staff):
    area = make_area(name="Khu công nghiệp Quế Võ")
    make_area(name="Khu công nghiệp Tiên Sơn")
    client.force_login(staff)
    response = client.post(_url(area), {"kind": "kcn", "name": "khu công nghiệp tiên sơn"})
    assert "Tên này trùng với khu/cụm công nghiệp “Khu công nghiệp Tiên Sơn” đã có." in (
        response.text
    )
    response = client.post(_url(area), {"kind": "kcn", "name": ""})
    assert "name" in response.context["form"].errors
    area.refresh_from_db()
    assert area.name == "Khu công nghiệp Quế Võ"
