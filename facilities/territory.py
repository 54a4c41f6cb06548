"""The territory the portal serves (DESIGN §3): one 2025 province, the pre-2025 provinces that
merged into it, and their units.

Since 1 July 2025 Vietnam has 34 provinces whose communes/wards sit directly under the province.
The portal is configured with a 2025 province code (`PORTAL_PROVINCE`) or, as before, with a
pre-2025 code (`PORTAL_PROVINCE_CODE`) that means its 2025 successor. Facilities are placed by
a pre-2025 commune (optional, as recorded before 2025) and by a 2025 commune/ward.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext

from core.collation import vietnamese

from .models import AdminUnit, Facility, IndustrialArea
from .provinces import legacy_codes_of, province_2025, province_2025_name, successor_of_legacy

DEFAULT_PROVINCE = 24  # Bắc Ninh since 2025 (old Bắc Ninh 27 + old Bắc Giang 24)
# Since 1 July 2025 communes/wards sit directly under the province (DESIGN §3): documents dated
# from then on are issued by the 2025 province, and a year from 2025 on is counted by 2025
# commune/ward, an earlier one by the old districts of its time.
TERRITORY_CHANGE = date(2025, 7, 1)
TERRITORY_CHANGE_YEAR = TERRITORY_CHANGE.year

Level = AdminUnit.Level
Scheme = AdminUnit.Scheme


def resolve_province(code: int | None = None, *, legacy: bool = False) -> int:
    """A 2025 province code: `code` itself (or its successor when `legacy`), else the setting."""
    if code is not None:
        return successor_of_legacy(int(code)) if legacy else province_2025(code).code.value
    if settings.PORTAL_PROVINCE:
        return province_2025(settings.PORTAL_PROVINCE).code.value
    if settings.PORTAL_PROVINCE_CODE:
        return successor_of_legacy(int(settings.PORTAL_PROVINCE_CODE))
    return DEFAULT_PROVINCE


def configured_legacy_code() -> str | None:
    """The pre-2025 province named by PORTAL_PROVINCE_CODE ("27"), None when not set."""
    code = settings.PORTAL_PROVINCE_CODE
    return f"{int(code):02d}" if code else None


def portal_province_code() -> str:
    """The portal's 2025 province as a two-digit code ("24")."""
    return f"{resolve_province():02d}"


# A national installation's import commands and its Ministry: the units of every province.
ALL = "*"

# What the other functions take as `province` (province_for): None (the portal's province), one
# 2025 code ("24"; "" for none at all), ALL, or several codes (a facility representative whose
# facilities lie in more than one province: the union of their units).
Province = str | tuple[str, ...] | None


def province_for(user) -> Province:
    """The territory whose units `user` picks from (the one answer for forms, filters and
    imports), for the other functions' `province`: None (the portal's province) in a
    one-province installation; in a national one a staff member's or official's own province,
    a facility representative's the province of their facilities (a tuple when they lie in
    several, "" when none is placed), ALL for the Ministry, superusers and the command line
    (`user` None)."""
    if settings.PORTAL_SCOPE != "national":
        return None
    if user is None:
        return ALL
    if getattr(user, "is_facility_user", False):
        return _facility_provinces(user)
    scoped = user.scoped_province
    return ALL if scoped is None else scoped


def _facility_provinces(user) -> str | tuple[str, ...]:
    codes = (
        Facility.objects.visible_to(user)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
    codes = tuple(codes)
    return codes[0] if len(codes) == 1 else codes or ""


def province_choices(province: Province) -> QuerySet[AdminUnit] | None:
    """The 2025 provinces a user of `province` chooses among before the place lists narrow to
    one (the Ministry's registry list, DESIGN §2): every loaded one for ALL, a representative's
    own for several; None when `province` is one province (nothing to choose)."""
    if province == ALL:
        return provinces_2025()
    if isinstance(province, tuple):
        return provinces_2025().filter(code__in=province)
    return None


def _codes(province: Province) -> tuple[str, ...]:
    """The 2025 codes of `province` other than ALL."""
    if isinstance(province, tuple):
        return province
    return (portal_province_code() if province is None else province,)


def legacy_province_codes(province: Province = None) -> tuple[str, ...]:
    """The pre-2025 provinces that merged into the portal's province ("24", "27"), or into the
    2025 `province`; every loaded old province for ALL."""
    if province == ALL:
        return tuple(
            AdminUnit.objects.filter(scheme=Scheme.PRE2025, level=Level.PROVINCE)
            .order_by("code")
            .values_list("code", flat=True)
        )
    if province is None:
        return legacy_codes_of(resolve_province())
    return tuple(code for each in _codes(province) for code in legacy_codes_of(each))


def portal_province() -> AdminUnit | None:
    """The portal's 2025 province as loaded by `load_admin_units` (None before loading)."""
    return AdminUnit.objects.filter(
        scheme=Scheme.V2025, level=Level.PROVINCE, code=portal_province_code()
    ).first()


def portal_province_name() -> str:
    """The 2025 province's name, from the loaded units or else the package."""
    unit = portal_province()
    return unit.name if unit else province_2025_name(resolve_province())


def territory_name(province: Province = None) -> str:
    """The name of the territory of `province` (as the other functions take it)."""
    if province is None:
        return portal_province_name()
    if province == ALL:
        return gettext("cả nước")
    if isinstance(province, tuple):
        return ", ".join(territory_name(code) for code in province)
    try:
        return province_2025_name(province)
    except ValueError:
        return province


def old_provinces(province: Province = None) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025, level=Level.PROVINCE, code__in=legacy_province_codes(province)
    )


def old_districts(province: Province = None) -> QuerySet[AdminUnit]:
    """The pre-2025 districts of the old provinces that make up the portal's province."""
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025,
        level=Level.DISTRICT,
        parent__code__in=legacy_province_codes(province),
    ).order_by("parent__code", vietnamese("name"), "pk")


def namesake_district_names() -> QuerySet[AdminUnit]:
    """The names two or more loaded pre-2025 districts bear ("Huyện Châu Thành": in Bến Tre,
    Trà Vinh, Tiền Giang, ...), as a subquery of names."""
    return (
        AdminUnit.objects.filter(scheme=Scheme.PRE2025, level=Level.DISTRICT)
        .order_by()
        .values("name")
        .annotate(units=Count("pk"))
        .filter(units__gt=1)
        .values("name")
    )


def unit_label(path: str = ""):
    """The name a unit (the AdminUnit at `path`, e.g. "commune__parent"; "" for the queried units
    themselves) is shown by, as an expression: its name; a pre-2025 district whose name another
    loaded pre-2025 district bears, with its old province's, "Huyện Châu Thành (Tỉnh Bến Tre)",
    so that two of them never read alike in a table, a list or a select. One query with the
    rest (the namesakes are a subquery PostgreSQL reads once)."""
    prefix = f"{path}__" if path else ""
    namesake = Q(
        **{
            f"{prefix}scheme": Scheme.PRE2025,
            f"{prefix}level": Level.DISTRICT,
            f"{prefix}parent__isnull": False,
            f"{prefix}name__in": namesake_district_names(),
        }
    )
    qualified = Concat(
        F(f"{prefix}name"),
        Value(" ("),
        F(f"{prefix}parent__name"),
        Value(")"),
        output_field=CharField(),
    )
    return Case(
        When(namesake, then=qualified), default=F(f"{prefix}name"), output_field=CharField()
    )


def old_district_labels(names) -> dict[tuple[str, str], str]:
    """(district name, old province name) -> unit_label() of the pre-2025 districts named
    `names` (one query): for text that names a district by its name alone (the annex)."""
    units = (
        AdminUnit.objects.filter(scheme=Scheme.PRE2025, level=Level.DISTRICT, name__in=set(names))
        .exclude(parent=None)
        .annotate(label=unit_label())
        .values_list("name", "parent__name", "label")
    )
    return {(name, province): label for name, province, label in units}


def industrial_areas(province: Province = None) -> QuerySet[IndustrialArea]:
    """The industrial areas a user of `province` works with: every area in a one-province
    installation and for ALL; in a national one those in the province's old districts, and those
    placed in no district (the district is optional), which no province owns. In Vietnamese
    alphabetical order ("KCN Đình Trám" before "KCN Quế Võ")."""
    areas = IndustrialArea.objects.all()
    if settings.PORTAL_SCOPE == "national" and province not in (None, ALL):
        areas = areas.filter(Q(district__in=old_districts(province)) | Q(district__isnull=True))
    return areas.order_by(vietnamese("name"), "pk")


def old_communes(province: Province = None) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(
        scheme=Scheme.PRE2025,
        level=Level.COMMUNE,
        parent__parent__level=Level.PROVINCE,
        parent__parent__code__in=legacy_province_codes(province),
    )


def wards(province: Province = None) -> QuerySet[AdminUnit]:
    """The 2025 communes/wards of the portal's province (or of `province`; ALL: every one)."""
    units = AdminUnit.objects.filter(
        scheme=Scheme.V2025, level=Level.COMMUNE, parent__level=Level.PROVINCE
    )
    if province != ALL:
        units = units.filter(parent__code__in=_codes(province))
    return units.order_by(vietnamese("name"), "pk")


def provinces_2025() -> QuerySet[AdminUnit]:
    """The loaded 2025 provinces (every one in a national installation), by code."""
    return AdminUnit.objects.filter(scheme=Scheme.V2025, level=Level.PROVINCE).order_by("code")


def loaded_province_codes() -> set[str]:
    """The 2025 provinces whose units are loaded (every one in a national installation)."""
    return set(
        AdminUnit.objects.filter(scheme=Scheme.V2025, level=Level.PROVINCE).values_list(
            "code", flat=True
        )
    )


def cache_name(province: Province) -> str:
    """`province` in a cache entry's name ("24", "*", "24+31")."""
    return "+".join(province) if isinstance(province, tuple) else str(province)
