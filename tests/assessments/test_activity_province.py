"""A programme activity belongs to the province that holds it (Activity.province) in a national
installation (DESIGN §2): another province's staff read it only when one of their facilities
took part, see only their own facilities among its participants, and may not change it (403);
an activity without a district belongs to its creator's province."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Role
from assessments.models import Activity, Participation

from ..factories import (
    ActivityFactory,
    CommuneFactory,
    DistrictFactory,
    FacilityFactory,
    ProvinceFactory,
    UserFactory,
)
from .national_helpers import BAC_NINH, HAI_PHONG, hai_phong_ward, national, staff_bn, staff_hp

__all__ = ["national", "staff_bn", "staff_hp"]  # fixtures

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("assessments:activity_create")
HP_NAMES = ("Cảng Đình Vũ Hải Phòng", "Xi măng Hải Phòng")
TITLE = "Hội thảo SXSH tại Kim Thành"


@pytest.fixture
def places(db):
    """(old Kim Thành district of old Hải Dương 30, now Hải Phòng 31; a 2025 ward of Hải Phòng;
    an old commune of old Bắc Ninh 27, now 24)."""
    hai_duong = ProvinceFactory(code="30", name="Tỉnh Hải Dương")
    kim_thanh = DistrictFactory(code="293", name="Huyện Kim Thành", parent=hai_duong)
    return kim_thanh, hai_phong_ward(), CommuneFactory()


@pytest.fixture
def hp_facilities(places):
    _, ward, _ = places
    return [FacilityFactory(name=name, commune=None, ward=ward) for name in HP_NAMES]


def _form(district=None, facilities=(), title=TITLE) -> dict:
    data = {
        "kind": "workshop",
        "title": title,
        "date": "2019-05-10",
        "district": district.pk if district else "",
        "budget_province_vnd": "0",
        "budget_national_vnd": "0",
        "budget_enterprise_vnd": "0",
        "budget_other_vnd": "0",
        "participants-TOTAL_FORMS": str(len(facilities)),
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for n, facility in enumerate(facilities):
        data[f"participants-{n}-facility"] = facility.pk
        data[f"participants-{n}-people"] = "3"
    return data


def _url(name, activity) -> str:
    return reverse(f"assessments:{name}", args=[activity.pk])


@pytest.fixture
def moved(client, national, places, hp_facilities, staff_hp):
    """Hải Phòng staff hold an activity in Kim Thành with two Hải Phòng facilities; then one of
    them moves to Bắc Ninh (as an import would place it)."""
    kim_thanh, _, bac_ninh_commune = places
    client.force_login(staff_hp)
    assert client.post(CREATE_URL, _form(kim_thanh, hp_facilities)).status_code == 302
    client.logout()
    facility = hp_facilities[0]
    facility.ward, facility.commune = None, bac_ninh_commune
    facility.save()
    assert facility.province == BAC_NINH
    return Activity.objects.get()


def test_the_activity_belongs_to_the_province_of_its_district(moved):
    assert moved.province == HAI_PHONG


def test_another_province_reads_only_its_own_participants(client, moved, staff_bn):
    client.force_login(staff_bn)
    response = client.get(_url("activity_detail", moved))
    assert response.status_code == 200
    assert HP_NAMES[0] in response.text
    assert HP_NAMES[1] not in response.text
    assert response.context["totals"]["facilities"] == 1
    assert _url("activity_edit", moved) not in response.text
    assert _url("activity_delete", moved) not in response.text


def test_the_list_counts_only_its_own_participants_for_another_province(client, moved, staff_bn):
    client.force_login(staff_bn)
    (row,) = client.get(reverse("assessments:activity_list")).context["page"]
    assert (row.facility_count, row.people) == (1, 3)


def test_the_holding_province_lists_every_participant(client, moved, staff_hp):
    client.force_login(staff_hp)
    (row,) = client.get(reverse("assessments:activity_list")).context["page"]
    assert (row.facility_count, row.people) == (2, 6)


@pytest.mark.parametrize("name", ["activity_edit", "activity_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_province_may_not_change_it(client, moved, staff_bn, places, name, method):
    client.force_login(staff_bn)
    before = (
        list(Activity.objects.values()),
        list(Participation.objects.order_by("pk").values()),
    )
    url = _url(name, moved)
    response = (
        client.post(url, _form(places[0], title="Đổi")) if method == "post" else client.get(url)
    )
    assert response.status_code == 403
    after = (
        list(Activity.objects.values()),
        list(Participation.objects.order_by("pk").values()),
    )
    assert after == before


def test_the_holding_province_still_manages_it(client, moved, staff_hp):
    client.force_login(staff_hp)
    response = client.get(_url("activity_detail", moved))
    assert all(name in response.text for name in HP_NAMES)
    assert _url("activity_edit", moved) in response.text
    assert client.post(_url("activity_delete", moved)).status_code == 302
    assert not Activity.objects.exists()


def test_an_activity_without_district_belongs_to_its_creators_province(
    client, national, places, staff_hp, staff_bn
):
    client.force_login(staff_hp)
    assert client.post(CREATE_URL, _form()).status_code == 302
    activity = Activity.objects.get()
    assert client.get(_url("activity_detail", activity)).status_code == 200
    assert TITLE in client.get(reverse("assessments:activity_list")).text
    assert activity.province == HAI_PHONG
    edited = _form(title="Hội thảo SXSH (sửa)") | {"version": activity.version}
    assert client.post(_url("activity_edit", activity), edited).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Hội thảo SXSH (sửa)" and activity.province == HAI_PHONG

    client.force_login(staff_bn)
    assert client.get(_url("activity_detail", activity)).status_code == 404
    assert client.get(_url("activity_edit", activity)).status_code == 404
    assert "Hội thảo SXSH (sửa)" not in client.get(reverse("assessments:activity_list")).text


def test_the_ministrys_province_filter_finds_it(client, national, places, staff_hp, staff_bn):
    ministry = UserFactory(username="bo_ct", role=Role.MINISTRY)
    client.force_login(staff_hp)
    client.post(CREATE_URL, _form(), follow=True)
    client.force_login(staff_bn)
    client.post(CREATE_URL, _form(title="Tập huấn SXSH Bắc Ninh"), follow=True)
    client.force_login(ministry)
    listed = client.get(reverse("assessments:activity_list"), {"province": HAI_PHONG}).text
    assert TITLE in listed
    assert "Tập huấn SXSH Bắc Ninh" not in listed


# --- the migration's backfill ----------------------------------------------------------------


def test_the_migration_backfills_the_province(settings, places, hp_facilities):
    settings.PORTAL_PROVINCE = BAC_NINH
    kim_thanh, _, _ = places
    bn_facility = FacilityFactory()
    held = ActivityFactory(district=kim_thanh)
    hp_only = ActivityFactory()
    mixed = ActivityFactory()
    nobody = ActivityFactory()
    for facility in hp_facilities:
        Participation.objects.create(activity=hp_only, facility=facility)
    for facility in (hp_facilities[0], bn_facility):
        Participation.objects.create(activity=mixed, facility=facility)
    Activity.objects.update(province="")  # as the new column leaves them
    migration = importlib.import_module("assessments.migrations.0021_activity_province")

    migration.fill_activity_provinces(apps, None)

    provinces = dict(Activity.objects.values_list("pk", "province"))
    assert provinces == {
        held.pk: HAI_PHONG,  # its district's
        hp_only.pk: HAI_PHONG,  # the one province of its participants
        mixed.pk: BAC_NINH,  # participants of two provinces: the portal's
        nobody.pk: BAC_NINH,
    }


def test_the_holding_province_saves_it_unchanged_after_a_participant_moved(
    client, moved, staff_hp, places
):
    """The moved facility is no longer among the Hải Phòng staff's choices, but its row stays
    valid: saving the activity unchanged keeps both participants."""
    kim_thanh, _, _ = places
    data = _form(kim_thanh)
    rows = list(moved.participation_set.order_by("pk"))
    data["participants-TOTAL_FORMS"] = data["participants-INITIAL_FORMS"] = str(len(rows))
    data["version"] = str(moved.version)
    for n, row in enumerate(rows):
        data[f"participants-{n}-id"] = str(row.pk)
        data[f"participants-{n}-facility"] = str(row.facility_id)
        data[f"participants-{n}-people"] = str(row.people)
    client.force_login(staff_hp)
    response = client.post(_url("activity_edit", moved), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert moved.participation_set.count() == 2
