"""An activity is placed by the units of its date (DESIGN §3): one held on or after 1 July 2025
in a 2025 commune/ward (districts were abolished), one held before in an old district. The ward
decides the province that holds it (Activity.province); the list filters by ward too; the list
and the detail page show the place."""

import pytest
from django.urls import reverse

from assessments.models import Activity
from facilities.models import AdminUnit

from ..factories import ActivityFactory, DistrictFactory, ProvinceFactory
from .national_helpers import HAI_PHONG, hai_phong_ward, national, staff_hp

__all__ = ["national", "staff_hp"]  # fixtures

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("assessments:activity_create")
LIST_URL = reverse("assessments:activity_list")
TITLE = "Hội thảo SXSH cho doanh nghiệp Phù Lãng"


@pytest.fixture(autouse=True)
def bac_ninh(settings):
    settings.PORTAL_PROVINCE = 24
    settings.PORTAL_PROVINCE_CODE = None


def _ward(code="09193", name="Phường Kinh Bắc", province="24", province_name="Tỉnh Bắc Ninh"):
    parent = ProvinceFactory(code=province, name=province_name, scheme=AdminUnit.Scheme.V2025)
    return AdminUnit.objects.create(
        code=code,
        name=name,
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=parent,
    )


@pytest.fixture
def ward(db):
    return _ward()


@pytest.fixture
def district(db):
    return DistrictFactory(code="256", name="Huyện Quế Võ")


def _form(day="2025-10-15", district=None, ward=None) -> dict:
    return {
        "kind": "workshop",
        "title": TITLE,
        "date": day,
        "district": district.pk if district else "",
        "ward": ward.pk if ward else "",
        "budget_province_vnd": "0",
        "budget_national_vnd": "0",
        "budget_enterprise_vnd": "0",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }


def test_the_form_offers_wards_and_says_which_dates(client, staff, ward, district):
    client.force_login(staff)
    response = client.get(CREATE_URL)
    form = response.context["form"]
    assert list(form.fields["ward"].queryset) == [ward]
    assert list(form.fields["district"].queryset) == [district]
    assert "từ ngày 01/07/2025" in response.text
    assert "trước ngày 01/07/2025" in response.text


def test_a_later_activity_is_placed_in_a_ward(client, staff, ward):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(ward=ward))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert (activity.ward, activity.district, activity.province) == (ward, None, "24")
    detail = client.get(activity.get_absolute_url())
    assert "Phường Kinh Bắc" in detail.text
    row = client.get(LIST_URL)
    assert "Phường Kinh Bắc" in row.text


def test_a_later_activity_refuses_a_district(client, staff, district):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(district=district))
    assert response.status_code == 200
    errors = response.context["form"].errors["district"]
    assert any("1/7/2025" in error and "Xã/phường mới" in error for error in errors), errors
    assert not Activity.objects.exists()


def test_an_earlier_activity_refuses_a_ward(client, staff, ward):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(day="2024-10-15", ward=ward))
    assert response.status_code == 200
    errors = response.context["form"].errors["ward"]
    assert any("1/7/2025" in error and "Huyện cũ" in error for error in errors), errors
    assert not Activity.objects.exists()


def test_the_day_of_the_change_takes_a_ward(client, staff, ward, district):
    client.force_login(staff)
    assert (
        "district" in client.post(CREATE_URL, _form("2025-07-01", district)).context["form"].errors
    )
    assert client.post(CREATE_URL, _form("2025-07-01", ward=ward)).status_code == 302
    assert client.post(CREATE_URL, _form("2025-06-30", district)).status_code == 302
    assert Activity.objects.count() == 2


def test_the_place_stays_optional(client, staff, ward):
    client.force_login(staff)
    assert client.post(CREATE_URL, _form()).status_code == 302
    activity = Activity.objects.get()
    assert (activity.ward, activity.district) == (None, None)
    assert "—" in client.get(activity.get_absolute_url()).text


def test_the_ward_decides_the_holding_province(ward):
    hai_phong = hai_phong_ward()
    activity = ActivityFactory(date="2025-09-01", ward=hai_phong)
    assert activity.province == HAI_PHONG
    activity.ward = ward
    activity.save()
    assert activity.province == "24"


def test_a_national_staff_member_cannot_use_another_provinces_ward(
    client, national, staff_hp, ward
):
    own = hai_phong_ward()
    client.force_login(staff_hp)
    assert list(client.get(CREATE_URL).context["form"].fields["ward"].queryset) == [own]
    response = client.post(CREATE_URL, _form(ward=ward))
    assert response.status_code == 200
    assert "ward" in response.context["form"].errors
    assert not Activity.objects.exists()
    assert client.post(CREATE_URL, _form(ward=own)).status_code == 302
    assert Activity.objects.get().province == HAI_PHONG


def test_the_list_filters_by_ward(client, staff, ward, district):
    other = _ward(code="09194", name="Phường Võ Cường")
    here = ActivityFactory(title="Ở Kinh Bắc", date="2025-10-01", ward=ward)
    ActivityFactory(title="Ở Võ Cường", date="2025-11-01", ward=other)
    old = ActivityFactory(title="Ở Quế Võ", date="2019-11-01", district=district)
    client.force_login(staff)
    response = client.get(f"{LIST_URL}?ward={ward.pk}")
    assert list(response.context["page"].object_list) == [here]
    assert set(response.context["form"].fields["ward"].queryset) == {ward, other}
    shown = client.get(LIST_URL).text
    assert "Phường Võ Cường" in shown and "Huyện Quế Võ" in shown
    assert list(client.get(f"{LIST_URL}?district={district.pk}").context["page"]) == [old]
