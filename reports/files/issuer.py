"""Who issues a document and where (DESIGN §3): from 1 July 2025 the 2025 province's People's
Committee and Department, before it the old province; the heading block of the documents.

A national installation (DESIGN §2): a province's document (`Report.province`, a 2025 code) is
headed by that province; the national document by the Ministry ("BỘ CÔNG THƯƠNG", no superior
line — a ministry heads its documents with its own name alone, NĐ 30/2020 —, place "Hà Nội")."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.models import AdminUnit
from facilities.provinces import UnknownProvince, legacy_codes_of, province_2025_name
from facilities.territory import (
    configured_legacy_code,
    legacy_province_codes,
    portal_province_code,
    portal_province_name,
)
from reports.models import MINISTRY_ABBREVIATION, is_national_document, issuer_abbreviation

UNKNOWN = "…"
MINISTRY = "BỘ CÔNG THƯƠNG"
MINISTRY_PLACE = "Hà Nội"


@dataclass(frozen=True)
class Heading:
    """The official heading of an administrative document (NĐ 30/2020/NĐ-CP)."""

    superior: str  # "UBND TỈNH BẮC NINH"
    issuing_body: str  # "SỞ CÔNG THƯƠNG"
    number: str  # "Số: …/BC-SCT", the clerk fills the number in
    place: str  # "Bắc Ninh"
    day: date

    @property
    def place_and_date(self) -> str:
        # Days below 10 and months 1–2 take a leading zero in official documents.
        day = f"{self.day.day:02d}" if self.day.day < 10 else str(self.day.day)
        month = f"{self.day.month:02d}" if self.day.month < 3 else str(self.day.month)
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place,
            "day": day,
            "month": month,
            "year": self.day.year,
        }


# Since 1 July 2025 the merged provinces' People's Committees and Departments issue documents.
TERRITORY_CHANGE = date(2025, 7, 1)


@dataclass(frozen=True)
class Issuer:
    """Who issues a document dated on a given day, and the place in its date line."""

    province: str  # "Thành phố Hải Phòng"
    superior: str  # "UBND THÀNH PHỐ HẢI PHÒNG"; "" for the Ministry
    issuing_body: str  # "SỞ CÔNG THƯƠNG"; "BỘ CÔNG THƯƠNG"
    place: str  # "Hải Phòng"
    abbreviation: str = "SCT"  # in the symbol "BC-SCT"; "BC-BCT" for the Ministry

    @property
    def is_ministry(self) -> bool:
        return self.abbreviation == MINISTRY_ABBREVIATION


def issuer(on_date: date, province: str = "") -> Issuer:
    """The issuing bodies of a document dated `on_date` (DESIGN §3).

    From 1 July 2025: the People's Committee and Department of the portal's 2025 province.
    Before: those of the old province named by PORTAL_PROVINCE_CODE (a department installed for
    old Bắc Ninh heads its 2019 reports "UBND TỈNH BẮC NINH" although the merged province kept
    Bắc Giang's code), else of the old province whose code the 2025 province kept, else the first
    of the old provinces that merged into it. The unit type comes from the name ("Tỉnh X" → "UBND
    TỈNH X", "Thành phố X" → "UBND THÀNH PHỐ X").

    `province` (Report.province): in a national installation, the 2025 province whose document it
    is, "" the Ministry's national document.
    """
    if is_national_document(province):
        return Issuer(
            province=MINISTRY,
            superior="",
            issuing_body=MINISTRY,
            place=MINISTRY_PLACE,
            abbreviation=MINISTRY_ABBREVIATION,
        )
    name = province_name(on_date, province)
    place = name or UNKNOWN
    for prefix in ("Tỉnh ", "Thành phố "):
        place = place.removeprefix(prefix)
    return Issuer(
        province=name or UNKNOWN,
        superior=f"UBND {name.upper() if name else f'TỈNH {UNKNOWN}'}",
        issuing_body="SỞ CÔNG THƯƠNG",
        place=place,
        abbreviation=issuer_abbreviation(province),
    )


def province_name(on_date: date | None = None, province: str = "") -> str | None:
    """The name of the province issuing documents on `on_date` (today by default): the loaded
    unit's, else the `vietnam-provinces` reference; None when the province is unknown.
    `province`: a national installation's 2025 province (its document), else the portal's;
    before 1 July 2025 the old province of the same code, else the first that merged into it."""
    on_date = on_date or timezone.localdate()
    try:
        if on_date >= TERRITORY_CHANGE:
            return _province_2025_name(province) if province else portal_province_name()
        if province:
            codes, preferred = legacy_codes_of(province), (province,)
        else:
            codes = legacy_province_codes()
            preferred = (configured_legacy_code(), portal_province_code())
        for code in preferred:
            if code in codes:
                return _old_province_name(code)
        return _old_province_name(codes[0])
    except (UnknownProvince, IndexError):
        return None


def _province_2025_name(code: str) -> str:
    loaded = (
        AdminUnit.objects.filter(
            level=AdminUnit.Level.PROVINCE, scheme=AdminUnit.Scheme.V2025, code=code
        )
        .values_list("name", flat=True)
        .first()
    )
    return loaded or province_2025_name(code)


def _old_province_name(code: str) -> str | None:
    loaded = (
        AdminUnit.objects.filter(
            level=AdminUnit.Level.PROVINCE, scheme=AdminUnit.Scheme.PRE2025, code=code
        )
        .values_list("name", flat=True)
        .first()
    )
    if loaded:
        return loaded
    from vietnam_provinces.legacy import Province
    from vietnam_provinces.legacy.codes import ProvinceCode

    try:
        return Province.from_code(ProvinceCode(int(code))).name
    except ValueError:
        return None


def heading(day: date | None = None, province: str = "") -> Heading:
    """The heading of a document dated `day` (the generation date: today by default), of
    `province` (Report.province)."""
    day = day or timezone.localdate()
    by = issuer(day, province)
    return Heading(
        superior=by.superior,
        issuing_body=by.issuing_body,
        number=f"Số: {UNKNOWN}/BC-{by.abbreviation}",
        place=by.place,
        day=day,
    )
