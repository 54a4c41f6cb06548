"""Reference data: administrative units (from the `vietnam-provinces` package) and VSIC 2018
industry codes (from `facilities/data/vsic2018.csv`).

Both loaders are idempotent: running them again creates and changes nothing.
"""

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

from core.data_version import data_changed
from core.text import nfc

from .models import AdminUnit, Facility, IndustryCode
from .provinces import UnknownProvince, province_2025, province_2025_name
from .territory import resolve_province

VSIC_VERSION = "VSIC2018"
VSIC_CSV = Path(__file__).resolve().parent / "data" / "vsic2018.csv"

# VSIC 2018 divisions flagged as plan priority sectors on first load (DOMAIN.md "Priority
# sectors"): mining 05–08; food processing 10 (seafood, starch, sugar, dairy, latex) and
# beverages/beer 11; textiles and dyeing 13 (dyeing is 1313, inside division 13); tanning 15;
# pulp and paper 17; chemicals and fertilisers 20; rubber and plastics 22; building materials
# (cement, bricks, lime) 23; metallurgy 24; plating and engineering 25 (plating is 2592).
# Wearing apparel (14) is left out: sewing is not a high-pollution process. Staff can change
# the flag; re-loading never overrides their choice.
PRIORITY_DIVISIONS = frozenset(
    {"05", "06", "07", "08", "10", "11", "13", "15", "17", "20", "22", "23", "24", "25"}
)

Level = AdminUnit.Level
Scheme = AdminUnit.Scheme


# --------------------------------------------------------------------------------------------
# Administrative units
# --------------------------------------------------------------------------------------------


class UnitSpec(NamedTuple):
    code: str
    name: str
    parent_id: int | None = None


def load_admin_units(province_code: int | None = None, *, legacy: bool = True) -> dict[str, int]:
    """Load a 2025 province with its communes/wards, every pre-2025 province that merged into it
    with their districts and communes, and the old→new links (an old commune may have become
    part of several 2025 units). `province_code` is a pre-2025 code meaning its 2025 successor
    (`legacy=True`, the command's historic meaning) or a 2025 code; None: the portal's province.

    Returns counts keyed like ``"commune_created"`` / ``"commune_2025_updated"`` and
    ``"links_created"``. Raises ValueError (Vietnamese message) for an unknown province code.
    """
    from vietnam_provinces import ProvinceCode as NewProvinceCode
    from vietnam_provinces import Ward as NewWard
    from vietnam_provinces.legacy import District, Ward
    from vietnam_provinces.legacy.codes import ProvinceCode

    try:
        code = resolve_province(province_code, legacy=legacy)
    except UnknownProvince as exc:
        raise ValueError(str(exc)) from exc
    province = province_2025(code)
    legacy_provinces = sorted(province.get_legacy_sources(), key=lambda p: p.code.value)
    new_wards = sorted(NewWard.iter_by_province(NewProvinceCode(code)), key=lambda w: w.code.value)

    counts: Counter[str] = Counter()
    with transaction.atomic():
        new_province = _sync(
            Scheme.V2025,
            Level.PROVINCE,
            [UnitSpec(f"{code:02d}", province_2025_name(code))],
            counts,
        )[f"{code:02d}"]
        new_by_code = _sync(
            Scheme.V2025,
            Level.COMMUNE,
            [UnitSpec(f"{w.code.value:05d}", w.name, new_province.pk) for w in new_wards],
            counts,
        )
        old_by_code: dict[str, AdminUnit] = {}
        for old in legacy_provinces:
            legacy_code = ProvinceCode(old.code.value)
            old_province = _sync(
                Scheme.PRE2025,
                Level.PROVINCE,
                [UnitSpec(f"{legacy_code.value:02d}", old.name)],
                counts,
            )[f"{legacy_code.value:02d}"]
            districts = sorted(District.iter_by_province(legacy_code), key=lambda d: d.code.value)
            district_units = _sync(
                Scheme.PRE2025,
                Level.DISTRICT,
                [UnitSpec(f"{d.code.value:03d}", d.name, old_province.pk) for d in districts],
                counts,
            )
            communes = sorted(Ward.iter_by_province(legacy_code), key=lambda w: w.code.value)
            old_by_code |= _sync(
                Scheme.PRE2025,
                Level.COMMUNE,
                [
                    UnitSpec(
                        f"{w.code.value:05d}",
                        w.name,
                        district_units[f"{w.district_code.value:03d}"].pk,
                    )
                    for w in communes
                ],
                counts,
            )
        links = {
            (old_by_code[f"{source.code.value:05d}"].pk, new_by_code[f"{ward.code.value:05d}"].pk)
            for ward in new_wards
            for source in ward.get_legacy_sources()
            if f"{source.code.value:05d}" in old_by_code
        }
        counts["links_created"] += _sync_links(
            links, [u.pk for u in old_by_code.values()], [u.pk for u in new_by_code.values()]
        )
    return _count_dict(counts) | {"province_2025_code": code}


def load_all_admin_units() -> dict[str, int]:
    """`load_admin_units` for every 2025 province (a national installation, DESIGN §2); the
    counts added up. An old province split between two 2025 provinces keeps its links to both."""
    from vietnam_provinces import Province

    totals: Counter[str] = Counter()
    codes = sorted(province.code.value for province in Province.iter_all())
    for code in codes:
        counts = load_admin_units(code, legacy=False)
        counts.pop("province_2025_code")
        totals.update(counts)
    return _count_dict(totals) | {"provinces_2025": len(codes)}


def _sync_links(wanted: set[tuple[int, int]], old_ids: list[int], new_ids: list[int]) -> int:
    """Make the links from `old_ids` to `new_ids` (one 2025 province's units) exactly `wanted`,
    leaving an old commune's links to other provinces alone; returns how many were added."""
    Link = AdminUnit.successors.through
    existing = set(
        Link.objects.filter(from_adminunit_id__in=old_ids, to_adminunit_id__in=new_ids).values_list(
            "from_adminunit_id", "to_adminunit_id"
        )
    )
    stale = existing - wanted
    if stale:
        for old_id, new_id in stale:
            Link.objects.filter(from_adminunit_id=old_id, to_adminunit_id=new_id).delete()
    Link.objects.bulk_create(
        [Link(from_adminunit_id=a, to_adminunit_id=b) for a, b in sorted(wanted - existing)],
        batch_size=1000,
    )
    if stale or wanted - existing:
        data_changed(facilities=())  # successors: the facilities' stored provinces stay
    return len(wanted - existing)


def _sync(scheme: str, level: str, specs: list[UnitSpec], counts: Counter) -> dict[str, AdminUnit]:
    """Create missing units and update changed ones (keyed on scheme + code) in bulk."""
    existing = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(scheme=scheme, code__in=[s.code for s in specs])
    }
    to_create, to_update, moved = [], [], []
    for spec in specs:
        wanted = {"name": spec.name, "level": level, "parent_id": spec.parent_id}
        unit = existing.get(spec.code)
        if unit is None:
            to_create.append(AdminUnit(code=spec.code, scheme=scheme, **wanted))
        elif any(getattr(unit, field) != value for field, value in wanted.items()):
            if unit.parent_id != spec.parent_id:
                moved.append(unit.pk)
            for field, value in wanted.items():
                setattr(unit, field, value)
            to_update.append(unit)
    AdminUnit.objects.bulk_create(to_create)
    # Bulk writes send no signals. New units hold no facility yet; a changed one (name, parent)
    # changes the group keys of facilities in it (all of them, as far as this knows).
    data_changed(facilities=None if to_update else ())
    if to_update:
        AdminUnit.objects.bulk_update(to_update, ["name", "level", "parent_id"], batch_size=500)
        rebuild_search_for_units(unit.pk for unit in to_update)
        rebuild_province_for_units(moved)
    label = level if scheme == Scheme.PRE2025 else f"{level}_2025"
    counts[f"{label}_created"] += len(to_create)
    counts[f"{label}_updated"] += len(to_update)
    return existing | {unit.code: unit for unit in to_create}


def rebuild_search_for_units(unit_ids: Iterable[int]) -> int:
    """After units were renamed or moved (a reference load, the admin): compute again the search
    text of the facilities whose place names (AdminUnit.search_names) may name one of them,
    placed in the unit itself (old commune or 2025 ward) or in a commune under it (an old
    district, an old province), in few queries; returns how many changed."""
    ids = {pk for pk in unit_ids if pk}
    if not ids:
        return 0
    places = _units_under(ids)
    facilities = Facility.objects.filter(Q(commune_id__in=places) | Q(ward_id__in=places))
    return facilities.rebuild_search_text()


# Sent after units moved to another parent, in the same transaction, with `places`: the ids of
# the moved units and of the units under them. Records of apps above this one placed in a unit
# (the activities held there: assessments.signals) follow the move as the facilities do.
units_moved = Signal()


def rebuild_province_for_units(unit_ids: Iterable[int]) -> int:
    """After units were moved to another parent (the admin, a reference load): compute again the
    2025 province (Facility.province, AdminUnit.province_2025_code) of the facilities placed in
    one of them or in a unit under it, and of those recorded by an old commune that became one
    of those units (an old commune's province follows its 2025 units), in few queries; returns
    how many changed."""
    ids = {pk for pk in unit_ids if pk}
    if not ids:
        return 0
    places = _units_under(ids)
    facilities = Facility.objects.filter(
        Q(commune_id__in=places)
        | Q(ward_id__in=places)
        | Q(commune_id__in=AdminUnit.objects.filter(successors__in=places).values("pk"))
    )
    changed = facilities.rebuild_province()
    units_moved.send(sender=AdminUnit, places=list(places.values_list("pk", flat=True)))
    return changed


def _units_under(ids: set[int]):
    """The units `ids` and those under them (a province's districts and communes), as a
    subquery of their ids."""
    return AdminUnit.objects.filter(
        Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids)
    ).values("pk")


def _count_dict(counts: Counter) -> dict[str, int]:
    keys = [
        f"{label}_{action}"
        for label in ("province", "district", "commune", "province_2025", "commune_2025")
        for action in ("created", "updated")
    ]
    return {key: counts.get(key, 0) for key in [*keys, "links_created"]}


# --------------------------------------------------------------------------------------------
# VSIC 2018 industry codes
# --------------------------------------------------------------------------------------------


def read_vsic_rows(path: Path = VSIC_CSV) -> list[dict[str, str]]:
    """Rows of the shipped VSIC file: code, name, level (int), parent (code or "")."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {
                "code": row["code"].strip(),
                "name": nfc(row["name"]),
                "level": int(row["level"]),
                "parent": row["parent"].strip(),
            }
            for row in csv.DictReader(handle)
        ]


def load_industry_codes(path: Path = VSIC_CSV) -> int:
    """Create or update the VSIC 2018 codes from the shipped file; returns how many rows were
    created or changed. `is_priority` is set only when a division is first created."""
    with transaction.atomic():
        return upsert_industry_codes(IndustryCode, read_vsic_rows(path))


def upsert_industry_codes(model, rows: Iterable[dict]) -> int:
    """Idempotent upsert of VSIC rows into `model` (the real or a migration's historical model).

    Parents are resolved level by level, so rows may come in any order.
    """
    existing = {c.code: c for c in model.objects.filter(version=VSIC_VERSION)}
    changed = 0
    for row in sorted(rows, key=lambda r: (r["level"], r["code"])):
        parent = existing.get(row["parent"]) if row["parent"] else None
        code = existing.get(row["code"])
        wanted = {"name": row["name"], "level": row["level"], "parent_id": parent and parent.pk}
        if code is None:
            code = model.objects.create(
                version=VSIC_VERSION,
                code=row["code"],
                is_priority=row["level"] == 2 and row["code"] in PRIORITY_DIVISIONS,
                **wanted,
            )
            existing[code.code] = code
            changed += 1
        elif any(getattr(code, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(code, field, value)
            code.save(update_fields=["name", "level", "parent"])
            changed += 1
    return changed
