"""The reference data a facility file is checked against, loaded once per plan: the units of the
portal's province (pre-2025 communes of its old provinces, 2025 communes/wards, the old→new
links), VSIC codes and industrial areas; each lookup turns a cell into an id or a CellError
whose message says what the code is and where to write it instead.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.cells import CellError
from core.spreadsheets import header_token
from core.text import fold

from . import territory
from .import_columns import LABELS
from .models import AdminUnit, IndustryCode

# --------------------------------------------------------------------------------------------
# Reference data, loaded once per plan

# The dashes a keyboard or a word processor puts between two names ("KCN Song Khê – Nội Hoàng"):
# one is as good as another in a name typed by hand.
_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")


def area_key(text: str) -> str:
    """The form in which an industrial area's name is looked up: `header_token`'s, with every
    dash (hyphen, en or em dash, minus) as one hyphen between single spaces."""
    return _DASH.sub(" - ", header_token(text))


@dataclass(frozen=True)
class AreaName:
    """An industrial area cell of an import for every province (a national installation's
    commands): area names are unique within a province only, and a facility's area is one of
    its own province, known once the row's place is (References.area_in)."""

    text: str


def _leading_zero_hint(text: str, codes: dict[str, int], names: dict[int, str]) -> str:
    """For a code shorter than 5 digits that is a known unit once zero-padded (a CSV saved by
    Excel, which dropped the zeros): the sentence that names it. Never read as that unit: a
    code missing another digit would be another unit."""
    padded = text.zfill(5)
    if not re.fullmatch(r"\d{1,4}", text) or padded not in codes:
        return ""
    return " " + _(
        "Có phải là mã %(code)s (%(name)s)? Hãy ghi đủ 5 chữ số, kể cả các số 0 ở đầu (Excel "
        "bỏ số 0 ở đầu khi lưu tệp: định dạng cột là Văn bản)."
    ) % {"code": padded, "name": names[codes[padded]]}


class References:
    """Units of the portal's province (pre-2025 communes of its old provinces, 2025 wards, the
    old→new links), VSIC codes, industrial areas: a few queries in all."""

    def __init__(self, province: str | None = None):
        """`province` as `territory` takes it: None, the portal's province; a 2025 code (a
        national installation's staff member); territory.ALL (its commands)."""
        self.province_code = territory.portal_province_code() if province is None else province
        self.old_province_codes = ", ".join(territory.legacy_province_codes(province))
        wards = list(territory.wards(province).values_list("code", "id", "name", "parent__name"))
        if province == territory.ALL:
            self.province_name = territory.territory_name(province)
        else:
            self.province_name = wards[0][3] if wards else territory.territory_name(province)
        self.wards = {code: pk for code, pk, _name, _province in wards}
        self.ward_labels = {pk: f"{name} ({code})" for code, pk, name, _province in wards}
        ward_names = {pk: name for _code, pk, name, _province in wards}
        # One query for the old communes and their links to the province's wards.
        self.communes, self.commune_names = {}, {}
        self.successors: dict[int, list[int]] = {}
        communes = territory.old_communes(province).values_list("code", "id", "name", "successors")
        for code, pk, name, successor in communes:
            self.communes[code], self.commune_names[pk] = pk, name
            if successor in ward_names:
                self.successors.setdefault(pk, []).append(successor)
        for candidates in self.successors.values():
            candidates.sort(key=lambda pk: (ward_names[pk], pk))
        self.commune_codes = {pk: code for code, pk in self.communes.items()}
        industries = IndustryCode.objects.filter(version="VSIC2018")
        self.industries, self.groups = {}, set()
        for code, pk, level in industries.values_list("code", "id", "level"):
            self.industries[code] = pk
            if level == 3:
                self.groups.add(code)  # three-digit groups (import_columns.vsic_cell)
        # An area's name is unique within its province only (IndustrialArea): for every
        # province (ALL) a name is looked up by the row's place (area_in).
        self.areas_by_place = province == territory.ALL
        self.areas: dict[str, dict[str | None, int]] = {}
        self.area_names: dict[str, str] = {}  # accent-free key -> a name as the catalogue has it
        for area in territory.industrial_areas(province).select_related("district__parent"):
            owner = area.province_2025_code() if self.areas_by_place else None
            self.areas.setdefault(area_key(area.name), {})[owner] = area.pk
            self.area_names.setdefault(fold(area_key(area.name)), area.name)
        self.foreign_communes: set[str] = set()
        self.foreign_wards: set[str] = set()

    def load_foreign_units(self, commune_codes: set[str], ward_codes: set[str]) -> None:
        """Which of the codes not in the province are units elsewhere (each in its own
        scheme): two queries at most."""
        communes = {c for c in commune_codes - self.communes.keys() if re.fullmatch(r"\d{5}", c)}
        if communes:
            self.foreign_communes = self._elsewhere(AdminUnit.Scheme.PRE2025, communes)
        wards = {c for c in ward_codes - self.wards.keys() if re.fullmatch(r"\d{5}", c)}
        if wards:
            self.foreign_wards = self._elsewhere(AdminUnit.Scheme.V2025, wards)

    @staticmethod
    def _elsewhere(scheme: str, codes: set[str]) -> set[str]:
        return set(
            AdminUnit.objects.filter(
                level=AdminUnit.Level.COMMUNE, scheme=scheme, code__in=sorted(codes)
            ).values_list("code", flat=True)
        )

    def commune(self, text: str) -> int:
        if not re.fullmatch(r"\d{5}", text):
            message = _("Mã xã/phường phải gồm đúng 5 chữ số.")
            raise CellError(message + _leading_zero_hint(text, self.communes, self.commune_names))
        if text in self.communes:
            return self.communes[text]
        names = {
            "code": text,
            "province": self.province_name,
            "old_provinces": self.old_province_codes,
        }
        if text in self.foreign_communes:
            message = _(
                "Xã/phường mã %(code)s (trước 1/7/2025) không thuộc %(province)s "
                "(các tỉnh cũ mã %(old_provinces)s)."
            )
        else:
            message = _(
                "Không có xã/phường mã %(code)s trong danh mục trước 1/7/2025 của các tỉnh cũ "
                "mã %(old_provinces)s (nay thuộc %(province)s)."
            )
        if text in self.wards:
            message += " " + _(
                "Mã này là mã xã/phường từ 1/7/2025: hãy ghi vào cột «%(column)s» (ward_code)."
            ) % {"column": LABELS["ward_code"]}
        raise CellError(message % names)

    def ward(self, text: str) -> int:
        if not re.fullmatch(r"\d{5}", text):
            message = _("Mã xã/phường mới phải gồm đúng 5 chữ số.")
            names = {pk: label.rsplit(" (", 1)[0] for pk, label in self.ward_labels.items()}
            raise CellError(message + _leading_zero_hint(text, self.wards, names))
        if text in self.wards:
            return self.wards[text]
        names = {"code": text, "province": self.province_name, "number": self.province_code}
        if text in self.foreign_wards:
            message = _(
                "Xã/phường mã %(code)s (từ 1/7/2025) không thuộc %(province)s (mã %(number)s)."
            )
        else:
            message = _(
                "Không có xã/phường mã %(code)s trong danh mục từ 1/7/2025 của %(province)s "
                "(mã %(number)s)."
            )
        if text in self.communes:
            message += " " + _(
                "Mã này là mã xã/phường trước 1/7/2025: hãy ghi vào cột «%(column)s» "
                "(commune_code)."
            ) % {"column": LABELS["commune_code"]}
        raise CellError(message % names)

    def candidates(self, commune_id: int) -> str:
        """The 2025 wards an old commune became, as "Phường A (10507), Xã B (10510)"."""
        return ", ".join(self.ward_labels[pk] for pk in self.successors.get(commune_id, ()))

    def commune_label(self, commune_id: int) -> str:
        if commune_id not in self.commune_names:  # a stored commune outside the province
            unit = AdminUnit.objects.get(pk=commune_id)
            self.commune_names[commune_id], self.commune_codes[commune_id] = unit.name, unit.code
        return f"{self.commune_names[commune_id]} ({self.commune_codes[commune_id]})"

    def industry(self, text: str) -> int:
        if not re.fullmatch(r"\d{2,5}", text):
            raise CellError(_("Mã ngành VSIC phải gồm 2 đến 5 chữ số."))
        if text[:2] not in self.industries:
            raise CellError(
                _("Mã ngành VSIC %(code)s không hợp lệ: không có ngành cấp 2 “%(division)s”.")
                % {"code": text, "division": text[:2]}
            )
        for length in range(len(text), 1, -1):
            if text[:length] in self.industries:
                return self.industries[text[:length]]
        raise AssertionError("unreachable: the division is known")

    def area(self, text: str) -> int | AreaName:
        owners = self.areas.get(area_key(text))
        if owners is None:
            message = _("Không có khu/cụm công nghiệp “%(name)s” trong danh mục.") % {"name": text}
            if close := self.close_area(text):
                message += " " + _("Có phải “%(name)s”?") % {"name": close}
            raise CellError(message)
        return AreaName(text) if self.areas_by_place else next(iter(owners.values()))

    def close_area(self, text: str) -> str | None:
        """The catalogue's name that `text` most likely means (typed without accents, a letter
        off), to suggest: never taken in its place, as accents tell names apart."""
        found = difflib.get_close_matches(fold(area_key(text)), self.area_names, n=1, cutoff=0.85)
        return self.area_names[found[0]] if found else None

    def area_in(self, name: AreaName, province: str) -> int:
        """The area called `name` of the 2025 `province` (a facility's), else the one in no
        district, which no province owns."""
        owners = self.areas[area_key(name.text)]
        found = owners.get(province) or owners.get(None)
        if found is None:
            raise CellError(
                _("Khu/cụm công nghiệp “%(name)s” không thuộc %(province)s, nơi cơ sở đặt trụ sở.")
                % {"name": name.text, "province": territory.territory_name(province)}
            )
        return found
