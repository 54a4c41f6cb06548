"""A unit moved to another parent in the Django admin moves its facilities to its new 2025 province
(Facility.province, which a national installation's scopes and per-province figures read): those
placed in the unit, in a unit under it, or recorded by an old commune that became it; in bulk, and
in the transaction of the unit's save."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments.models import Activity
from facilities import admin as facilities_admin
from facilities import reference
from facilities.models import AdminUnit, Facility

from ..factories import (
    ActivityFactory,
    CommuneFactory,
    DistrictFactory,
    FacilityFactory,
    ProvinceFactory,
    UserFactory,
)
from .territory_helpers import hai_phong, new  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

V2025 = AdminUnit.Scheme.V2025
DUONG_KINH = "11692"  # 2025: Phường Dương Kinh (Hải Phòng, 31)


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="quantri_unit_move", role=Role.STAFF, is_staff=True, is_superuser=True
    )


@pytest.fixture
def provinces(settings):
    """A national installation with 2025 Bắc Ninh (24) and Hải Phòng (31)."""
    settings.PORTAL_SCOPE = "national"
    settings.PORTAL_PROVINCE = None
    settings.PORTAL_PROVINCE_CODE = 27
    bac_ninh = AdminUnit.objects.create(
        code="24", name="Tỉnh Bắc Ninh", level="province", scheme=V2025
    )
    hai_phong_2025 = AdminUnit.objects.create(
        code="31", name="Thành phố Hải Phòng", level="province", scheme=V2025
    )
    ward = AdminUnit.objects.create(
        code="09169", name="Phường Kinh Bắc", level="commune", scheme=V2025, parent=bac_ninh
    )
    return {"24": bac_ninh, "31": hai_phong_2025, "ward": ward}


def _admin_move(client, user, unit: AdminUnit, parent: AdminUnit, **options):
    client.force_login(user)
    url = reverse("admin:facilities_adminunit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["parent"] = parent.pk
    return client.post(url, {k: "" if v is None else v for k, v in data.items()}, **options)


def _province(facility: Facility) -> str:
    return Facility.objects.get(pk=facility.pk).province


def test_moving_a_ward_moves_its_facilities_to_the_new_province(client, superuser, provinces):
    facility = FacilityFactory(name="Công ty Cổ phần Gốm Kinh Bắc", ward=provinces["ward"])
    assert _province(facility) == "24"
    hai_phong_staff = UserFactory(username="canbo_hp_move", role=Role.STAFF, province="31")
    detail = reverse("facilities:detail", args=[facility.pk])
    client.force_login(hai_phong_staff)
    assert client.get(detail).status_code == 404

    response = _admin_move(client, superuser, provinces["ward"], provinces["31"])

    assert response.status_code == 302
    assert _province(facility) == "31"
    assert _province(facility) == facility.compute_province()
    # Hải Phòng's staff now see it; Bắc Ninh's no longer do.
    client.force_login(hai_phong_staff)
    assert client.get(detail).status_code == 200
    client.force_login(UserFactory(username="canbo_bn_move", role=Role.STAFF, province="24"))
    assert client.get(detail).status_code == 404


def test_moving_a_ward_moves_the_facilities_recorded_by_an_old_commune_it_came_from(
    client, superuser, provinces
):
    commune = CommuneFactory(name="Phường Vệ An")
    commune.successors.add(provinces["ward"])
    facility = FacilityFactory(commune=commune, ward=None)
    elsewhere = FacilityFactory(commune=CommuneFactory(), ward=None)
    assert (_province(facility), _province(elsewhere)) == ("24", "24")

    response = _admin_move(client, superuser, provinces["ward"], provinces["31"])

    assert response.status_code == 302
    assert (_province(facility), _province(elsewhere)) == ("31", "24")


def test_moving_an_old_district_moves_the_facilities_of_its_communes(client, superuser, provinces):
    # Old communes without known 2025 units: their province follows the old province's
    # successor (old Bắc Ninh 27 → 24; old Hải Phòng 31 → 31).
    district = DistrictFactory(name="Huyện Thủy Nguyên Thử", parent=ProvinceFactory())
    placed = [FacilityFactory(commune=CommuneFactory(parent=district)) for _ in range(2)]
    old_hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    assert {_province(f) for f in placed} == {"24"}

    response = _admin_move(client, superuser, district, old_hai_phong)

    assert response.status_code == 302
    assert {_province(f) for f in placed} == {"31"}


def test_renaming_a_unit_keeps_the_province(client, superuser, provinces):
    facility = FacilityFactory(ward=provinces["ward"])
    client.force_login(superuser)
    url = reverse("admin:facilities_adminunit_change", args=[provinces["ward"].pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["name"] = "Phường Kinh Bắc Mới"
    response = client.post(url, {k: "" if v is None else v for k, v in data.items()})
    assert response.status_code == 302
    assert _province(facility) == "24"


def test_the_move_and_the_provinces_are_one_transaction(client, superuser, provinces, monkeypatch):
    facility = FacilityFactory(ward=provinces["ward"])

    def fail(unit_ids):
        raise RuntimeError("provinces not rebuilt")

    monkeypatch.setattr(facilities_admin, "rebuild_province_for_units", fail)
    with pytest.raises(RuntimeError):
        _admin_move(client, superuser, provinces["ward"], provinces["31"])

    assert AdminUnit.objects.get(pk=provinces["ward"].pk).parent == provinces["24"]
    assert _province(facility) == "24"


def test_the_rebuild_costs_the_same_queries_for_one_facility_or_many(provinces):
    def moved_ward_queries(facilities: int) -> int:
        ward = AdminUnit.objects.create(
            code=f"0917{facilities}",
            name=f"Phường Thử {facilities}",
            level="commune",
            scheme=V2025,
            parent=provinces["24"],
        )
        for _ in range(facilities):
            FacilityFactory(ward=ward)
        AdminUnit.objects.filter(pk=ward.pk).update(parent=provinces["31"])
        with CaptureQueriesContext(connection) as queries:
            changed = reference.rebuild_province_for_units([ward.pk])
        assert changed == facilities
        return len(queries)

    assert moved_ward_queries(1) == moved_ward_queries(4)


def test_a_reload_that_moves_a_ward_back_moves_its_facilities_back(hai_phong):  # noqa: F811
    # A ward left under another province (an older package version): loading the units again
    # puts it back under Hải Phòng (31), and its facilities with it.
    ward = new(DUONG_KINH)
    facility = FacilityFactory(commune=None, ward=ward)
    bac_ninh = AdminUnit.objects.get(scheme=V2025, level="province", code="24")
    AdminUnit.objects.filter(pk=ward.pk).update(parent=bac_ninh)
    Facility.objects.filter(pk=facility.pk).rebuild_province()
    assert _province(facility) == "24"

    reference.load_admin_units(30)

    assert AdminUnit.objects.get(pk=ward.pk).parent.code == "31"
    assert _province(facility) == "31"


def test_moving_a_ward_moves_the_activities_held_there(client, superuser, provinces):
    """Activity.province (who manages it, which province's document counts it and its budget)
    follows its ward as the facilities' province does."""
    held = ActivityFactory(date=date(2025, 9, 1), district=None, ward=provinces["ward"])
    assert Activity.objects.get(pk=held.pk).province == "24"

    response = _admin_move(client, superuser, provinces["ward"], provinces["31"])

    assert response.status_code == 302
    moved = Activity.objects.get(pk=held.pk)
    assert moved.province == "31" == moved.holding_province()
