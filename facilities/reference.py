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

from core.data_version import data_changed
from core.text import fold, nfc

from .models import AdminUnit, IndustryCode

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
    successor_id: int | None = None


def load_admin_units(province_code: int) -> dict[str, int]:
    """Load one pre-2025 province with its districts and communes, plus the 2025 province(s)
    and wards those communes became; link each old commune to its 2025 successor.

    Returns counts keyed like ``"commune_created"`` / ``"commune_2025_updated"``.
    Raises ValueError (Vietnamese message) for an unknown province code.
    """
    from vietnam_provinces.legacy import District, Province, Ward
    from vietnam_provinces.legacy.codes import ProvinceCode

    try:
        legacy_code = ProvinceCode(int(province_code))
        province = Province.from_code(legacy_code)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Không có tỉnh/thành phố mã {province_code} trong danh mục đơn vị hành chính "
            "trước 1/7/2025."
        ) from exc

    districts = sorted(District.iter_by_province(legacy_code), key=lambda d: d.code.value)
    wards = sorted(Ward.iter_by_province(legacy_code), key=lambda w: w.code.value)
    successors = {ward.code.value: _new_wards(ward.code.value) for ward in wards}

    counts: Counter[str] = Counter()
    with transaction.atomic():
        new_by_code = _load_2025_units(successors, counts)
        old_province = _sync(
            Scheme.PRE2025,
            Level.PROVINCE,
            [UnitSpec(f"{legacy_code.value:02d}", province.name)],
            counts,
        )[f"{legacy_code.value:02d}"]
        district_units = _sync(
            Scheme.PRE2025,
            Level.DISTRICT,
            [UnitSpec(f"{d.code.value:03d}", d.name, old_province.pk) for d in districts],
            counts,
        )
        commune_specs = []
        for ward in wards:
            successor = _pick_successor(ward.name, successors[ward.code.value])
            commune_specs.append(
                UnitSpec(
                    f"{ward.code.value:05d}",
                    ward.name,
                    district_units[f"{ward.district_code.value:03d}"].pk,
                    new_by_code[f"{successor.code.value:05d}"].pk if successor else None,
                )
            )
        _sync(Scheme.PRE2025, Level.COMMUNE, commune_specs, counts)
    return _count_dict(counts)


def _new_wards(old_ward_code: int) -> tuple:
    """The 2025 wards a pre-2025 commune became part of (empty when the package has no entry)."""
    from vietnam_provinces import Ward

    return tuple(result.ward for result in Ward.search_from_legacy(code=old_ward_code))


def _pick_successor(old_name: str, new_wards: tuple):
    """The single 2025 ward of an old commune; for a split commune, the part that kept its name
    (or None when that cannot be told)."""
    if len(new_wards) == 1:
        return new_wards[0]
    same_name = [w for w in new_wards if _bare_name(w.name) == _bare_name(old_name)]
    return same_name[0] if len(same_name) == 1 else None


def _bare_name(name: str) -> str:
    folded = fold(name)
    for prefix in ("thi tran ", "phuong ", "xa ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _load_2025_units(successors: dict[int, tuple], counts: Counter) -> dict[str, AdminUnit]:
    from vietnam_provinces import Province, ProvinceCode

    new_wards = {w.code.value: w for wards in successors.values() for w in wards}
    province_codes = sorted({w.province_code.value for w in new_wards.values()})
    provinces = _sync(
        Scheme.V2025,
        Level.PROVINCE,
        [UnitSpec(f"{c:02d}", Province.from_code(ProvinceCode(c)).name) for c in province_codes],
        counts,
    )
    specs = [
        UnitSpec(f"{code:05d}", ward.name, provinces[f"{ward.province_code.value:02d}"].pk)
        for code, ward in sorted(new_wards.items())
    ]
    return _sync(Scheme.V2025, Level.COMMUNE, specs, counts)


def _sync(scheme: str, level: str, specs: list[UnitSpec], counts: Counter) -> dict[str, AdminUnit]:
    """Create missing units and update changed ones (keyed on scheme + code) in bulk.

    A successor the package does not know (None) leaves an existing link alone.
    """
    existing = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(scheme=scheme, code__in=[s.code for s in specs])
    }
    to_create, to_update = [], []
    for spec in specs:
        wanted = {"name": spec.name, "level": level, "parent_id": spec.parent_id}
        if spec.successor_id is not None:
            wanted["successor_id"] = spec.successor_id
        unit = existing.get(spec.code)
        if unit is None:
            to_create.append(AdminUnit(code=spec.code, scheme=scheme, **wanted))
        elif any(getattr(unit, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(unit, field, value)
            to_update.append(unit)
    AdminUnit.objects.bulk_create(to_create)
    data_changed()  # bulk writes send no signals
    if to_update:
        AdminUnit.objects.bulk_update(
            to_update, ["name", "level", "parent_id", "successor_id"], batch_size=500
        )
    label = level if scheme == Scheme.PRE2025 else f"{level}_2025"
    counts[f"{label}_created"] += len(to_create)
    counts[f"{label}_updated"] += len(to_update)
    return existing | {unit.code: unit for unit in to_create}


def _count_dict(counts: Counter) -> dict[str, int]:
    keys = [
        f"{label}_{action}"
        for label in ("province", "district", "commune", "province_2025", "commune_2025")
        for action in ("created", "updated")
    ]
    return {key: counts.get(key, 0) for key in keys}


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
