"""Industrial areas in a national installation (DESIGN §2): an area belongs to the province of its
district; another province's staff neither list, edit nor delete it (404), nor place a new area
or a facility in it, and in such an installation every new area names its district."""

import pytest
from django.urls import reverse

from facilities.models import IndustrialArea

from ..assessments.national_helpers import national, staff_bn, staff_hp
from ..factories import DistrictFactory, ProvinceFactory

__all__ = ["national", "staff_bn", "staff_hp"]  # fixtures

pytestmark = pytest.mark.django_db
LIST = reverse("facilities:area_list")
CREATE = reverse("facilities:area_create")


@pytest.fixture
def areas(db):
    """An area of old Bắc Ninh (27, now 24) and one of old Hải Dương (30, now 31)."""
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    que_vo = DistrictFactory(code="256", name="Huyện Quế Võ")
    kim_thanh = DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong)
    return (
        IndustrialArea.objects.create(kind="kcn", name="KCN Quế Võ", district=que_vo),
        IndustrialArea.objects.create(kind="ccn", name="CCN Kim Thành", district=kim_thanh),
    )


def test_each_province_lists_its_own_areas(client, national, areas, staff_bn, staff_hp):
    client.force_login(staff_hp)
    page = client.get(LIST).text
    assert "CCN Kim Thành" in page and "KCN Quế Võ" not in page
    client.force_login(staff_bn)
    page = client.get(LIST).text
    assert "KCN Quế Võ" in page and "CCN Kim Thành" not in page


def test_another_provinces_area_is_404(client, national, areas, staff_hp):
    que_vo, _kim_thanh = areas
    client.force_login(staff_hp)
    edit = reverse("facilities:area_edit", args=[que_vo.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"kind": "ccn", "name": "Đổi tên", "district": ""}).status_code == 404
    delete = reverse("facilities:area_delete", args=[que_vo.pk])
    assert client.post(delete).status_code == 404
    que_vo.refresh_from_db()
    assert que_vo.name == "KCN Quế Võ"


def test_a_new_area_lies_in_the_users_province(client, national, areas, staff_hp):
    que_vo, kim_thanh = areas
    client.force_login(staff_hp)
    response = client.post(
        CREATE, {"kind": "kcn", "name": "KCN Mới", "district": que_vo.district_id}
    )
    assert "district" in response.context["form"].errors
    response = client.post(CREATE, {"kind": "kcn", "name": "KCN Mới", "district": ""})
    assert "district" in response.context["form"].errors
    assert not IndustrialArea.objects.filter(name="KCN Mới").exists()
    response = client.post(
        CREATE, {"kind": "kcn", "name": "KCN Mới", "district": kim_thanh.district_id}
    )
    assert response.status_code == 302
    assert IndustrialArea.objects.get(name="KCN Mới").district == kim_thanh.district


def test_the_facility_list_offers_only_the_provinces_areas(client, national, areas, staff_hp):
    client.force_login(staff_hp)
    page = client.get(reverse("facilities:list")).text
    assert "CCN Kim Thành" in page and "KCN Quế Võ" not in page


def test_a_one_province_installation_keeps_every_area(client, areas, staff):
    client.force_login(staff)
    page = client.get(LIST).text
    assert "KCN Quế Võ" in page and "CCN Kim Thành" in page
    response = client.post(CREATE, {"kind": "craft", "name": "Làng nghề Đồng Kỵ", "district": ""})
    assert response.status_code == 302
