"""A renamed administrative unit is renamed in the search text of the facilities placed in it
(Facility.search_text): after `load_admin_units` puts back a unit's name, and after an admin edits
a unit's name or parent, the facility list's search finds them by the new name, not the old."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from facilities.models import AdminUnit, Facility
from facilities.reference import rebuild_search_for_units

from ..factories import CommuneFactory, DistrictFactory, FacilityFactory, UserFactory
from .territory_helpers import hai_phong, new, old  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LIST = reverse("facilities:list")
DUONG_KINH = "11692"  # 2025: Phường Dương Kinh; pre-2025: Phường Hải Thành, Quận Dương Kinh
STALE = "Phường Tên Cũ Bỏ Đi"


def listed(client, query: str) -> list[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return [facility.name for facility in response.context["page"].object_list]


def listed_as(client, user, query: str) -> list[str]:
    client.force_login(user)
    return listed(client, query)


def _make_stale(unit: AdminUnit, facility: Facility) -> str:
    """Give `unit` an out-of-date name behind the model's back, as an older package version left
    it, with the facility's search text built on it; returns the unit's real name."""
    real = unit.name
    AdminUnit.objects.filter(pk=unit.pk).update(name=STALE)
    Facility.objects.filter(pk=facility.pk).rebuild_search_text()
    assert Facility.objects.search(STALE).filter(pk=facility.pk).exists()
    return real


def _load() -> str:
    out = StringIO()
    call_command("load_admin_units", stdout=out)
    return out.getvalue()


# --- load_admin_units -----------------------------------------------------------------------


def test_reloading_a_renamed_ward_renames_it_in_the_search(hai_phong, client, staff):  # noqa: F811
    ward = new(DUONG_KINH)
    facility = FacilityFactory(name="Công ty TNHH Cơ khí Ven Biển", commune=None, ward=ward)
    real = _make_stale(ward, facility)

    output = _load()

    assert "xã/phường/đặc khu (từ 1/7/2025): tạo mới 0, cập nhật 1" in output
    assert AdminUnit.objects.get(pk=ward.pk).name == real
    client.force_login(staff)
    assert listed(client, real) == [facility.name]
    assert listed(client, "duong kinh") == [facility.name]
    assert listed(client, STALE) == []


@pytest.mark.parametrize(
    ("depth", "label"),
    [
        (0, "xã/phường/thị trấn (trước 1/7/2025)"),
        (1, "quận/huyện (trước 1/7/2025)"),
        (2, "tỉnh/thành phố (trước 1/7/2025)"),
    ],
)
def test_reloading_a_renamed_old_unit_renames_it_in_the_search(
    hai_phong,  # noqa: F811
    client,
    staff,
    depth,
    label,
):
    # A facility recorded only by its old commune is found by the commune, its district and its
    # old province: any of the three renamed back is renamed in its search text.
    commune = old(DUONG_KINH)
    facility = FacilityFactory(name="Công ty TNHH Cơ khí Ven Biển", commune=commune, ward=None)
    unit = commune
    for _ in range(depth):
        unit = unit.parent
    real = _make_stale(unit, facility)

    output = _load()

    assert f"{label}: tạo mới 0, cập nhật 1" in output
    client.force_login(staff)
    assert listed(client, real) == [facility.name]
    assert listed(client, STALE) == []


# --- The Django admin -----------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_h5", role=Role.STAFF, is_staff=True, is_superuser=True)


def _admin_change(client, unit: AdminUnit, **changes):
    url = reverse("admin:facilities_adminunit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return client.post(url, {k: "" if v is None else v for k, v in data.items()})


@pytest.fixture
def placed(settings):
    """A facility recorded by its old commune (in a district of old Bắc Ninh) and its 2025 ward."""
    settings.PORTAL_PROVINCE_CODE = 27
    province = AdminUnit.objects.create(
        code="24", name="Tỉnh Bắc Ninh", level="province", scheme=AdminUnit.Scheme.V2025
    )
    ward = AdminUnit.objects.create(
        code="09169",
        name="Phường Kinh Bắc",
        level="commune",
        scheme=AdminUnit.Scheme.V2025,
        parent=province,
    )
    district = DistrictFactory(name="Thành phố Bắc Ninh")
    commune = CommuneFactory(name="Phường Vệ An", parent=district)
    facility = FacilityFactory(name="Công ty Cổ phần Gốm Đồng Kỵ", commune=commune, ward=ward)
    return facility


@pytest.mark.parametrize("field", ["ward", "commune", "district"])
def test_renaming_a_unit_in_the_admin_renames_it_in_the_search(client, superuser, placed, field):
    unit = {
        "ward": placed.ward,
        "commune": placed.commune,
        "district": placed.commune.parent,
    }[field]
    before = unit.name
    assert listed_as(client, superuser, before) == [placed.name]

    response = _admin_change(client, unit, name="Phường Hoà Bình Mới")

    assert response.status_code == 302
    assert AdminUnit.objects.get(pk=unit.pk).name == "Phường Hoà Bình Mới"
    assert listed(client, "hoa binh moi") == [placed.name]
    assert listed(client, before) == []


def test_moving_a_commune_in_the_admin_names_its_new_district_in_the_search(
    client, superuser, placed
):
    other = DistrictFactory(name="Huyện Yên Phong", parent=placed.commune.parent.parent)
    assert listed_as(client, superuser, "Yên Phong") == []

    response = _admin_change(client, placed.commune, parent=other.pk)

    assert response.status_code == 302
    assert listed(client, "Yên Phong") == [placed.name]
    assert listed(client, "Thành phố Bắc Ninh") == []


# --- In bulk --------------------------------------------------------------------------------


def test_the_rebuild_costs_the_same_queries_for_one_facility_or_many(db):
    def renamed_district_queries(facilities: int) -> int:
        district = DistrictFactory()
        for _ in range(facilities):
            FacilityFactory(commune=CommuneFactory(parent=district))
        AdminUnit.objects.filter(pk=district.pk).update(name=f"Huyện Đổi Tên {facilities}")
        with CaptureQueriesContext(connection) as queries:
            changed = rebuild_search_for_units([district.pk])
        assert changed == facilities
        return len(queries)

    assert renamed_district_queries(1) == renamed_district_queries(4)
