"""The annex of the PDF and DOCX documents: the first ANNEX_LIMIT facilities operating in the
year, each with its place as the year's breakdown tables place it (DESIGN §3), whether it is
aware of CP and applies it (the XLSX lists every facility with every column: sheets.facility_rows).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from facilities.territory import TERRITORY_CHANGE_YEAR, old_district_labels, territory_name

from .sheets import annex_facts

ANNEX_LIMIT = 200


@dataclass(frozen=True)
class AnnexRow:
    """One facility of the annex of the PDF and DOCX (the XLSX lists them all, every column)."""

    name: str
    place: str  # annex_place
    industry: str
    aware: str  # "có" / "không"
    applies: str


def annex_place(
    year: int,
    *,
    national: bool,
    commune: str | None,
    district: str | None,
    ward: str | None,
    province: str | None,
    old_province: str | None = None,
) -> str:
    """Where a facility is, as the annex writes it, placed as the year's breakdown tables place
    it (DESIGN §3): before 2025 by its old commune and district (a facility registered by its
    2025 ward only: the ward and the 2025 province), from 2025 by its 2025 commune/ward (one not
    yet given a ward: its old commune and district, saying so). The Ministry's document lists the
    facilities of every province: it always names the province — an old commune and district
    with their OLD province (`old_province`; an address as it was), then the 2025 `province`
    it is now part of when that is another one."""
    new = year >= TERRITORY_CHANGE_YEAR
    now_in = None  # the 2025 province an old place is now part of, when it is another one
    if new and ward:
        parts = [ward, province if national else None]
    elif commune:
        parts = [commune, district, (old_province or province) if national else None]
        if national and old_province and province != old_province:
            now_in = province
    else:
        parts = [ward, province]
    place = ", ".join(part for part in parts if part)
    if now_in:
        place = _("%(place)s (nay thuộc %(province)s)") % {"place": place, "province": now_in}
    if new and not ward:
        place = _("%(place)s (chưa xác định xã/phường mới)") % {"place": place}
    return place


def annex_place_heading(year: int, *, national: bool) -> str:
    """The head of the annex's place column (`annex_place`)."""
    if year >= TERRITORY_CHANGE_YEAR:
        if national:
            return _("Xã/phường, tỉnh/thành phố (từ 1/7/2025)")
        return _("Xã/phường (từ 1/7/2025)")
    if national:
        return _("Xã/phường, huyện, tỉnh/thành phố")
    return _("Xã/phường, huyện")


def annex_rows(year: int, province: str | None = None, *, national: bool = False) -> list[AnnexRow]:
    """The first ANNEX_LIMIT facilities operating in `year` (of the 2025 `province` when given)
    with their places (`annex_place`); the Ministry's document (`national`) orders them by
    province."""
    new = year >= TERRITORY_CHANGE_YEAR
    facts = annex_facts(year, province, ANNEX_LIMIT, by_ward=new, by_province=national)
    yes, no = _("có"), _("không")
    # An old district another one shares its name with ("Huyện Châu Thành" of Bến Tre and of Trà
    # Vinh) is named with its old province, as in the tables; the Ministry's document names
    # every old province anyway.
    districts = {} if national else old_district_labels({fact[2] for fact in facts if fact[2]})
    rows = []
    for fact in facts:
        name, commune, district, ward, code, province_name, industry, aware, applies, old = fact
        if code and not province_name:  # a province whose units are not loaded: the package's
            province_name = territory_name(code)
        district = districts.get((district, old), district)
        place = annex_place(
            year,
            national=national,
            commune=commune,
            district=district,
            ward=ward,
            province=province_name,
            old_province=old,
        )
        rows.append(AnnexRow(name, place, industry, yes if aware else no, yes if applies else no))
    return rows
