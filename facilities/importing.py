"""Facility spreadsheet import (DESIGN.md §5 "Import files"): one code path for the web and the CLI.

    read_table(file, filename) -> rows      # CSV or XLSX, header mapped to column keys
    plan_import(rows, filename=...) -> plan # validate every cell, decide create/update/unchanged
    apply_import(plan, user=...) -> result  # all-or-nothing, with history
    plan_file(file, filename) -> plan       # read_table + plan_import, file errors as problems
    count_rows(file, filename, limit=N)     # data rows, reading no further than N + 1

Reading files and their safety checks are core.spreadsheets'; the cell parsers (numbers,
integers, years, yes/no, e-mail, the anti-formula quote) are core.cells'. This module holds what
is about facilities: the columns, the reference data, the plan and its application.

plan_import, plan_file and apply_import take an optional `progress(done, total)` callback, called
as rows are checked and written (the Celery import of big files records it: import_jobs.py).

Decisions beyond the contract (documented here and on the template's "Hướng dẫn" sheet):

- A column missing from the file leaves that field of an existing facility untouched (defaults for
  a new one). A column that is present describes the whole value: an empty optional cell clears it
  (booleans become "no", status becomes "active").
- Numbers and integers are read as core.cells describes (`29,4` = `29.4`; `1.234.567`);
  decimals are rounded to 3 places (1 million VND).
- XLSX cells holding numbers: `tax_code`, `commune_code` and `ward_code` are zero-padded to 10, 5
  and 5 digits (Excel drops leading zeros); other cells are turned into text as they display.
- The address (DESIGN §3): `commune_code` is a pre-2025 commune of any old province that merged
  into the portal's province, `ward_code` a 2025 commune/ward of the portal's province (the two
  schemes share the 5-digit numbers, so each code is looked up in its own scheme only). A row
  needs one of the two. Given the old code only, the 2025 ward is the one the old commune became;
  when it became part of several (or of none known), the row is imported with a warning and the
  facility has no ward until staff choose it (the "needs a 2025 address" list). Both given: the
  ward must be one the old commune became. An existing facility keeps its ward unless the file
  changes its old commune or has a `ward_code` column (an empty cell there means "derive it").
- Warnings (core.spreadsheets) never stop a file: `plan.warnings`, printed and shown like problems.
- `vsic_code` resolves to the most specific known code that is a prefix of it (the exact code if
  known, else its 4-, 3-digit parents, else the division).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import spreadsheets
from core.cells import (
    CellError,
    cell_text,
    choices,
    max_length,
    parse_boolean,
    parse_decimal,
    parse_email,
    parse_int,
    parse_year,
)
from core.data_version import data_changed
from core.spreadsheets import (
    BATCH_SIZE,
    LOOKUP_CHUNK,
    MAX_PROBLEMS,
    Column,
    ImportFileError,
    InvalidImport,
    Problem,
    header_token,
    sort_problems,
)
from core.text import nfc

from . import territory
from .models import AdminUnit, Facility, IndustrialArea, IndustryCode, place_search_names
from .validators import validate_tax_code

ASYNC_ROW_THRESHOLD = 2000  # files with more data rows are checked and imported by Celery
PROGRESS_EVERY = 250  # rows checked between two calls of a plan's progress callback


COLUMNS = (
    Column(
        "tax_code",
        "Mã số thuế",
        True,
        gettext_lazy(
            "10 chữ số với chữ số kiểm tra hợp lệ, có thể kèm mã chi nhánh -NNN "
            "(ví dụ 0100109106-001); không trùng nhau trong tệp. Mã đã có thì cập nhật cơ sở đó."
        ),
    ),
    Column("name", "Tên cơ sở", True, gettext_lazy("1–255 ký tự.")),
    Column("address", "Địa chỉ", True, gettext_lazy("Tối đa 255 ký tự.")),
    Column(
        "commune_code",
        "Mã xã/phường cũ (trước 1/7/2025)",
        False,
        gettext_lazy(
            "Mã GSO 5 chữ số (trước 1/7/2025) của một xã/phường/thị trấn thuộc một tỉnh cũ nay "
            "là một phần của tỉnh/thành phố. Bắt buộc nếu không ghi mã xã/phường mới. Nếu xã cũ "
            "nay thuộc nhiều xã/phường mới thì cơ sở vẫn được nhập, kèm cảnh báo: cần chọn "
            "xã/phường mới."
        ),
        aliases=("Mã xã/phường",),
    ),
    Column(
        "ward_code",
        "Mã xã/phường mới (từ 1/7/2025)",
        False,
        gettext_lazy(
            "Mã 5 chữ số của một xã/phường/đặc khu (từ 1/7/2025) của tỉnh/thành phố. Bắt buộc "
            "nếu không ghi mã xã/phường cũ; ghi cả hai thì xã/phường mới phải là nơi xã/phường "
            "cũ được sáp nhập vào. Để trống: lấy theo xã/phường cũ nếu xã cũ chỉ thuộc một "
            "xã/phường mới."
        ),
    ),
    Column(
        "vsic_code",
        "Mã ngành VSIC",
        True,
        gettext_lazy("Mã VSIC 2018 gồm 2–5 chữ số; hai chữ số đầu phải là một ngành cấp 2."),
    ),
    Column(
        "industrial_area",
        "Khu/cụm công nghiệp",
        False,
        gettext_lazy("Tên một khu/cụm công nghiệp đã có trong danh mục; để trống nếu ngoài khu."),
    ),
    Column(
        "ownership",
        "Loại hình sở hữu",
        False,
        gettext_lazy("state / private / fdi hoặc: nhà nước / ngoài nhà nước / FDI."),
    ),
    Column("established_year", "Năm thành lập", False, gettext_lazy("Từ 1900 đến năm hiện tại.")),
    Column("employees", "Số lao động", False, gettext_lazy("Số nguyên ≥ 0.")),
    Column(
        "revenue_bn_vnd",
        "Doanh thu (tỷ đồng)",
        False,
        gettext_lazy("Số ≥ 0, tỷ đồng; dấu phẩy hoặc dấu chấm là dấu thập phân (29,4 = 29.4)."),
    ),
    Column(
        "capital_bn_vnd",
        "Nguồn vốn (tỷ đồng)",
        False,
        gettext_lazy("Số ≥ 0, tỷ đồng; dấu phẩy hoặc dấu chấm là dấu thập phân (29,4 = 29.4)."),
    ),
    Column(
        "high_pollution_risk",
        "Nguy cơ ô nhiễm cao",
        False,
        gettext_lazy("có / không (yes / no, 1 / 0, x = có); để trống = không."),
    ),
    Column(
        "key_energy_user",
        "Sử dụng năng lượng trọng điểm",
        False,
        gettext_lazy("có / không (yes / no, 1 / 0, x = có); để trống = không."),
    ),
    Column(
        "status",
        "Tình trạng",
        False,
        gettext_lazy(
            "active (đang hoạt động) / suspended (tạm ngừng) / closed (đã đóng cửa); "
            "để trống = active."
        ),
    ),
    Column(
        "closed_year",
        "Năm đóng cửa",
        False,
        gettext_lazy("Bắt buộc khi tình trạng là closed; để trống trong các trường hợp khác."),
    ),
    Column("contact_name", "Người liên hệ", False, gettext_lazy("Tối đa 150 ký tự.")),
    Column("contact_phone", "Điện thoại liên hệ", False, gettext_lazy("Tối đa 30 ký tự.")),
    Column("contact_email", "E-mail liên hệ", False, gettext_lazy("Địa chỉ e-mail hợp lệ.")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
ADDRESS_KEYS = ("commune_code", "ward_code")  # at least one of the two, in the header and a row
LABELS = {c.key: c.label for c in COLUMNS}


# --------------------------------------------------------------------------------------------
# Plans and results


@dataclass
class ImportPlan:
    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # rows imported all the same
    new_facilities: list[Facility] = field(default_factory=list)
    changed_facilities: list[Facility] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> int:
        return len(self.new_facilities)

    @property
    def to_update(self) -> int:
        return len(self.changed_facilities)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


# --------------------------------------------------------------------------------------------
# Reading (core.spreadsheets, with the facility columns)


def read_table(file_obj, filename: str) -> list[spreadsheets.Row]:
    """Rows of a facility file keyed by column key; raises ImportFileError."""
    return spreadsheets.read_table(file_obj, filename, COLUMNS)


def count_rows(file_obj, filename: str, *, limit: int) -> int:
    """Data rows of a facility file, counting no further than `limit` + 1."""
    return spreadsheets.count_rows(file_obj, filename, COLUMNS, limit=limit)


# --------------------------------------------------------------------------------------------
# Cell parsers of the facility columns (the generic ones are core.cells')


def parse_tax_code(text: str) -> str:
    try:
        validate_tax_code(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
    return text


OWNERSHIP_WORDS = {
    "state": Facility.Ownership.STATE,
    "private": Facility.Ownership.PRIVATE,
    "fdi": Facility.Ownership.FDI,
    "nhà nước": Facility.Ownership.STATE,
    "ngoài nhà nước": Facility.Ownership.PRIVATE,
    "có vốn đầu tư nước ngoài (fdi)": Facility.Ownership.FDI,
}
STATUS_WORDS = {
    "active": Facility.Status.ACTIVE,
    "suspended": Facility.Status.SUSPENDED,
    "closed": Facility.Status.CLOSED,
    "đang hoạt động": Facility.Status.ACTIVE,
    "tạm ngừng": Facility.Status.SUSPENDED,
    "đã đóng cửa": Facility.Status.CLOSED,
}

parse_ownership = choices(
    OWNERSHIP_WORDS,
    gettext_lazy("Loại hình sở hữu phải là state, private, fdi (nhà nước, ngoài nhà nước, FDI)."),
)
parse_status = choices(
    STATUS_WORDS, gettext_lazy("Tình trạng phải là active, suspended hoặc closed.")
)


# --------------------------------------------------------------------------------------------
# Reference data, loaded once per plan


class References:
    """Units of the portal's province (pre-2025 communes of its old provinces, 2025 wards, the
    old→new links), VSIC codes, industrial areas: a few queries in all."""

    def __init__(self):
        self.province_code = territory.portal_province_code()
        self.old_province_codes = ", ".join(territory.legacy_province_codes())
        wards = list(territory.wards().values_list("code", "id", "name", "parent__name"))
        self.province_name = wards[0][3] if wards else territory.portal_province_name()
        self.wards = {code: pk for code, pk, _name, _province in wards}
        self.ward_labels = {pk: f"{name} ({code})" for code, pk, name, _province in wards}
        ward_names = {pk: name for _code, pk, name, _province in wards}
        # One query for the old communes and their links to the province's wards.
        self.communes, self.commune_names = {}, {}
        self.successors: dict[int, list[int]] = {}
        communes = territory.old_communes().values_list("code", "id", "name", "successors")
        for code, pk, name, successor in communes:
            self.communes[code], self.commune_names[pk] = pk, name
            if successor in ward_names:
                self.successors.setdefault(pk, []).append(successor)
        for candidates in self.successors.values():
            candidates.sort(key=lambda pk: (ward_names[pk], pk))
        self.commune_codes = {pk: code for code, pk in self.communes.items()}
        self.industries = dict(
            IndustryCode.objects.filter(version="VSIC2018").values_list("code", "id")
        )
        self.areas = {
            header_token(name): pk for pk, name in IndustrialArea.objects.values_list("id", "name")
        }
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
            raise CellError(_("Mã xã/phường phải gồm đúng 5 chữ số."))
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
            message += " " + _("Mã này là mã xã/phường từ 1/7/2025: hãy ghi vào cột ward_code.")
        raise CellError(message % names)

    def ward(self, text: str) -> int:
        if not re.fullmatch(r"\d{5}", text):
            raise CellError(_("Mã xã/phường mới phải gồm đúng 5 chữ số."))
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
                "Mã này là mã xã/phường trước 1/7/2025: hãy ghi vào cột commune_code."
            )
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

    def area(self, text: str) -> int:
        try:
            return self.areas[header_token(text)]
        except KeyError:
            raise CellError(
                _("Không có khu/cụm công nghiệp “%(name)s” trong danh mục.") % {"name": text}
            ) from None


# --------------------------------------------------------------------------------------------
# Planning


def _field_parsers(refs: References):
    """column key -> (model attribute, parser, value when the cell is empty)."""
    return {
        "tax_code": ("tax_code", parse_tax_code, None),
        "name": ("name", max_length(255), None),
        "address": ("address", max_length(255), None),
        "commune_code": ("commune_id", refs.commune, None),
        "ward_code": ("ward_id", refs.ward, None),
        "vsic_code": ("industry_id", refs.industry, None),
        "industrial_area": ("industrial_area_id", refs.area, None),
        "ownership": ("ownership", parse_ownership, ""),
        "established_year": ("established_year", parse_year, None),
        "employees": ("employees", parse_int, None),
        "revenue_bn_vnd": ("revenue_bn_vnd", parse_decimal, None),
        "capital_bn_vnd": ("capital_bn_vnd", parse_decimal, None),
        "high_pollution_risk": ("high_pollution_risk", parse_boolean, False),
        "key_energy_user": ("key_energy_user", parse_boolean, False),
        "status": ("status", parse_status, Facility.Status.ACTIVE),
        "closed_year": ("closed_year", parse_year, None),
        "contact_name": ("contact_name", max_length(150), ""),
        "contact_phone": ("contact_phone", max_length(30), ""),
        "contact_email": ("contact_email", parse_email, ""),
    }


PADDED_NUMBERS = {"tax_code": 10, "commune_code": 5, "ward_code": 5}


def _cell(row: dict, key: str) -> str:
    return cell_text(row, key, padded=PADDED_NUMBERS)


def _parse_row(row: dict, number: int, present: list[str], parsers) -> tuple[dict, list]:
    values, problems = {}, []
    for key in present:
        attribute, parse, empty = parsers[key]
        text = _cell(row, key)
        if not text:
            if key in REQUIRED_KEYS:
                problems.append(Problem(number, key, _("Bắt buộc phải có giá trị.")))
            else:
                values[attribute] = empty
            continue
        try:
            values[attribute] = parse(text)
        except CellError as exc:
            problems.append(Problem(number, key, str(exc)))
    return values, problems


CROSS_CHECKED = {"status", "closed_year", "established_year"}


def _cross_check(values: dict, number: int, existing: Facility | None, present) -> list:
    """Status, closed year and established year together (file values over stored ones)."""

    def effective(attribute, default):
        if attribute in values:
            return values[attribute]
        return getattr(existing, attribute) if existing else default

    status = effective("status", Facility.Status.ACTIVE)
    closed = effective("closed_year", None)
    established = effective("established_year", None)
    column = "closed_year" if "closed_year" in present else "status"
    if status == Facility.Status.CLOSED and closed is None:
        return [Problem(number, column, _("Bắt buộc ghi năm đóng cửa khi tình trạng là closed."))]
    if status != Facility.Status.CLOSED and closed is not None:
        return [Problem(number, column, _("Chỉ ghi năm đóng cửa khi tình trạng là closed."))]
    if closed is not None and established is not None and closed < established:
        return [Problem(number, column, _("Năm đóng cửa không được trước năm thành lập."))]
    return []


def _resolve_address(
    values: dict, number: int, existing: Facility | None, present, refs: References, plan
) -> list:
    """The old commune and the 2025 ward together (module docstring): fills `ward_id` in
    `values` when it follows from the old commune, adds a warning to `plan` when it cannot;
    returns the row's problems."""
    has_commune, has_ward = "commune_code" in present, "ward_code" in present
    stored_commune = existing.commune_id if existing else None
    stored_ward = existing.ward_id if existing else None
    commune = values["commune_id"] if has_commune else stored_commune
    ward = values.get("ward_id") if has_ward else None
    if ward is not None:
        candidates = refs.successors.get(commune, ())
        if commune is not None and candidates and ward not in candidates:
            message = _(
                "Xã/phường mới %(ward)s không khớp với xã/phường cũ %(commune)s: theo danh mục "
                "sắp xếp đơn vị hành chính từ 1/7/2025, xã/phường cũ này nay thuộc %(candidates)s."
            ) % {
                "ward": refs.ward_labels[ward],
                "commune": refs.commune_label(commune),
                "candidates": refs.candidates(commune),
            }
            return [Problem(number, "ward_code", message)]
        return []
    derive = has_ward or (
        has_commune and (existing is None or commune != stored_commune or stored_ward is None)
    )
    if not derive:
        ward = stored_ward
    elif commune is not None:
        candidates = refs.successors.get(commune, [])
        if len(candidates) == 1:
            ward = candidates[0]
        elif not has_ward and stored_ward in candidates:
            ward = stored_ward  # staff chose one of the wards of a split commune
        else:
            plan.warnings.append(Problem(number, "commune_code", _ward_warning(commune, refs)))
    if commune is None and ward is None:
        message = _(
            "Cần ghi mã xã/phường trước 1/7/2025 (commune_code) hoặc mã xã/phường từ 1/7/2025 "
            "(ward_code)."
        )
        return [Problem(number, "commune_code" if has_commune else "ward_code", message)]
    if derive:
        values["ward_id"] = ward
    return []


def _ward_warning(commune: int, refs: References) -> str:
    if commune in refs.successors:
        return _(
            "Xã/phường %(commune)s (trước 1/7/2025) nay thuộc nhiều xã/phường mới: "
            "%(candidates)s. Cơ sở vẫn được nhập nhưng chưa có xã/phường từ 1/7/2025; cần chọn "
            "xã/phường mới (cột ward_code hoặc sửa thông tin cơ sở)."
        ) % {"commune": refs.commune_label(commune), "candidates": refs.candidates(commune)}
    return _(
        "Danh mục chưa có xã/phường từ 1/7/2025 nào ứng với xã/phường %(commune)s (trước "
        "1/7/2025). Cơ sở vẫn được nhập nhưng chưa có xã/phường mới; cần chọn xã/phường mới "
        "(cột ward_code hoặc sửa thông tin cơ sở)."
    ) % {"commune": refs.commune_label(commune)}


def facilities_by_tax_code(codes) -> dict[str, Facility]:
    """Tax code -> facility, for the registered ones among `codes`, in chunked queries."""
    found, codes = {}, sorted(set(codes))
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update({f.tax_code: f for f in Facility.objects.filter(tax_code__in=chunk)})
    return found


Progress = Callable[[int, int], None]  # progress(done, total)


def plan_import(
    rows: list[dict], *, filename: str = "", progress: Progress | None = None
) -> ImportPlan:
    """Validate `rows` and decide what to create and update; a bounded number of queries.
    `progress(rows checked, rows)` is called every PROGRESS_EVERY rows and at the end."""
    plan = ImportPlan(filename=filename)
    if not rows:
        plan.problems.append(Problem(None, None, _("Tệp không có dòng dữ liệu nào.")))
        return plan
    present = [key for key in COLUMN_KEYS if any(key in row for row in rows[:1])]
    present += [key for key in REQUIRED_KEYS if key not in present]
    if not any(key in present for key in ADDRESS_KEYS):
        message = _(
            "Thiếu cột “commune_code” (xã/phường trước 1/7/2025) hoặc “ward_code” (xã/phường "
            "từ 1/7/2025): cần ít nhất một trong hai."
        )
        plan.problems.append(Problem(1, "commune_code", message))
        return plan
    refs = References()
    refs.load_foreign_units(
        {_cell(row, "commune_code") for row in rows}, {_cell(row, "ward_code") for row in rows}
    )
    parsers = _field_parsers(refs)
    parsed = []  # (row number, parsed values, columns with a problem)
    for index, row in enumerate(rows):
        number = getattr(row, "number", index + 2)
        values, problems = _parse_row(row, number, present, parsers)
        plan.problems.extend(problems)
        parsed.append((number, values, {p.column for p in problems}))
        if len(plan.problems) >= MAX_PROBLEMS:
            break
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    _check_duplicates(parsed, plan)
    existing = facilities_by_tax_code(v["tax_code"] for _n, v, _b in parsed if "tax_code" in v)
    for number, values, bad in parsed:
        facility = existing.get(values.get("tax_code"))
        cross = [] if bad & CROSS_CHECKED else _cross_check(values, number, facility, present)
        if not bad & set(ADDRESS_KEYS):
            cross += _resolve_address(values, number, facility, present, refs, plan)
        plan.problems.extend(cross)
        if not bad and not cross:
            _plan_facility(plan, values, facility)
    sort_problems(plan.problems, COLUMN_KEYS)
    sort_problems(plan.warnings, COLUMN_KEYS)
    if progress:
        progress(len(rows), len(rows))
    return plan


def _check_duplicates(parsed: list, plan: ImportPlan) -> None:
    """The later of two rows with the same tax code is the one at fault."""
    first_row: dict[str, int] = {}
    for number, values, bad in parsed:
        code = values.get("tax_code")
        if code is None:
            continue
        if code in first_row:
            plan.problems.append(
                Problem(
                    number,
                    "tax_code",
                    _("Mã số thuế %(code)s trùng với dòng %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            )
            bad.add("tax_code")
        else:
            first_row[code] = number


def _plan_facility(plan: ImportPlan, values: dict, facility: Facility | None) -> None:
    if facility is None:
        plan.new_facilities.append(Facility(**values))
        return
    changed = [a for a, v in values.items() if getattr(facility, a) != v]
    if not changed:
        plan.unchanged += 1
        return
    for attribute in changed:
        setattr(facility, attribute, values[attribute])
    plan.changed_facilities.append(facility)
    plan.changed_fields.update(changed)


def plan_file(file_obj, filename: str, *, progress: Progress | None = None) -> ImportPlan:
    """read_table + plan_import; a file that cannot be read gives a plan with its problems."""
    try:
        rows = read_table(file_obj, filename)
    except ImportFileError as exc:
        return ImportPlan(filename=filename, problems=exc.problems)
    return plan_import(rows, filename=PurePath(filename).name, progress=progress)


# --------------------------------------------------------------------------------------------
# Applying


def _prepare(facility: Facility, places: dict[int, str]) -> None:
    """What Facility.save() and NFCCharField would do, since bulk operations bypass them."""
    for attribute in ("name", "address", "contact_name"):
        setattr(facility, attribute, nfc(getattr(facility, attribute)))
    facility.search_text = facility.compute_search_text(places)


def apply_import(plan: ImportPlan, *, user, progress: Progress | None = None) -> ImportResult:
    """Write the plan in one transaction, with history entries by `user`; nothing if invalid.
    `progress(facilities written, facilities to write)` is called after each batch."""
    if not plan.is_valid:
        raise InvalidImport(_("Tệp có lỗi; không có dữ liệu nào được ghi."))
    reason = _("Nhập từ tệp %(name)s") % {"name": plan.filename or "-"}
    now = timezone.now()
    total, written = plan.to_create + plan.to_update, 0
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    with transaction.atomic():
        data_changed()  # bulk writes send no signals
        facilities = plan.new_facilities + plan.changed_facilities
        places = place_search_names(
            pk for facility in facilities for pk in (facility.commune_id, facility.ward_id)
        )
        for facility in facilities:
            _prepare(facility, places)
        for batch in _batches(plan.new_facilities):
            bulk_create_with_history(batch, Facility, batch_size=BATCH_SIZE, **history)
            written += len(batch)
            if progress:
                progress(written, total)
        changed_fields = sorted(plan.changed_fields | {"search_text", "updated_at", "version"})
        for batch in _batches(plan.changed_facilities):
            for facility in batch:
                facility.updated_at = now
                facility.version = F("version") + 1  # as Versioned.save() does
            bulk_update_with_history(
                batch, Facility, changed_fields, batch_size=BATCH_SIZE, **history
            )
            written += len(batch)
            if progress:
                progress(written, total)
    return ImportResult(plan.to_create, plan.to_update, plan.unchanged)


def _batches(items: list) -> list[list]:
    return [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]
