"""The territory the portal serves (DESIGN §3): one 2025 province, the pre-2025 provinces that
merged into it, and their units.

Since 1 July 2025 Vietnam has 34 provinces whose communes/wards sit directly under the province.
The portal is configured with a 2025 province code (`PORTAL_PROVINCE`) or, as before, with a
pre-2025 code (`PORTAL_PROVINCE_CODE`) that means its 2025 successor. Facilities are placed by
a pre-2025 commune (optional, as recorded before 2025) and by a 2025 commune/ward.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet

from .models import AdminUnit

DEFAULT_PROVINCE = 24  # Bắc Ninh since 2025 (old Bắc Ninh 27 + old Bắc Giang 24)

Level = AdminUnit.Level
Scheme = AdminUnit.Scheme


class UnknownProvince(ValueError):
    """A province code that is neither a 2025 nor a pre-2025 province (Vietnamese message)."""


@lru_cache(maxsize=128)
def successor_of_legacy(legacy_code: int) -> int:
    """The 2025 province a pre-2025 province became (the one that kept most of it)."""
    from vietnam_provinces import Province

    found = Province.search_from_legacy(code=int(legacy_code))
    codes = [item.province.code.value for item in found]
    if not codes:
        raise UnknownProvince(
            f"Không có tỉnh/thành phố mã {legacy_code} trong danh mục đơn vị hành chính "
            "trước 1/7/2025."
        )
    # A province that kept its code is its own successor; a few old provinces lost a commune or
    # two to a neighbour, which the package lists too.
    return legacy_code if legacy_code in codes else max(set(codes), key=codes.count)


@lru_cache(maxsize=64)
def province_2025(code: int):
    """The package's 2025 province for `code`."""
    from vietnam_provinces import Province, ProvinceCode

    try:
        return Province.from_code(ProvinceCode(int(code)))
    except (TypeError, ValueError) as exc:
        raise UnknownProvince(
            f"Không có tỉnh/thành phố mã {code} trong danh mục đơn vị hành chính từ 1/7/2025."
        ) from exc


def resolve_province(code: int | None = None, *, legacy: bool = False) -> int:
    """A 2025 province code: `code` itself (or its successor when `legacy`), else the setting."""
    if code is not None:
        return successor_of_legacy(int(code)) if legacy else province_2025(code).code.value
    if settings.PORTAL_PROVINCE:
        return province_2025(settings.PORTAL_PROVINCE).code.value
    if settings.PORTAL_PROVINCE_CODE:
        return successor_of_legacy(int(settings.PORTAL_PROVINCE_CODE))
    return DEFAULT_PROVINCE


def portal_province_code() -> str:
    """The portal's 2025 province as a two-digit code ("24")."""
    return f"{resolve_province():02d}"


@lru_cache(maxsize=64)
def _legacy_codes(code_2025: int) -> tuple[str, ...]:
    return tuple(
        sorted(f"{p.code.value:02d}" for p in province_2025(code_2025).get_legacy_sources())
    )


def legacy_province_codes() -> tuple[str, ...]:
    """The pre-2025 provinces that merged into the portal's province ("24", "27")."""
    return _legacy_codes(resolve_province())


def portal_province() -> AdminUnit | None:
    """The portal's 2025 province as loaded by `load_admin_units` (None before loading)."""
    return AdminUnit.objects.filter(
        scheme=Scheme.V2025, level=Level.PROVINCE, code=portal_province_code()
    ).first()


def portal_province_name() -> str:
    """The 2025 province's name, from the loaded units or else the package."""
    unit = portal_province()
    return unit.name if unit else province_2025(resolve_province()).name


def old_provinces() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025, level=Level.PROVINCE, code__in=legacy_province_codes()
    )


def old_districts() -> QuerySet[AdminUnit]:
    """The pre-2025 districts of the old provinces that make up the portal's province."""
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025, level=Level.DISTRICT, parent__code__in=legacy_province_codes()
    ).order_by("parent__code", "name")


def old_communes() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025,
        level=Level.COMMUNE,
        parent__parent__level=Level.PROVINCE,
        parent__parent__code__in=legacy_province_codes(),
    )


def wards() -> QuerySet[AdminUnit]:
    """The 2025 communes/wards of the portal's province."""
    return AdminUnit.objects.filter(
        scheme=Scheme.V2025,
        level=Level.COMMUNE,
        parent__level=Level.PROVINCE,
        parent__code=portal_province_code(),
    ).order_by("name")
