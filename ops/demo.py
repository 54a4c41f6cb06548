"""Realistic, reproducible demo data: industrial areas, facilities and the three demo users.

`seed_demo(facilities=N, seed=S)` always produces the same facilities for the same seed and
province; running it again updates them in place (keyed on tax code) instead of duplicating.

The demo serves the portal's 2025 province with the old provinces that merged into it (by
default Bắc Ninh: old Bắc Ninh 27 and old Bắc Giang 24). Facilities lie in every old part, each
with its old commune and the 2025 commune/ward that commune became; about one in ten was
registered in 2025 or later by its 2025 ward only; a few lie in an old commune with no single
2025 successor and so wait on staff's "needs a 2025 address" list.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.quality_jobs import check_all_reports
from core.data_version import data_changed
from facilities.models import AdminUnit, Facility, IndustrialArea, IndustryCode
from facilities.reference import VSIC_VERSION, load_admin_units, load_industry_codes
from facilities.territory import old_provinces, portal_province_code, portal_province_name
from facilities.validators import tax_code_check_digit
from reports import fact_table

from .demo_assessments import seed_demo_assessments
from .demo_reports import ensure_report_periods, seed_demo_reports

DEMO_PASSWORD = "sxsh-demo-2026"
# (username, role, full name); `coso` represents the first demo facility.
DEMO_USERS = (
    ("canbo", Role.STAFF, "Nguyễn Thị Thu Hà"),
    ("coso", Role.FACILITY, "Trần Văn Dũng"),
    ("lanhdao", Role.OFFICIAL, "Lê Quang Vinh"),
)
# A national installation (PORTAL_SCOPE=national) adds a Ministry reader; there `canbo` and
# `lanhdao` belong to the demo province (DESIGN §2), or they would see nothing.
NATIONAL_DEMO_USERS = (("bocongthuong", Role.MINISTRY, "Phạm Minh Đức"),)


def demo_users() -> tuple[tuple[str, str, str], ...]:
    """(username, role, full name) of the demo accounts of this installation."""
    national = settings.PORTAL_SCOPE == "national"
    return DEMO_USERS + (NATIONAL_DEMO_USERS if national else ())


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
    24: (
        ("KCN Quang Châu", Kind.KCN, "222", ("Phường Quang Châu",)),
        ("KCN Đình Trám", Kind.KCN, "222", ("Phường Hồng Thái", "Phường Nếnh")),
        ("KCN Vân Trung", Kind.KCN, "222", ("Phường Vân Trung",)),
        ("KCN Song Khê – Nội Hoàng", Kind.KCN, "213", ("Phường Song Khê", "Phường Nội Hoàng")),
        ("Làng nghề mỳ Chũ", Kind.CRAFT, "224", ("Xã Nam Dương",)),
        ("Làng nghề rượu làng Vân", Kind.CRAFT, "222", ("Xã Vân Hà",)),
    ),
}
# Tax offices number codes by (pre-2025) province: Bắc Ninh's start with 230, Bắc Giang's 240.
TAX_PREFIX = {27: "230", 24: "240"}
PHONE_AREA = {27: "0222", 24: "0204"}


@dataclass(frozen=True)
class Sector:
    division: str
    lines: tuple[tuple[str, str], ...]  # (word in the company name, main products)
    polluting: bool
    areas: tuple[str | None, ...] = (None,)
    energy_intensive: bool = False
    weight: int = 1  # how often the random facilities after the first round are of it


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
        weight=8,  # the province's largest trade: a benchmark peer group (>= 10) forms
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
        ("KCN Quế Võ", "KCN Tiên Sơn", "KCN Song Khê – Nội Hoàng", "KCN Đình Trám", None),
    ),
    Sector(
        "13",
        (
            ("Dệt nhuộm", "Vải nhuộm, in hoa"),
            ("Dệt may", "Vải dệt thoi"),
            ("Sợi", "Sợi cotton, sợi pha"),
        ),
        True,
        ("KCN Quế Võ", "KCN Vân Trung", None),
    ),
    Sector(
        "24",
        (("Đúc đồng", "Đồ đồng mỹ nghệ"), ("Đồ đồng", "Chuông, tượng, đồ thờ bằng đồng")),
        True,
        ("Làng nghề đúc đồng Đại Bái",),
    ),
    Sector(
        "14",
        (("May mặc", "Quần áo may sẵn"), ("May xuất khẩu", "Áo jacket, sơ mi")),
        False,
        ("KCN Quang Châu", None),
    ),
    Sector(
        "10",
        (
            ("Thực phẩm", "Giò chả, thực phẩm chế biến"),
            ("Chế biến nông sản", "Nông sản sấy khô"),
            ("Bánh kẹo", "Bánh kẹo"),
            ("Sữa", "Sữa tươi, sữa chua"),
            ("Thức ăn chăn nuôi", "Thức ăn chăn nuôi"),
            ("Mỳ gạo", "Mỳ gạo, bún khô"),
        ),
        False,
        ("KCN Tiên Sơn", "Làng nghề mỳ Chũ", None),
    ),
    Sector(
        "11",
        (
            ("Bia", "Bia hơi, bia chai"),
            ("Nước giải khát", "Nước giải khát"),
            ("Rượu", "Rượu trắng"),
        ),
        True,
        ("Làng nghề rượu làng Vân", None),
    ),
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
        ("KCN Tiên Sơn", "KCN Song Khê – Nội Hoàng", None),
    ),
    Sector(
        "26",
        (("Điện tử", "Bảng mạch in"), ("Linh kiện điện tử", "Linh kiện điện tử, camera module")),
        False,
        (
            "KCN Yên Phong",
            "KCN Quế Võ",
            "KCN VSIP Bắc Ninh",
            "KCN Quang Châu",
            "KCN Đình Trám",
            "KCN Vân Trung",
        ),
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
    "Đông Á", "Hoàng Long", "Minh Phát", "Thành Công", "Việt Hưng", "An Phú", "Hưng Thịnh",
    "Đại Phúc", "Lạc Hồng", "Trường Sơn", "Tân Tiến", "Đồng Tiến", "Phúc Lộc", "Tiến Đạt",
    "Sao Mai", "Thái Bình Dương", "Nam Việt", "Bình Minh",
)  # fmt: skip
LOCAL_BRANDS = {  # place names a company of the old province would take
    27: ("Kinh Bắc", "Phong Khê", "Đa Hội", "Quế Võ", "Tiên Sơn", "Từ Sơn", "Phú Lâm",
         "Thuận Thành", "Đình Bảng"),
    24: ("Xương Giang", "Yên Thế", "Lục Ngạn", "Việt Yên", "Hiệp Hòa", "Song Khê", "Lạng Giang",
         "Cầu Gồ", "Thủ Dương"),
}  # fmt: skip
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
LOCAL_STREETS = {
    24: ("Đường Hùng Vương", "Đường Xương Giang", "Đường Lê Lợi", "Quốc lộ 1A", "Quốc lộ 17",
         "Quốc lộ 31", "Quốc lộ 37", "Tỉnh lộ 398", "Đường Hoàng Văn Thụ"),
}  # fmt: skip
# Every tenth facility was registered in 2025 or later by its 2025 ward only; every twentieth
# (from the fifth) lies in an old commune with no single 2025 successor (split, or not listed).
WARD_ONLY_EVERY, NEEDS_WARD_EVERY, NEEDS_WARD_FROM = 10, 20, 4
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


@dataclass
class Part:
    """An old (pre-2025) province of the portal's province, where the demo places facilities."""

    code: int
    communes: list[AdminUnit]  # with exactly one 2025 successor
    unclear: list[AdminUnit]  # split among several 2025 units, or with none listed


@dataclass
class Territory:
    parts: list[Part]
    successors: dict[int, list[AdminUnit]]  # old commune id → its 2025 units, by code


def seed_demo(*, facilities: int = 60, seed: int = 2016) -> dict:
    """Create or update the demo data; returns a summary (counts and the demo logins)."""
    rng = random.Random(seed)
    with transaction.atomic():
        data_changed()  # the seed writes in bulk, which sends no signals
        admin_units = load_admin_units(int(portal_province_code()), legacy=False)
        load_industry_codes()
        territory = _territory()
        areas, areas_created = _ensure_areas(territory)
        plans = _plan_facilities(rng, facilities, territory, areas)
        created, updated = _save_facilities(plans)
        first = Facility.objects.get(tax_code=plans[0].tax_code) if plans else None
        users = _ensure_users(first)
        saved = Facility.objects.select_related("industry", "commune__parent", "ward").in_bulk(
            [p.tax_code for p in plans], field_name="tax_code"
        )
        in_order = [saved[p.tax_code] for p in plans]
        periods = ensure_report_periods()
        reports = seed_demo_reports(rng, in_order)
        programme = seed_demo_assessments(rng, in_order)
    # The seed wrote in bulk: the stored facts behind the indicators are computed once, now,
    # and the data-quality rules run once over its reports (bulk writes check nothing).
    facts = fact_table.rebuild()
    _checked, findings = check_all_reports()
    return {
        "admin_units": admin_units,
        "province": portal_province_name(),
        "old_provinces": [part.code for part in territory.parts],
        "areas_created": areas_created,
        "facilities": len(plans),
        "facilities_created": created,
        "facilities_updated": updated,
        "users": users,
        "periods_created": periods,
        **reports,
        **programme,
        "facts": facts["rows"],
        "quality_findings": findings,
    }


# --- territory and industrial areas -------------------------------------------------------


def _territory() -> Territory:
    """The old provinces of the portal's province (first the one it is named after) with their
    communes, and the old→new links of those communes."""
    provinces = dict(old_provinces().values_list("code", "name"))
    communes = AdminUnit.objects.filter(
        scheme=AdminUnit.Scheme.PRE2025,
        level=AdminUnit.Level.COMMUNE,
        parent__parent__code__in=provinces,
        parent__parent__scheme=AdminUnit.Scheme.PRE2025,
    )
    successors: dict[int, list[AdminUnit]] = {}
    links = AdminUnit.successors.through.objects.filter(from_adminunit__in=communes)
    for link in links.select_related("to_adminunit").order_by("to_adminunit__code"):
        successors.setdefault(link.from_adminunit_id, []).append(link.to_adminunit)
    by_province: dict[str, list[AdminUnit]] = {}
    for commune in communes.select_related("parent__parent").order_by("code"):
        by_province.setdefault(commune.parent.parent.code, []).append(commune)
    named = _bare(portal_province_name())
    parts = []
    for code in sorted(provinces, key=lambda c: (_bare(provinces[c]) != named, c)):
        own = by_province.get(code, [])
        parts.append(
            Part(
                int(code),
                [c for c in own if len(successors.get(c.pk, ())) == 1],
                [c for c in own if len(successors.get(c.pk, ())) != 1],
            )
        )
    return Territory(parts, successors)


def _bare(name: str) -> str:
    return name.removeprefix("Tỉnh ").removeprefix("Thành phố ")


def _ensure_areas(territory: Territory) -> tuple[dict, int]:
    """Industrial areas of the old provinces → {name: (area, [communes], part)}, and how many
    were new. An area's communes are those of its list with one 2025 successor."""
    result, created = {}, 0
    for part in territory.parts:
        for name, kind, district_code, commune_names in AREAS.get(part.code, ()):
            district = AdminUnit.objects.get(
                scheme=AdminUnit.Scheme.PRE2025, level=AdminUnit.Level.DISTRICT, code=district_code
            )
            # Names are unique per province only (IndustrialArea): look it up in its district.
            area, is_new = IndustrialArea.objects.get_or_create(
                name=name, district=district, defaults={"kind": kind}
            )
            created += is_new
            communes = [c for c in part.communes if c.name in commune_names]
            result[name] = (area, communes or part.communes, part)
    return result, created


# --- facilities ---------------------------------------------------------------------------


def _plan_facilities(
    rng: random.Random, count: int, territory: Territory, areas: dict
) -> list[Plan]:
    parts = [p for p in territory.parts if p.communes] or territory.parts
    unclear = [(c, p) for p in territory.parts for c in p.unclear]
    this_year = timezone.localdate().year
    divisions = {
        c.code: c
        for c in IndustryCode.objects.filter(version=VSIC_VERSION, level=2, code__in=_divisions())
    }
    used_names, used_codes = set(), set()
    plans = []
    for index in range(count):
        weights = [s.weight for s in SECTORS]
        sector = SECTORS[index] if index < len(SECTORS) else rng.choices(SECTORS, weights)[0]
        size = SIZE_CYCLE[index % len(SIZE_CYCLE)]
        # Every old province among the first facilities, then at random.
        part = parts[index] if index < len(parts) else rng.choice(parts)
        if unclear and index % NEEDS_WARD_EVERY == NEEDS_WARD_FROM:
            # In an old commune with no single 2025 successor, outside any zone.
            commune, part = rng.choice(unclear)
            area, area_communes = None, [commune]
        else:
            area_name = _area_name(rng, sector, size, part, areas)
            area, area_communes, _ = areas.get(area_name, (None, part.communes, part))
        if area is not None and area.kind == Kind.CRAFT and size in ("medium", "large"):
            size = "small"  # craft-village workshops are household-scale
        fdi = sector.division == "26" or (
            area is not None and area.kind == Kind.KCN and rng.random() < 0.3
        )
        word, products = rng.choice(sector.lines)
        name, legal_form, ownership = _company_name(rng, word, size, fdi, used_names, part.code)
        plan = Plan(_tax_code(rng, part.code, used_codes), sector)
        commune = rng.choice(area_communes)
        wards = territory.successors.get(commune.pk, [])
        # Most were established before the 2016–2020 plan, some during 2016–2023.
        established = rng.choice(range(1995, 2016) if rng.random() < 0.85 else range(2016, 2024))
        if index % WARD_ONLY_EVERY == WARD_ONLY_EVERY - 1 and wards:
            # Registered since the 2025 reorganisation, by its 2025 ward only.
            commune, wards = None, [rng.choice(wards)]
            established = min(rng.choice((2025, 2026)), this_year)
        plan.fields = {
            "name": name,
            "address": _address(rng, area, part.code),
            "commune": commune,
            "ward": wards[0] if len(wards) == 1 else None,
            "industrial_area": area,
            "industry": divisions[sector.division],
            "ownership": ownership,
            "legal_form": legal_form,
            "established_year": established,
            "main_products": products,
            "high_pollution_risk": rng.random() < (0.7 if sector.polluting else 0.05),
            "key_energy_user": False,
            "status": Facility.Status.ACTIVE,
            "closed_year": None,
            **_size_fields(rng, size),
            **_contact(rng, index, part.code),
        }
        plans.append(plan)
    _mark_key_energy_users(plans)
    _close_some(rng, plans)
    return plans


def _area_name(rng, sector: Sector, size: str, part: Part, areas: dict) -> str | None:
    """An area of the sector in the facility's old province, or none. Large and medium firms
    sit in zones or on their own sites, not in craft villages."""
    choices = tuple(a for a in sector.areas if a is None or (a in areas and areas[a][2] is part))
    choices = choices or (None,)
    if size in ("medium", "large"):
        choices = tuple(a for a in choices if not (a or "").startswith("Làng nghề")) or choices
    return rng.choice(choices)


def _divisions() -> set[str]:
    return {sector.division for sector in SECTORS}


def _company_name(
    rng, word: str, size: str, fdi: bool, used: set[str], province: int
) -> tuple[str, str, str]:
    for _ in range(200):
        prefix, legal_form, ownership = FDI_FORM if fdi else rng.choice(DOMESTIC_FORMS[size])
        brand = rng.choice(FDI_BRANDS if fdi else BRANDS + LOCAL_BRANDS.get(province, ()))
        name = f"{prefix} {word} {brand}"
        if name not in used:
            used.add(name)
            return name, legal_form, ownership
    # Every combination taken (a large demo, or a sector with few words): number the last one,
    # as companies of one brand do ("… Hanvico 2").
    number = 2
    while f"{name} {number}" in used:
        number += 1
    used.add(f"{name} {number}")
    return f"{name} {number}", legal_form, ownership


def _tax_code(rng, province: int, used: set[str]) -> str:
    prefix = TAX_PREFIX.get(province, "010")
    while True:
        first9 = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        digit = tax_code_check_digit(first9)
        code = f"{first9}{digit}"
        if digit is not None and code not in used:
            used.add(code)
            return code


def _address(rng, area, province: int) -> str:
    if area is not None and area.kind in (Kind.KCN, Kind.CCN):
        return f"Lô {rng.choice('ABCDEF')}{rng.randint(1, 30)}, {area.name}"
    return f"Số {rng.randint(1, 350)}, {rng.choice(LOCAL_STREETS.get(province, STREETS))}"


def _size_fields(rng, size: str) -> dict:
    (emp_lo, emp_hi), (rev_lo, rev_hi), (cap_lo, cap_hi) = SIZE_RANGES[size]
    return {
        "employees": rng.randint(emp_lo, emp_hi),
        "revenue_bn_vnd": Decimal(f"{rng.uniform(rev_lo, rev_hi):.1f}"),
        "capital_bn_vnd": Decimal(f"{rng.uniform(cap_lo, cap_hi):.1f}"),
    }


def _contact(rng, index: int, province: int) -> dict:
    number = rng.randint(3_800_000, 3_899_999)
    middles, givens = rng.choice(PERSON_NAMES)
    area_code = PHONE_AREA.get(province, "0222")
    return {
        "contact_name": f"{rng.choice(FAMILY)} {rng.choice(middles)} {rng.choice(givens)}",
        "contact_phone": f"{area_code} {number // 1000:04d} {number % 1000:03d}",
        "contact_email": f"sxsh.coso{index + 1:03d}@example.vn",
    }


def _mark_key_energy_users(plans: list[Plan]) -> None:
    """The two largest energy-intensive facilities (of those operating by 2020) use ≥ 1,000
    TOE a year."""
    old = [p for p in plans if p.fields["established_year"] <= 2020] or plans
    candidates = [p for p in old if p.sector.energy_intensive] or old
    for plan in sorted(candidates, key=lambda p: -p.fields["employees"])[:2]:
        plan.fields["key_energy_user"] = True


def _close_some(rng, plans: list[Plan]) -> None:
    """Two facilities (never the first, which `coso` represents) closed during 2016–2020."""
    open_ones = [
        p
        for p in plans[1:]
        if not p.fields["key_energy_user"] and p.fields["established_year"] <= 2018
    ]
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
    national = settings.PORTAL_SCOPE == "national"
    for username, role, full_name in demo_users():
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
        if national and user.role in (Role.STAFF, Role.OFFICIAL) and not user.province:
            user.province = portal_province_code()
            user.save(update_fields=["province"])
        if role == Role.FACILITY and user.role == Role.FACILITY and first_facility:
            user.facilities.add(first_facility)
        summary.append({"username": username, "role": user.role, "created": created})
    return summary
