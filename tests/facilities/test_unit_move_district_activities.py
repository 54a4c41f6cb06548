"""An old district moved to another old province in the Django admin moves the activities it
records (an old district, no 2025 ward) to the new province's successor, as it moves its
facilities (assessments.signals.on_units_moved)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import Activity
from facilities.models import AdminUnit

from ..factories import ActivityFactory, DistrictFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db

V2025 = AdminUnit.Scheme.V2025


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="quantri_district_move", role=Role.STAFF, is_staff=True, is_superuser=True
    )


@pytest.fixture
def provinces(settings):
    """A national installation with 2025 Bắc Ninh (24) and Hải Phòng (31)."""
    settings.PORTAL_SCOPE = "national"
    settings.PORTAL_PROVINCE = None
    settings.PORTAL_PROVINCE_CODE = 27
    for code, name in (("24", "Tỉnh Bắc Ninh"), ("31", "Thành phố Hải Phòng")):
        AdminUnit.objects.create(code=code, name=name, level="province", scheme=V2025)


def _admin_move(client, user, unit: AdminUnit, parent: AdminUnit):
    client.force_login(user)
    url = reverse("admin:facilities_adminunit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["parent"] = parent.pk
    return client.post(url, {k: "" if v is None else v for k, v in data.items()})


def test_moving_an_old_district_moves_the_activities_it_records(client, superuser, provinces):
    # Old Bắc Ninh (27) → 2025 Bắc Ninh (24); old Hải Phòng (31) → 2025 Hải Phòng (31).
    district = DistrictFactory(name="Huyện Thủy Nguyên Thử", parent=ProvinceFactory())
    held = ActivityFactory(date=date(2024, 9, 1), district=district, ward=None)
    elsewhere = ActivityFactory(
        date=date(2024, 9, 1), district=DistrictFactory(parent=ProvinceFactory()), ward=None
    )
    assert Activity.objects.get(pk=held.pk).province == "24"
    old_hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")

    response = _admin_move(client, superuser, district, old_hai_phong)

    assert response.status_code == 302
    moved = Activity.objects.get(pk=held.pk)
    assert moved.province == "31" == moved.holding_province()
    assert Activity.objects.get(pk=elsewhere.pk).province == "24"
