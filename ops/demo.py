"""Realistic, reproducible demo data: industrial areas, facilities and the three demo users.

`seed_demo(facilities=N, seed=S)` always produces the same facilities for the same seed and
province; running it again updates them in place (keyed on tax code) instead of duplicating.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import Role, User
from core.data_version import data_changed
from facilities.models import AdminUnit, Facility, IndustrialArea, IndustryCode
from facilities.reference import VSIC_VERSION, load_admin_units, load_industry_codes
from facilities.validators import tax_code_check_digit

from .demo_assessments import seed_demo_assessments
from .demo_reports import seed_demo_reports

DEMO_PASSWORD = "sxsh-demo-2026"
# (username, role, full name); `coso` represents the first demo facility.
DEMO_USERS = (
    ("canbo", Role.STAFF, "Nguyễn Thị Thu Hà"),
    ("coso", Role.FACILITY, "Trần Văn Dũng"),
    ("lanhdao", Role.OFFICIAL, "Lê Quang Vinh"),
)

Kind = IndustrialArea.Kind

# Industrial areas per pre-2025 province: (name, kind, district code, commune names).
AREAS = {
    27: (
        ("KCN Quế Võ", Kind.KCN, "259", ("Phường Phương Liễu", "Phường Phượng Mao")),
        ("KCN Tiên Sơn", Kind.KCN, "260", ("Xã Hoàn Sơn", "Xã Nội Duệ")),
        ("KCN Yên Phong", Kind.KCN, "258", ("Xã Long Châu", "Xã Yên Trung", "Xã Đông Phong")),
        ("KCN VSIP Bắc Ninh", Kind.KCN, "261", ("Phường Phù Chẩn",)),
        ("CCN Phong Khê", Kind.CCN, "256", ("Phường Phong Khê",)),
        ("CCN Châu Khê", Kind.CCN, "261", ("Phường Châu Khê",)),
        ("Làng nghề giấy Phong Khê", Kind.CRAFT, "256", ("Phường Phong Khê",)),
        ("Làng nghề thép Đa Hội", Kind.CRAFT, "261", ("Phường Châu Khê",)),
        ("Làng nghề gỗ mỹ nghệ Đồng Kỵ", Kind.CRAFT, "261", ("Phường Đồng Kỵ",)),
        ("Làng nghề đúc đồng Đại Bái", Kind.CRAFT, "263", ("Xã Đại Bái",)),
    ),
}
TAX_PREFIX = {27: "230"}  # tax offices number codes by province; Bắc Ninh's start with 230


@dataclass(frozen=True)
class Sector:
    division: str
    lines: tuple[tuple[str, str], ...]  # (word in the company name, main products)
    polluting: bool
    areas: tuple[str | None, ...] = (None,)
    energy_intensive: bool = False


SECTORS = (
    Sector(
        "17",
        (
            ("Giấy", "Giấy vệ sinh, giấy ăn"),
            ("Giấy bao bì", "Giấy bao bì, giấy kraft"),
            ("Bao bì giấy", "Thùng carton, bìa carton"),
        ),
        True,
        ("CCN Phong Khê", "Làng nghề giấy Phong Khê", None),
        True,
    ),
    Sector(
        "24",
        (("Thép", "Thép xây dựng, phôi thép"), ("Cán thép", "Thép cán nguội, thép dây")),
        True,
        ("CCN Châu Khê", "Làng nghề thép Đa Hội"),
        True,
    ),
    Sector(
        "25",
        (
            ("Cơ khí", "Linh kiện cơ khí"),
            ("Mạ kim loại", "Sản phẩm mạ kẽm, mạ niken"),
            ("Kết cấu thép", "Kết cấu thép, nhà xưởng"),
        ),
        True,
        ("KCN Quế Võ", "KCN Tiên Sơn", None),
    ),
    Sector(
        "13",
        (
            ("Dệt nhuộm", "Vải nhuộm, in hoa"),
            ("Dệt may", "Vải dệt thoi"),
            ("Sợi", "Sợi cotton, sợi pha"),
        ),
        True,
        ("KCN Quế Võ", None),
    ),
    Sector(
        "24",
        (("Đúc đồng", "Đồ đồng mỹ nghệ"), ("Đồ đồng Đại Bái", "Chuông, tượng, đồ thờ bằng đồng")),
        True,
        ("Làng nghề đúc đồng Đại Bái",),
    ),
    Sector("14", (("May mặc", "Quần áo may sẵn"), ("May xuất khẩu", "Áo jacket, sơ mi")), False),
    Sector(
        "10",
        (
            ("Thực phẩm", "Giò chả, thực phẩm chế biến"),
            ("Chế biến nông sản", "Nông sản sấy khô"),
            ("Bánh kẹo", "Bánh kẹo"),
            ("Sữa", "Sữa tươi, sữa chua"),
            ("Thức ăn chăn nuôi", "Thức ăn chăn nuôi"),
        ),
        False,
        ("KCN Tiên Sơn", None),
    ),
    Sector("11", (("Bia", "Bia hơi, bia chai"), ("Nước giải khát", "Nước giải khát")), True),
    Sector(
        "23",
        (
            ("Gạch tuynel", "Gạch nung tuynel"),
            ("Gạch ốp lát", "Gạch ốp lát ceramic"),
            ("Vật liệu xây dựng", "Bê tông thương phẩm, cấu kiện bê tông"),
        ),
        True,
        ("KCN Quế Võ", None),
        True,
    ),
    Sector(
        "22",
        (("Nhựa", "Ống nhựa, phụ kiện nhựa"), ("Bao bì nhựa", "Bao bì nhựa")),
        False,
        ("KCN Tiên Sơn", None),
    ),
    Sector(
        "26",
        (("Điện tử", "Bảng mạch in"), ("Linh kiện điện tử", "Linh kiện điện tử, camera module")),
        False,
        ("KCN Yên Phong", "KCN Quế Võ", "KCN VSIP Bắc Ninh"),
    ),
    Sector(
        "31",
        (("Đồ gỗ", "Bàn ghế gỗ"), ("Đồ gỗ mỹ nghệ", "Đồ gỗ mỹ nghệ")),
        False,
        ("Làng nghề gỗ mỹ nghệ Đồng Kỵ",),
    ),
    Sector("20", (("Hoá chất", "Hoá chất tẩy rửa"), ("Sơn", "Sơn nước, sơn chống gỉ")), True),
    Sector("15", (("Giày da", "Giày dép"), ("Túi da", "Túi xách, va li da")), True),
)

BRANDS = (
    "Kinh Bắc", "Phong Khê", "Đa Hội", "Quế Võ", "Tiên Sơn", "Từ Sơn", "Đông Á", "Hoàng Long",
    "Minh Phát", "Thành Công", "Việt Hưng", "An Phú", "Hưng Thịnh", "Phú Lâm", "Đại Phúc",
    "Thuận Thành", "Lạc Hồng", "Trường Sơn", "Tân Tiến", "Đồng Tiến", "Phúc Lộc", "Tiến Đạt",
    "Sao Mai", "Thái Bình Dương", "Nam Việt", "Bình Minh", "Đình Bảng", "Cẩm Giang",
)  # fmt: skip
FDI_BRANDS = ("Hanvico", "Minwoo Vina", "Taeyang Việt Nam", "Kosei Việt Nam", "Shinhwa Vina")
LF, OWN = Facility.LegalForm, Facility.Ownership
# (name prefix, legal form, ownership) usual for each size class of domestic enterprise.
DOMESTIC_FORMS = {
    "micro": (
        ("Doanh nghiệp tư nhân", LF.SOLE, OWN.PRIVATE),
        ("Hợp tác xã", LF.COOP, OWN.PRIVATE),
        ("Công ty TNHH MTV", LF.LLC1, OWN.PRIVATE),
    ),
    "small": (
        ("Công ty TNHH", LF.LLC2, OWN.PRIVATE),
        ("Công ty TNHH MTV", LF.LLC1, OWN.PRIVATE),
        ("Công ty Cổ phần", LF.JSC, OWN.PRIVATE),
        ("Doanh nghiệp tư nhân", LF.SOLE, OWN.PRIVATE),
        ("Hợp tác xã", LF.COOP, OWN.PRIVATE),
    ),
    "medium": (
        ("Công ty TNHH", LF.LLC2, OWN.PRIVATE),
        ("Công ty TNHH MTV", LF.LLC1, OWN.PRIVATE),
        ("Công ty Cổ phần", LF.JSC, OWN.PRIVATE),
        ("Công ty Cổ phần", LF.JSC, OWN.STATE),
    ),
    "large": (
        ("Công ty TNHH", LF.LLC2, OWN.PRIVATE),
        ("Công ty Cổ phần", LF.JSC, OWN.PRIVATE),
        ("Công ty Cổ phần", LF.JSC, OWN.STATE),
    ),
}
FDI_FORM = ("Công ty TNHH", LF.LLC1, OWN.FDI)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Bùi")
# (middle names, given names) by gender, so that a contact's name reads naturally.
PERSON_NAMES = (
    (("Văn", "Đức", "Minh", "Quang"), ("An", "Bình", "Cường", "Hải", "Long", "Nam", "Tuấn")),
    (("Thị", "Thu", "Ngọc", "Hồng"), ("Dung", "Hà", "Hương", "Lan", "Mai", "Yến", "Trang")),
)
STREETS = (
    "Đường Lý Thái Tổ", "Đường Nguyễn Gia Thiều", "Đường Kinh Dương Vương", "Quốc lộ 1A",
    "Quốc lộ 18", "Quốc lộ 38", "Đường Trần Hưng Đạo", "Tỉnh lộ 295", "Đường Lê Quang Đạo",
)  # fmt: skip
# Cycled so that every size class appears as soon as there are four facilities.
SIZE_CYCLE = ("small", "medium", "micro", "large", "small", "medium", "small", "large", "small")
SIZE_RANGES = {  # employees, revenue (bn VND), capital (bn VND) — consistent with NĐ 80/2021
    "micro": ((3, 10), (0.5, 3.0), (0.5, 3.0)),
    "small": ((15, 100), (5.0, 50.0), (3.0, 20.0)),
    "medium": ((110, 200), (55.0, 200.0), (25.0, 100.0)),
    "large": ((250, 3000), (250.0, 5000.0), (120.0, 2000.0)),
}


@dataclass
class Plan:
    tax_code: str
    sector: Sector
    fields: dict = field(default_factory=dict)


def seed_demo(*, facilities: int = 60, seed: int = 2016) -> dict:
    """Create or update the demo data; returns a summary (counts and the demo logins)."""
    province = settings.PORTAL_PROVINCE_CODE
    rng = random.Random(seed)
    with transaction.atomic():
        data_changed()  # the seed writes in bulk, which sends no signals
        admin_units = load_admin_units(province)
        load_industry_codes()
        areas, areas_created = _ensure_areas(province)
        plans = _plan_facilities(rng, facilities, province, areas)
        created, updated = _save_facilities(plans)
        first = Facility.objects.get(tax_code=plans[0].tax_code) if plans else None
        users = _ensure_users(first)
        saved = Facility.objects.select_related("industry", "commune__parent").in_bulk(
            [p.tax_code for p in plans], field_name="tax_code"
        )
        in_order = [saved[p.tax_code] for p in plans]
        reports = seed_demo_reports(rng, in_order)
        programme = seed_demo_assessments(rng, in_order)
    return {
        "admin_units": admin_units,
        "areas_created": areas_created,
        "facilities": len(plans),
        "facilities_created": created,
        "facilities_updated": updated,
        "users": users,
        **reports,
        **programme,
    }


# --- industrial areas ---------------------------------------------------------------------


def _ensure_areas(province: int) -> tuple[dict, int]:
    """Industrial areas of the province → {name: (area, [communes])}, and how many were new."""
    result, created = {}, 0
    for name, kind, district_code, commune_names in AREAS.get(province, ()):
        district = AdminUnit.objects.get(
            scheme=AdminUnit.Scheme.PRE2025, level=AdminUnit.Level.DISTRICT, code=district_code
        )
        area, is_new = IndustrialArea.objects.get_or_create(
            name=name, defaults={"kind": kind, "district": district}
        )
        created += is_new
        communes = list(
            AdminUnit.objects.filter(
                scheme=AdminUnit.Scheme.PRE2025,
                level=AdminUnit.Level.COMMUNE,
                parent__parent=district.parent,
                name__in=commune_names,
            ).order_by("code")
        )
        result[name] = (area, communes or _communes_of(district.parent))
    return result, created


def _province_communes(province: int) -> list[AdminUnit]:
    unit = AdminUnit.objects.get(
        scheme=AdminUnit.Scheme.PRE2025, level=AdminUnit.Level.PROVINCE, code=f"{province:02d}"
    )
    return _communes_of(unit)


def _communes_of(province_unit: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            scheme=AdminUnit.Scheme.PRE2025,
            level=AdminUnit.Level.COMMUNE,
            parent__parent=province_unit,
        ).order_by("code")
    )


# --- facilities ---------------------------------------------------------------------------


def _plan_facilities(rng: random.Random, count: int, province: int, areas: dict) -> list[Plan]:
    communes = _province_communes(province)
    divisions = {
        c.code: c
        for c in IndustryCode.objects.filter(version=VSIC_VERSION, level=2, code__in=_divisions())
    }
    used_names: set[str] = set()
    used_codes: set[str] = set()
    plans = []
    for index in range(count):
        sector = SECTORS[index % len(SECTORS)] if index < len(SECTORS) else rng.choice(SECTORS)
        size = SIZE_CYCLE[index % len(SIZE_CYCLE)]
        area, area_communes = areas.get(_area_name(rng, sector, size), (None, communes))
        if area is not None and area.kind == Kind.CRAFT and size in ("medium", "large"):
            size = "small"  # craft-village workshops are household-scale
        fdi = sector.division == "26" or (
            area is not None and area.kind == Kind.KCN and rng.random() < 0.3
        )
        word, products = rng.choice(sector.lines)
        name, legal_form, ownership = _company_name(rng, word, size, fdi, used_names)
        plan = Plan(_tax_code(rng, province, used_codes), sector)
        plan.fields = {
            "name": name,
            "address": _address(rng, area),
            "commune": rng.choice(area_communes),
            "industrial_area": area,
            "industry": divisions[sector.division],
            "ownership": ownership,
            "legal_form": legal_form,
            "established_year": rng.choice((*range(1995, 2016), 2016, 2017)),
            "main_products": products,
            "high_pollution_risk": rng.random() < (0.7 if sector.polluting else 0.05),
            "key_energy_user": False,
            "status": Facility.Status.ACTIVE,
            "closed_year": None,
            **_size_fields(rng, size),
            **_contact(rng, index),
        }
        plans.append(plan)
    _mark_key_energy_users(plans)
    _close_some(rng, plans)
    return plans


def _area_name(rng, sector: Sector, size: str) -> str | None:
    """Large and medium firms sit in zones or on their own sites, not in craft villages."""
    choices = sector.areas
    if size in ("medium", "large"):
        choices = tuple(a for a in choices if not (a or "").startswith("Làng nghề")) or choices
    return rng.choice(choices)


def _divisions() -> set[str]:
    return {sector.division for sector in SECTORS}


def _company_name(rng, word: str, size: str, fdi: bool, used: set[str]) -> tuple[str, str, str]:
    for _ in range(200):
        prefix, legal_form, ownership = FDI_FORM if fdi else rng.choice(DOMESTIC_FORMS[size])
        brand = rng.choice(FDI_BRANDS if fdi else BRANDS)
        name = f"{prefix} {word} {brand}"
        if name not in used:
            used.add(name)
            return name, legal_form, ownership
    raise RuntimeError("Không tạo được tên doanh nghiệp không trùng lặp.")


def _tax_code(rng, province: int, used: set[str]) -> str:
    prefix = TAX_PREFIX.get(province, "010")
    while True:
        first9 = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        digit = tax_code_check_digit(first9)
        code = f"{first9}{digit}"
        if digit is not None and code not in used:
            used.add(code)
            return code


def _address(rng, area) -> str:
    if area is not None and area.kind in (Kind.KCN, Kind.CCN):
        return f"Lô {rng.choice('ABCDEF')}{rng.randint(1, 30)}, {area.name}"
    return f"Số {rng.randint(1, 350)}, {rng.choice(STREETS)}"


def _size_fields(rng, size: str) -> dict:
    (emp_lo, emp_hi), (rev_lo, rev_hi), (cap_lo, cap_hi) = SIZE_RANGES[size]
    return {
        "employees": rng.randint(emp_lo, emp_hi),
        "revenue_bn_vnd": Decimal(f"{rng.uniform(rev_lo, rev_hi):.1f}"),
        "capital_bn_vnd": Decimal(f"{rng.uniform(cap_lo, cap_hi):.1f}"),
    }


def _contact(rng, index: int) -> dict:
    number = rng.randint(3_800_000, 3_899_999)
    middles, givens = rng.choice(PERSON_NAMES)
    return {
        "contact_name": f"{rng.choice(FAMILY)} {rng.choice(middles)} {rng.choice(givens)}",
        "contact_phone": f"0222 {number // 1000:04d} {number % 1000:03d}",
        "contact_email": f"sxsh.coso{index + 1:03d}@example.vn",
    }


def _mark_key_energy_users(plans: list[Plan]) -> None:
    """The two largest energy-intensive facilities use ≥ 1,000 TOE a year."""
    candidates = [p for p in plans if p.sector.energy_intensive] or plans
    for plan in sorted(candidates, key=lambda p: -p.fields["employees"])[:2]:
        plan.fields["key_energy_user"] = True


def _close_some(rng, plans: list[Plan]) -> None:
    """Two facilities (never the first, which `coso` represents) closed during 2016–2020."""
    open_ones = [p for p in plans[1:] if not p.fields["key_energy_user"]]
    for plan in rng.sample(open_ones, min(2, len(open_ones))):
        established = plan.fields["established_year"]
        plan.fields["status"] = Facility.Status.CLOSED
        plan.fields["closed_year"] = rng.randint(max(2017, established + 1), 2020)


def _save_facilities(plans: list[Plan]) -> tuple[int, int]:
    existing = {
        f.tax_code: f for f in Facility.objects.filter(tax_code__in=[p.tax_code for p in plans])
    }
    created = updated = 0
    for plan in plans:
        facility = existing.get(plan.tax_code)
        if facility is None:
            Facility.objects.create(tax_code=plan.tax_code, **plan.fields)
            created += 1
        elif _differs(facility, plan.fields):
            for name, value in plan.fields.items():
                setattr(facility, name, value)
            facility.save()
            updated += 1
    return created, updated


def _differs(facility: Facility, fields: dict) -> bool:
    return any(getattr(facility, name) != value for name, value in fields.items())


# --- users --------------------------------------------------------------------------------


def _ensure_users(first_facility: Facility | None) -> list[dict]:
    """Create missing demo users (password set only on creation); link `coso` to the first
    demo facility. Existing users keep their password, role and everything else."""
    summary = []
    for username, role, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                email=f"{username}@example.vn",
                role=role,
                full_name=full_name,
            )
        if role == Role.FACILITY and user.role == Role.FACILITY and first_facility:
            user.facilities.add(first_facility)
        summary.append({"username": username, "role": user.role, "created": created})
    return summary
