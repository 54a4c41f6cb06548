"""Facility spreadsheet import (DESIGN.md §5 "Import files"): one code path for the web and the CLI.

    plan_import(rows, filename=...) -> plan # validate every cell, decide create/update/unchanged
    apply_import(plan, user=...) -> result  # all-or-nothing, with history
    plan_file(file, filename) -> plan       # read_table + plan_import, file errors as problems

Reading files and their safety checks are core.spreadsheets'; the cell parsers (numbers,
integers, years, yes/no, e-mail, the anti-formula quote) are core.cells'. The columns, their
labels and how a file is read into rows are facilities.import_columns'; the reference data the
cells are checked against (units, VSIC codes, industrial areas) facilities.import_references'.
This module holds the rows' validation, the plan and its application.

plan_import, plan_file and apply_import take an optional `progress(done, total)` callback, called
as rows are checked and written (the Celery import of big files records it: import_jobs.py).

Decisions beyond the contract (documented here and on the template's "Hướng dẫn" sheet):

- A column missing from the file leaves that field of an existing facility untouched (defaults for
  a new one). A column that is present describes the whole value: an empty optional cell clears it
  (booleans become "no", status becomes "active").
- Numbers and integers are read as core.cells describes (`29,4` = `29.4`; `1.234.567`);
  decimals are rounded to 3 places (1 million VND).
- XLSX cells holding numbers: codes are zero-padded (facilities.import_columns). A number in
  `vsic_code` (t, its digits as displayed: 810.0 is 810) is read thus: one digit is zero-padded
  (8 is 08); three or four digits starting with 5–9 get a leading 0 when "0" + t starts with a
  known three-digit group of the VSIC table (level 3, the groups of divisions 05–09: 081, 089…),
  with a row warning (810 is 0810 and 8101 is 08101, not division 81); otherwise t as is. Text
  cells and CSV files are never changed.
- The address (DESIGN §3): `commune_code` is a pre-2025 commune of any old province that merged
  into the portal's province, `ward_code` a 2025 commune/ward of the portal's province (the two
  schemes share the 5-digit numbers, so each code is looked up in its own scheme only). A row
  needs one of the two. Given the old code only, the 2025 ward is the one the old commune became;
  when it became part of several (or of none known), the row is imported with a warning and the
  facility has no ward until staff choose it (the "needs a 2025 address" list). Both given: the
  ward must be one the old commune became. No ward given (no `ward_code` column, or an empty
  cell) for an existing facility that has a ward: the rule of the edit form (facilities.forms
  FacilityForm): the ward stays unless the file changes the old commune for another old commune
  (the ward then follows the new one; a split one keeps the stored ward if it is among its
  wards). An old commune added to a facility that had none must be one that became its ward,
  else the row is refused on `commune_code`: a file never replaces or clears a ward without
  naming the new one. An emptied old commune cell leaves the ward as it is.
- A facility stored as closed (with its closing year) stays closed: a row giving it another
  status (an empty status cell included) is refused, since the portal knows no reopening and
  the facility would count as operating in every year since; a mistaken closing year is
  cleared on the facility's edit page, with a confirmation (facilities.forms).
- Warnings (core.spreadsheets) never stop a file: `plan.warnings`, printed and shown like problems.
- `vsic_code` resolves to the most specific known code that is a prefix of it (the exact code if
  known, else its 4-, 3-digit parents, else the division).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import notes
from core.cells import (
    CellError,
    decimal_or_thousands,
    max_length,
    parse_boolean,
    parse_decimal,
    parse_email,
    parse_int,
    parse_year,
)
from core.data_version import data_changed
from core.locking import lock_unchanged
from core.spreadsheets import (
    BATCH_SIZE,
    LOOKUP_CHUNK,
    MAX_PROBLEMS,
    ImportFileError,
    InvalidImport,
    Problem,
    locate_plan,
    sort_problems,
)
from core.text import nfc

from . import territory
from .import_columns import (
    ADDRESS_KEYS,
    COLUMN_KEYS,
    COLUMNS,
    REQUIRED_KEYS,
    cell,
    parse_contact_phone,
    parse_ownership,
    parse_status,
    parse_tax_code,
    phone_warning,
    read_table,
    vsic_cell,
)
from .import_references import AreaName, References
from .models import Facility, place_provinces, place_search_names
from .models.industrial_area import area_search_names

ASYNC_ROW_THRESHOLD = 2000  # files with more data rows are checked and imported by Celery
PROGRESS_EVERY = 250  # rows checked between two calls of a plan's progress callback


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
        "contact_phone": ("contact_phone", parse_contact_phone, ""),
        "contact_email": ("contact_email", parse_email, ""),
    }


def _parse_row(
    row: dict, number: int, present: list[str], parsers, refs: References, plan: ImportPlan
) -> tuple[dict, list]:
    """The row's values by model attribute and its problems; its warnings go to `plan`."""
    values, problems = {}, []
    for key in present:
        attribute, parse, empty = parsers[key]
        if key == "vsic_code":
            text, warning = vsic_cell(row, refs.groups)
            if warning:
                plan.warnings.append(Problem(number, key, warning))
        else:
            text = cell(row, key)
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
            continue
        if parse is parse_decimal and (warning := decimal_or_thousands(row.get(key))):
            plan.warnings.append(Problem(number, key, warning))
        if key == "contact_phone" and (warning := phone_warning(values[attribute])):
            plan.warnings.append(Problem(number, key, warning))
    return values, problems


CROSS_CHECKED = {"status", "closed_year", "established_year"}
OPERATING_YEARS = ("established_year", "closed_year")


def _changed_years(values: dict, existing: Facility | None) -> set[str]:
    """The operating years (established, closed) that the row changes for an existing facility."""
    if existing is None:
        return set()
    return {a for a in OPERATING_YEARS if a in values and values[a] != getattr(existing, a)}


def _dated_records(parsed: list, existing: dict[str, Facility]) -> dict[int, dict]:
    """Facility id -> its dated records' years (FacilityQuerySet.dated_records: annual reports,
    activities, options), for the registered facilities whose operating years the file changes:
    one query per chunk of facilities, none when there is no such facility."""
    ids = set()
    for _number, values, bad in parsed:
        facility = existing.get(values.get("tax_code"))
        if not bad & CROSS_CHECKED and _changed_years(values, facility):
            ids.add(facility.pk)
    ids, records = sorted(ids), {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        records.update(Facility.objects.filter(pk__in=chunk).dated_records())
    return records


def _cross_check(
    values: dict, number: int, existing: Facility | None, present, records=None
) -> list:
    """Status, closed year and established year together (file values over stored ones); a
    changed established or closed year must keep the years of `records` (the facility's dated
    records: _dated_records) operating years (Facility.records_outside_years)."""

    def effective(attribute, default):
        if attribute in values:
            return values[attribute]
        return getattr(existing, attribute) if existing else default

    status = effective("status", Facility.Status.ACTIVE)
    closed = effective("closed_year", None)
    established = effective("established_year", None)
    column = "closed_year" if "closed_year" in present else "status"
    if (
        existing is not None
        and existing.status == Facility.Status.CLOSED
        and existing.closed_year is not None
        and status != Facility.Status.CLOSED
    ):
        # No reopening (one closing year): the facility would count as operating in every
        # year since; clearing a mistaken closing year is the edit form's, with confirmation.
        message = _(
            "Cơ sở %(name)s đã đóng cửa năm %(year)s; cổng không ghi nhận cơ sở hoạt động trở "
            "lại nên không nhập được tình trạng khác closed. Muốn xóa năm đóng cửa nhập nhầm, "
            "sửa trên trang cơ sở."
        ) % {"name": existing.name, "year": existing.closed_year}
        return [Problem(number, "status", message)]
    if status == Facility.Status.CLOSED and closed is None:
        return [Problem(number, column, _("Bắt buộc ghi năm đóng cửa khi tình trạng là closed."))]
    if status != Facility.Status.CLOSED and closed is not None:
        return [Problem(number, column, _("Chỉ ghi năm đóng cửa khi tình trạng là closed."))]
    if problem := Facility.closing_year_problem(closed, established):
        return [Problem(number, column, problem)]
    changed = _changed_years(values, existing)
    if not changed:
        return []
    problems = existing.records_outside_years(established, closed, records or {})
    return [
        Problem(number, attribute, problems[attribute])
        for attribute in OPERATING_YEARS
        if attribute in changed and attribute in problems
    ]


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
    # No ward given: as on the edit form, a stored ward stays unless the old commune is changed
    # for another old commune (the ward is then derived again).
    replaced = None not in (commune, stored_commune) and commune != stored_commune
    if stored_ward is not None and not replaced:
        if commune != stored_commune and not _kept_ward_matches(commune, existing, refs):
            return [Problem(number, "commune_code", _kept_ward_mismatch(commune, existing, refs))]
        if has_ward:
            values["ward_id"] = stored_ward  # an empty cell
        return []
    if commune is not None:
        candidates = refs.successors.get(commune, [])
        if len(candidates) == 1:
            ward = candidates[0]
        elif stored_ward in candidates:
            # The new old commune was split and the stored ward is one of its wards: it stays,
            # as on the edit form.
            ward = stored_ward
        else:
            plan.warnings.append(Problem(number, "commune_code", _ward_warning(commune, refs)))
    if commune is None and ward is None:
        message = _(
            "Cần ghi mã xã/phường trước 1/7/2025 (commune_code) hoặc mã xã/phường từ 1/7/2025 "
            "(ward_code)."
        )
        return [Problem(number, "commune_code" if has_commune else "ward_code", message)]
    values["ward_id"] = ward
    return []


def _area_places(parsed: list, existing: dict[str, Facility]) -> dict[int, str]:
    """Unit id -> 2025 province for the places of the rows whose industrial area is looked up
    by place (AreaName); no query when there is none."""
    units = set()
    for _number, values, _bad in parsed:
        if isinstance(values.get("industrial_area_id"), AreaName):
            facility = existing.get(values.get("tax_code"))
            units.update((values.get("commune_id"), values.get("ward_id")))
            if facility is not None:
                units.update((facility.commune_id, facility.ward_id))
    return place_provinces(units) if units else {}


def _resolve_area(
    values: dict, number: int, existing: Facility | None, places: dict[int, str], refs
) -> list:
    """The area of the row's province by that name (the province as Facility.compute_province
    places it: its 2025 ward's, else its old commune's); returns the row's problems."""
    name = values.get("industrial_area_id")
    if not isinstance(name, AreaName):
        return []
    ward = values.get("ward_id", existing.ward_id if existing else None)
    commune = values.get("commune_id", existing.commune_id if existing else None)
    province = places.get(ward) or places.get(commune) or ""
    try:
        values["industrial_area_id"] = refs.area_in(name, province)
    except CellError as exc:
        return [Problem(number, "industrial_area", str(exc))]
    return []


def _kept_ward_matches(commune: int | None, facility: Facility, refs: References) -> bool:
    """Whether `facility`'s stored ward is one the old commune became (or nothing is known)."""
    candidates = refs.successors.get(commune, ())
    return commune is None or not candidates or facility.ward_id in candidates


def _kept_ward_mismatch(commune: int, facility: Facility, refs: References) -> str:
    ward = refs.ward_labels.get(facility.ward_id) or f"{facility.ward.name} ({facility.ward.code})"
    return _(
        "Xã/phường cũ %(commune)s không khớp với xã/phường mới %(ward)s của cơ sở: theo danh "
        "mục sắp xếp đơn vị hành chính từ 1/7/2025, xã/phường cũ này nay thuộc %(candidates)s. "
        "Nếu cơ sở đã đổi địa chỉ, ghi cả xã/phường mới (cột ward_code)."
    ) % {
        "commune": refs.commune_label(commune),
        "ward": ward,
        "candidates": refs.candidates(commune),
    }


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


def in_territory(facility: Facility, province: str | None) -> bool:
    """Whether an import limited to `province` (as territory takes it) may touch `facility`: a
    national installation's staff member imports for their own province only."""
    return province in (None, territory.ALL) or facility.province == province


def outside_message(facility: Facility) -> str:
    return _(
        "Mã số thuế %(code)s là của một cơ sở thuộc tỉnh/thành phố khác; chỉ nhập được cơ sở "
        "của tỉnh mình."
    ) % {"code": facility.tax_code}


Progress = Callable[[int, int], None]  # progress(done, total)


def plan_import(
    rows: list[dict],
    *,
    filename: str = "",
    progress: Progress | None = None,
    province: str | None = None,
) -> ImportPlan:
    """Validate `rows` and decide what to create and update; a bounded number of queries.
    `progress(rows checked, rows)` is called every PROGRESS_EVERY rows and at the end.
    `province` (territory.province_for(user)): whose units the file may use."""
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
    refs = References(province)
    refs.load_foreign_units(
        {cell(row, "commune_code") for row in rows}, {cell(row, "ward_code") for row in rows}
    )
    parsers = _field_parsers(refs)
    parsed = []  # (row number, parsed values, columns with a problem)
    for index, row in enumerate(rows):
        number = getattr(row, "number", index + 2)
        values, problems = _parse_row(row, number, present, parsers, refs, plan)
        plan.problems.extend(problems)
        parsed.append((number, values, {p.column for p in problems}))
        if len(plan.problems) >= MAX_PROBLEMS:
            break
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    _check_duplicates(parsed, plan)
    existing = facilities_by_tax_code(v["tax_code"] for _n, v, _b in parsed if "tax_code" in v)
    area_places = _area_places(parsed, existing)
    dated = _dated_records(parsed, existing)
    for number, values, bad in parsed:
        facility = existing.get(values.get("tax_code"))
        if facility is not None and not in_territory(facility, province):
            plan.problems.append(Problem(number, "tax_code", outside_message(facility)))
            continue
        records = dated.get(facility.pk, {}) if facility is not None else {}
        cross = (
            [] if bad & CROSS_CHECKED else _cross_check(values, number, facility, present, records)
        )
        if not bad & set(ADDRESS_KEYS):
            cross += _resolve_address(values, number, facility, present, refs, plan)
        if not bad and not cross:
            cross += _resolve_area(values, number, facility, area_places, refs)
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


def plan_file(
    file_obj, filename: str, *, progress: Progress | None = None, province: str | None = None
) -> ImportPlan:
    """read_table + plan_import; a file that cannot be read gives a plan with its problems."""
    try:
        rows = read_table(file_obj, filename)
    except ImportFileError as exc:
        return ImportPlan(filename=filename, problems=exc.problems)
    plan = plan_import(rows, filename=PurePath(filename).name, progress=progress, province=province)
    return locate_plan(plan, rows, COLUMNS)


# --------------------------------------------------------------------------------------------
# Applying


def _prepare(
    facility: Facility, places: dict[int, str], provinces: dict[int, str], areas: dict[int, str]
) -> None:
    """What Facility.save() and NFCCharField would do, since bulk operations bypass them."""
    for attribute in ("name", "address", "contact_name"):
        setattr(facility, attribute, nfc(getattr(facility, attribute)))
    facility.search_text = facility.compute_search_text(places, areas)
    facility.province = facility.compute_province(provinces)


def apply_import(plan: ImportPlan, *, user, progress: Progress | None = None) -> ImportResult:
    """Write the plan in one transaction, with history entries by `user`; nothing if invalid.
    `progress(facilities written, facilities to write)` is called after each batch."""
    if not plan.is_valid:
        raise InvalidImport(_("Tệp có lỗi; không có dữ liệu nào được ghi."))
    reason = notes.stored(notes.FILE_IMPORT, name=plan.filename or "-")
    now = timezone.now()
    total, written = plan.to_create + plan.to_update, 0
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    with transaction.atomic():
        # The plan was made from rows read before this transaction (minutes before, for a large
        # file): a facility saved since then by someone else refuses the whole file.
        lock_unchanged(Facility, plan.changed_facilities, LOOKUP_CHUNK)
        data_changed(facilities=())  # bulk writes send no signals (the ids follow below)
        facilities = plan.new_facilities + plan.changed_facilities
        units = {pk for facility in facilities for pk in (facility.commune_id, facility.ward_id)}
        places, provinces = place_search_names(units), place_provinces(units)
        areas = area_search_names(facility.industrial_area_id for facility in facilities)
        for facility in facilities:
            _prepare(facility, places, provinces, areas)
        for batch in _batches(plan.new_facilities):
            bulk_create_with_history(batch, Facility, batch_size=BATCH_SIZE, **history)
            written += len(batch)
            if progress:
                progress(written, total)
        changed_fields = sorted(
            plan.changed_fields | {"search_text", "province", "updated_at", "version"}
        )
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
        data_changed(facilities=[facility.pk for facility in facilities])
    return ImportResult(plan.to_create, plan.to_update, plan.unchanged)


def _batches(items: list) -> list[list]:
    return [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]
