import unicodedata

import pytest
from django.urls import reverse

from facilities.models import IndustrialArea

from .area_helpers import make_area, make_district, make_foreign_district

pytestmark = pytest.mark.django_db

URL = reverse("facilities:area_create")


def _data(**overrides):
    return {"kind": "ccn", "name": "Cụm công nghiệp Phố Nối", **overrides}


def test_it_works(client, staff):
    district = make_district()
    client.force_login(staff)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _data(district=district.pk))
    assert response.status_code == 302
    area = IndustrialArea.objects.get()
    assert (area.name, area.kind, area.district) == ("Cụm công nghiệp Phố Nối", "ccn", district)
    assert area.history.get().history_user == staff
    assert "Đã thêm Cụm công nghiệp Phố Nối." in client.get(response.url).text


def test_it_stores_nfc(client, staff):
    client.force_login(staff)
    decomposed = unicodedata.normalize("NFD", "  Làng nghề gốm Phù Lãng ")
    client.post(URL, _data(kind="craft", name=decomposed))
    assert IndustrialArea.objects.get().name == "Làng nghề gốm Phù Lãng"


def test_it_requires_login(client):
    response = client.post(URL, _data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not IndustrialArea.objects.exists()


def test_it_requires_staff(client, official, facility_user):
    for user in (official, facility_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, _data()).status_code == 403
    assert not IndustrialArea.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "Cụm công nghiệp Phố Nối",
        "CỤM CÔNG NGHIỆP PHỐ NỐI",
        "cụm công nghiệp phố nối ",
        unicodedata.normalize("NFD", "Cụm công nghiệp Phố Nối"),
    ],
)
def test_it_rejects_duplicate_name(client, staff, name):
    make_area(name="Cụm công nghiệp Phố Nối", kind="ccn")
    client.force_login(staff)
    response = client.post(URL, _data(name=name))
    assert response.status_code == 200
    assert "Tên này trùng với khu/cụm công nghiệp “Cụm công nghiệp Phố Nối” đã có." in (
        response.text
    )
    assert IndustrialArea.objects.count() == 1


def test_it_rejects_bad_input(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"kind": "xyz", "name": "   "})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "name"}
    assert not IndustrialArea.objects.exists()


def test_it_offers_only_districts_of_the_province(client, staff):
    own, foreign = make_district(), make_foreign_district()
    client.force_login(staff)
    form = client.get(URL).context["form"]
    assert list(form.fields["district"].queryset) == [own]
    response = client.post(URL, _data(district=foreign.pk))
    assert "district" in response.context["form"].errors
    assert not IndustrialArea.objects.exists()
