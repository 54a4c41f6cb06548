"""The merged province of the territory tests: Hải Phòng since 1 July 2025, made of old Hải Dương
(30) and old Hải Phòng (31), loaded from `vietnam-provinces` as `load_admin_units` loads it."""

import pytest

from facilities.models import AdminUnit
from facilities.reference import load_admin_units

from ..factories import CommuneFactory, DistrictFactory, ProvinceFactory

# Pre-2025 communes (scheme pre2025) and 2025 wards (scheme 2025); the numbers overlap.
CAM_THUONG = "10507"  # Phường Cẩm Thượng, TP Hải Dương (old 30) → Phường Thành Đông
BINH_HAN = "10510"  # Phường Bình Hàn, TP Hải Dương (old 30) → Phường Thành Đông
TRAN_PHU = "10528"  # Phường Trần Phú (old 30) → Phường Lê Thanh Nghị and Phường Tân Hưng
TRAN_CHAU = "11941"  # Xã Trân Châu, huyện Cát Hải (old 31) → Đặc khu Cát Hải
THANH_DONG = "10507"  # 2025: Phường Thành Đông
LE_THANH_NGHI = "10532"  # 2025
TAN_HUNG = "10537"  # 2025
CAT_HAI = "11914"  # 2025: Đặc khu Cát Hải
TU_MINH = "10891"  # 2025: Phường Tứ Minh
BACH_LONG_VI = "11948"  # 2025: Đặc khu Bạch Long Vĩ, the one 2025 code that is no old code
BAC_NINH_COMMUNE = "09001"  # a pre-2025 commune of old Bắc Ninh (27): outside Hải Phòng
BAC_NINH_WARD = "09169"  # a 2025 ward of Bắc Ninh (24): outside Hải Phòng


@pytest.fixture
def hai_phong(db, settings):
    settings.PORTAL_PROVINCE = None
    settings.PORTAL_PROVINCE_CODE = 30  # old Hải Dương: means Hải Phòng (31) since 2025
    load_admin_units(30)
    district = DistrictFactory(code="256", name="Huyện Quế Võ", parent=ProvinceFactory())
    CommuneFactory(code=BAC_NINH_COMMUNE, name="Xã Phương Liễu", parent=district)
    bac_ninh = AdminUnit.objects.create(
        code="24", name="Tỉnh Bắc Ninh", level="province", scheme=AdminUnit.Scheme.V2025
    )
    AdminUnit.objects.create(
        code=BAC_NINH_WARD,
        name="Phường Kinh Bắc",
        level="commune",
        scheme=AdminUnit.Scheme.V2025,
        parent=bac_ninh,
    )


def old(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=AdminUnit.Scheme.PRE2025, level="commune", code=code)


def new(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=AdminUnit.Scheme.V2025, level="commune", code=code)
