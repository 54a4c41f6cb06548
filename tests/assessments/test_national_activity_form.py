"""assessments:activity_create in a national installation: the district of an activity is one
of the staff member's own province (DESIGN §2: forms offer only their province's units), so an
activity cannot be placed in another province, where that province's staff would see it."""

import pytest
from django.urls import reverse

from assessments.models import Activity

from ..factories import DistrictFactory, ProvinceFactory
from .national_helpers import national, staff_hp

__all__ = ["national", "staff_hp"]  # fixtures

URL = reverse("assessments:activity_create")
pytestmark = pytest.mark.django_db


@pytest.fixture
def districts(db):
    """An old district of old Bắc Ninh (27, now 24) and one of old Hải Dương (30, now 31)."""
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    return (
        DistrictFactory(code="256", name="Huyện Quế Võ"),
        DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong),
    )


def _form(district) -> dict:
    return {
        "kind": "workshop",
        "title": "Hội thảo SXSH tại Kim Thành",
        "date": "2019-05-10",
        "district": district.pk,
        "budget_province_vnd": "0",
        "budget_national_vnd": "0",
        "budget_enterprise_vnd": "0",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }


def test_it_offers_the_provinces_districts(client, national, districts, staff_hp):
    client.force_login(staff_hp)
    offered = client.get(URL).context["form"].fields["district"].queryset
    assert [d.name for d in offered] == ["Huyện Kim Thành"]


def test_it_works(client, national, districts, staff_hp):
    _, kim_thanh = districts
    client.force_login(staff_hp)
    assert client.post(URL, _form(kim_thanh)).status_code == 302
    assert Activity.objects.get().district == kim_thanh


def test_it_rejects_another_provinces_district(client, national, districts, staff_hp):
    que_vo, _ = districts
    client.force_login(staff_hp)
    response = client.post(URL, _form(que_vo))
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not Activity.objects.exists()
