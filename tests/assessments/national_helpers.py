"""Two provinces of a national installation (PORTAL_SCOPE=national, DESIGN §2): a Bắc Ninh
facility (an old commune of old Bắc Ninh 27, now 24) and a Hải Phòng one (a 2025 ward of 31),
and a staff member of each province."""

import pytest

from accounts.models import Role
from facilities.models import AdminUnit

from ..factories import FacilityFactory, ProvinceFactory, UserFactory

BAC_NINH, HAI_PHONG = "24", "31"


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


BN_FACILITY, HP_FACILITY = "Gốm Phù Lãng Bắc Ninh", "Đóng tàu Hải Phòng"


def hai_phong_ward() -> AdminUnit:
    """A 2025 ward of Hải Phòng (31), with its province."""
    hai_phong = ProvinceFactory(
        code=HAI_PHONG, name="Thành phố Hải Phòng", scheme=AdminUnit.Scheme.V2025
    )
    return AdminUnit.objects.create(
        code="11311",
        name="Phường Hồng Bàng",
        level=AdminUnit.Level.COMMUNE,
        scheme=AdminUnit.Scheme.V2025,
        parent=hai_phong,
    )


def two_province_facilities() -> tuple:
    """(a Bắc Ninh facility in an old commune of old Bắc Ninh, a Hải Phòng one in a 2025 ward)."""
    ward = hai_phong_ward()
    return (
        FacilityFactory(name=BN_FACILITY),
        FacilityFactory(name=HP_FACILITY, commune=None, ward=ward),
    )


@pytest.fixture
def two_provinces(db):
    return two_province_facilities()


@pytest.fixture
def staff_bn(db):
    return UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH)


@pytest.fixture
def staff_hp(db):
    return UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG)
