"""Annual-report spreadsheet import (DESIGN.md §5 "Annual reports"): one code path for the web
page and `import_annual_reports`. File reading, limits and cell parsing are core's
(core.spreadsheets, core.cells), as for the facility import; the tax code and the facility
lookup are the registry's (facilities.importing). Only the columns and the rows' meaning differ.

    plan_file(file, filename) -> plan    # read + validate every cell, decide create/replace,
                                         # run the data-quality rules (plan.warnings)
    apply_import(plan, user=...) -> result  # all-or-nothing, approved, with history and events

Decisions beyond the contract:

- A row is keyed on (tax_code, year); a second row with the same key is an error.
- Re-import replaces: every contract column of an existing report takes the file's value, an
  absent or empty cell clearing it (booleans become "no", trained_staff 0), and the report's
  data the file cannot state (the "other fuel": CLEARED_ATTRIBUTES) is cleared, so the stored
  report is exactly the file's. The replaced report is approved like a new one, whatever state
  it was in, and its history and workflow log say it came from the file.
- Numbers follow the facility import: `,` or `.` as decimal mark, no negative values, at most 3
  decimals in a typed number (core.cells.parse_decimal).
"""

from copy import copy
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import notes
from core.cells import (
    BOOLEAN_RULE,
    CellError,
    cell_text,
    date_in_year_cell,
    decimal_or_thousands,
    max_length,
    parse_boolean,
    parse_decimal,
    parse_int,
)
from core.data_version import data_changed
from core.locking import ConcurrentChange, lock_unchanged
from core.spreadsheets import (
    BATCH_SIZE,
    LOOKUP_CHUNK,
    MAX_PROBLEMS,
    Column,
    ImportFileError,
    InvalidImport,
    Problem,
    locate_plan,
    read_table,
    sort_problems,
)
from facilities.import_columns import parse_tax_code
from facilities.importing import facilities_by_tax_code, in_territory
from facilities.models import Facility

from . import quality
from .models import (
    AnnualReport,
    Assessment,
    WorkflowEvent,
    WorkflowState,
    plan_years,
    state_after_import,
)
from .models.savings_cap import approved_baselines

NUMBER_RULE = gettext_lazy(
    "Số ≥ 0, tối đa 3 chữ số sau dấu thập phân; dấu phẩy hoặc dấu chấm là dấu thập phân "
    "(29,4 = 29.4)."
)
COLUMNS = (
    Column("tax_code", "Mã số thuế", True, gettext_lazy("Mã số thuế của một cơ sở đã có.")),
    Column("year", "Năm báo cáo", True, gettext_lazy("Năm thuộc một kỳ kế hoạch.")),
    Column("product", "Sản phẩm chính", False, gettext_lazy("Tối đa 255 ký tự.")),
    Column("product_unit", "Đơn vị sản phẩm", False, gettext_lazy("Tối đa 50 ký tự.")),
    Column("output", "Sản lượng", False, NUMBER_RULE),
    Column("electricity_kwh", "Điện (kWh)", False, NUMBER_RULE),
    Column("coal_t", "Than (tấn)", False, NUMBER_RULE),
    Column("diesel_l", "Dầu diesel (lít)", False, NUMBER_RULE),
    Column("fuel_oil_t", "Dầu FO (tấn)", False, NUMBER_RULE),
    Column("lpg_t", "LPG (tấn)", False, NUMBER_RULE),
    Column("natural_gas_1000m3", "Khí thiên nhiên (1000 m³)", False, NUMBER_RULE),
    Column("water_m3", "Nước (m³)", False, NUMBER_RULE),
    Column("employees", "Số lao động", False, gettext_lazy("Số nguyên ≥ 0.")),
    Column("revenue_bn_vnd", "Doanh thu (tỷ đồng)", False, NUMBER_RULE),
    Column("capital_bn_vnd", "Nguồn vốn (tỷ đồng)", False, NUMBER_RULE),
    Column("aware", "Nhận thức được lợi ích SXSH", False, BOOLEAN_RULE),
    Column("applies_cp", "Đang áp dụng SXSH", False, BOOLEAN_RULE),
    Column("has_cp_unit", "Có bộ phận chuyên trách SXSH", False, BOOLEAN_RULE),
    Column("trained_staff", "Số cán bộ được đào tạo SXSH", False, gettext_lazy("Số nguyên ≥ 0.")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
DECIMAL_KEYS = (
    "output",
    "electricity_kwh",
    "coal_t",
    "diesel_l",
    "fuel_oil_t",
    "lpg_t",
    "natural_gas_1000m3",
    "water_m3",
    "revenue_bn_vnd",
    "capital_bn_vnd",
)
BOOLEAN_KEYS = ("aware", "applies_cp", "has_cp_unit")
PADDED_NUMBERS = {"tax_code": 10}  # a numeric XLSX cell gets back the zeros Excel dropped


def parse_report_year(text: str) -> int:
    """A four-digit year; whether a plan period covers it is checked per import in _resolve."""
    message = _("Năm báo cáo phải là một năm gồm 4 chữ số, ví dụ 2018.")
    date_in_year_cell(text)
    try:
        year = parse_int(text)
    except CellError as exc:
        raise CellError(message) from exc
    if not 1000 <= year <= 9999:  # four digits; whether a plan covers it is said in _parse_row
        raise CellError(message)
    return year


# column key -> (parser, value when the cell is empty or the column absent)
PARSERS = {
    "tax_code": (parse_tax_code, None),
    "year": (parse_report_year, None),
    "product": (max_length(255), ""),
    "product_unit": (max_length(50), ""),
    **{key: (parse_decimal, None) for key in DECIMAL_KEYS},
    "employees": (parse_int, None),
    **{key: (parse_boolean, False) for key in BOOLEAN_KEYS},
    "trained_staff": (parse_int, 0),
}
REPORT_ATTRIBUTES = tuple(k for k in COLUMN_KEYS if k != "tax_code")
# The report's data no column states (the other fuel): a replaced report's is cleared.
CLEARED_ATTRIBUTES = tuple(f for f in AnnualReport.DATA_FIELDS if f not in REPORT_ATTRIBUTES)
ROW = "_row"  # the spreadsheet row of a parsed row's values


@dataclass
class ImportPlan:
    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    # What the data-quality rules warn about (core.spreadsheets "Warnings"): imported all the same.
    warnings: list[Problem] = field(default_factory=list)
    new_reports: list[AnnualReport] = field(default_factory=list)
    replaced_reports: list[AnnualReport] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)  # id(report) -> spreadsheet row
    findings: list[tuple[AnnualReport, list]] = field(default_factory=list)
    # id(report) -> the approved version a replaced report had before the file's values.
    approved_before: dict[int, AnnualReport] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> int:
        return len(self.new_reports)

    @property
    def to_replace(self) -> int:
        return len(self.replaced_reports)


@dataclass(frozen=True)
class ImportResult:
    created: int
    replaced: int


# --- planning ---------------------------------------------------------------------------------


def _parse_row(row: dict, number: int, years: set[int], plan: ImportPlan) -> tuple[dict, list]:
    """The row's values and its problems; its warnings go to `plan`."""
    values, problems = {}, []
    for key, (parse, empty) in PARSERS.items():
        text = cell_text(row, key, padded=PADDED_NUMBERS)
        if not text:
            if key in ("tax_code", "year"):
                problems.append(Problem(number, key, _("Bắt buộc phải có giá trị.")))
            values[key] = empty
            continue
        try:
            values[key] = parse(text)
        except CellError as exc:
            problems.append(Problem(number, key, str(exc)))
            continue
        if parse is parse_decimal and (warning := decimal_or_thousands(row.get(key))):
            plan.warnings.append(Problem(number, key, warning))
    year = values.get("year")
    if year is not None and year not in years:
        message = _("Năm %(year)s không thuộc kỳ kế hoạch nào.") % {"year": year}
        if years:
            message += " " + _(
                "Các năm có kỳ kế hoạch: %(years)s; năm khác cần cán bộ Sở tạo kỳ kế hoạch trước."
            ) % {"years": year_ranges(years)}
        problems.append(Problem(number, "year", message))
    return values, problems


def year_ranges(years: set[int]) -> str:
    """{2016, …, 2020, 2023} as "2016–2020, 2023"."""
    ranges, ordered = [], sorted(years)
    start = previous = ordered[0]
    for year in [*ordered[1:], None]:
        if year is not None and year == previous + 1:
            previous = year
            continue
        ranges.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = year
    return ", ".join(ranges)


def _existing_reports(keys: set[tuple[int, int]]) -> dict[tuple[int, int], AnnualReport]:
    """Reports already stored for the (facility id, year) pairs of the file, in chunked queries."""
    found, facility_ids = {}, sorted({facility_id for facility_id, _year in keys})
    years = sorted({year for _facility_id, year in keys})
    for start in range(0, len(facility_ids), LOOKUP_CHUNK):
        chunk = facility_ids[start : start + LOOKUP_CHUNK]
        for report in AnnualReport.objects.filter(facility_id__in=chunk, year__in=years):
            if (report.facility_id, report.year) in keys:
                found[(report.facility_id, report.year)] = report
    return found


def plan_import(rows: list[dict], *, filename: str = "", province: str | None = None) -> ImportPlan:
    """Validate every row and decide which reports to create and which to replace; `province`
    (territory.province_for(user)) limits the facilities the file may report for."""
    plan = ImportPlan(filename=filename)
    if not rows:
        plan.problems.append(Problem(None, None, _("Tệp không có dòng dữ liệu nào.")))
        return plan
    parsed, years = [], plan_years()
    for index, row in enumerate(rows):
        number = getattr(row, "number", index + 2)
        values, problems = _parse_row(row, number, years, plan)
        plan.problems.extend(problems)
        if not problems:
            parsed.append((number, values))
        if len(plan.problems) >= MAX_PROBLEMS:
            break
    facilities = facilities_by_tax_code(values["tax_code"] for _n, values in parsed)
    keyed = _resolve(parsed, facilities, plan, province)
    existing = _existing_reports(set(keyed))
    for key, values in keyed.items():
        _plan_report(plan, facilities[values["tax_code"]], values, existing.get(key))
    _check_quality(plan)
    _check_baselines(plan)
    sort_problems(plan.problems, COLUMN_KEYS)
    sort_problems(plan.warnings, COLUMN_KEYS)
    return plan


def _check_quality(plan: ImportPlan) -> None:
    """The data-quality rules over the file's reports, as if imported (they are all approved
    then): errors refuse the file, warnings are told and the rows imported; the findings are
    stored by apply_import."""
    reports = plan.new_reports + plan.replaced_reports
    for report, findings in zip(reports, quality.check_reports(reports, overlay=True), strict=True):
        plan.findings.append((report, findings))
        number = plan.rows[id(report)]
        for finding in findings:
            problem = Problem(number, finding.field, finding.message)
            if finding.is_error:
                plan.problems.append(problem)
            elif finding.is_warning:
                plan.warnings.append(problem)


def _check_baselines(plan: ImportPlan) -> None:
    """The savings cap seen from the baseline (AnnualReport.baseline_use_errors) over the file's
    reports, all approved on import: a figure below what the options of all the facility's
    assessments with that baseline year save together (an empty figure: none used), or one that
    takes the largest figure of the facility's approved baseline-year reports below what the
    options of all its assessments under them save (the file's reports of its other years in
    place of the stored ones), refuses the file on that row; a few queries per chunk of
    facilities."""
    reports = plan.new_reports + plan.replaced_reports
    facility_ids = sorted({report.facility_id for report in reports})
    assessments, approved = {}, {}
    for start in range(0, len(facility_ids), LOOKUP_CHUNK):
        chunk = facility_ids[start : start + LOOKUP_CHUNK]
        found = Assessment.objects.filter(facility_id__in=chunk, baseline_year__isnull=False)
        found = list(found.with_savings())
        for assessment in found:
            assessments.setdefault(assessment.facility_id, []).append(assessment)
        for (facility_id, year), report in approved_baselines(chunk, found).items():
            approved.setdefault(facility_id, {})[year] = report
    for report in reports:  # the file's reports take the place of the stored ones
        approved.setdefault(report.facility_id, {})[report.year] = report
    for report in reports:
        errors = report.savings_errors(
            assessments.get(report.facility_id, []),
            plan.approved_before.get(id(report)),
            approved[report.facility_id],
        )
        for column, messages in errors.items():
            plan.problems.extend(Problem(plan.rows[id(report)], column, m) for m in messages)


def _resolve(parsed: list, facilities: dict, plan: ImportPlan, province: str | None) -> dict:
    """(facility id, year) -> values of the rows whose facility is known, may report for the
    year (Facility.report_year_problem) and whose key is unique."""
    keyed, first_row, today = {}, {}, timezone.localdate()
    for number, values in parsed:
        facility = facilities.get(values["tax_code"])
        # Another province's facility reads as unknown: a province's staff never learn that it
        # exists (DESIGN §2, as its pages are 404).
        if facility is None or not in_territory(facility, province):
            message = _("Không có cơ sở mã số thuế %(code)s trong sổ đăng ký.") % {
                "code": values["tax_code"]
            }
            plan.problems.append(Problem(number, "tax_code", message))
            continue
        if problem := facility.report_year_problem(values["year"], today):
            plan.problems.append(Problem(number, "year", problem))
            continue
        key = (facility.pk, values["year"])
        if key in first_row:
            message = _("Cơ sở %(code)s đã có báo cáo năm %(year)s ở dòng %(row)s.")
            names = {"code": values["tax_code"], "year": values["year"], "row": first_row[key]}
            plan.problems.append(Problem(number, "year", message % names))
            continue
        first_row[key], keyed[key] = number, values
        values[ROW] = number
    return keyed


def _plan_report(plan: ImportPlan, facility: Facility, values: dict, report) -> None:
    if report is None:
        report = AnnualReport(facility=facility)
        plan.new_reports.append(report)
    else:
        plan.replaced_reports.append(report)
        if report.state == WorkflowState.APPROVED:
            plan.approved_before[id(report)] = copy(report)
    plan.rows[id(report)] = values[ROW]
    for attribute in REPORT_ATTRIBUTES:
        setattr(report, attribute, values[attribute])
    for attribute in CLEARED_ATTRIBUTES:
        setattr(report, attribute, AnnualReport._meta.get_field(attribute).get_default())


def plan_file(file_obj, filename: str, *, province: str | None = None) -> ImportPlan:
    """Read and plan; a file that cannot be read gives a plan with its problems."""
    try:
        rows = read_table(file_obj, filename, COLUMNS)
    except ImportFileError as exc:
        return ImportPlan(filename=filename, problems=exc.problems)
    plan = plan_import(rows, filename=PurePath(filename).name, province=province)
    return locate_plan(plan, rows, COLUMNS)


# --- applying ---------------------------------------------------------------------------------


def apply_import(plan: ImportPlan, *, user) -> ImportResult:
    """Write the plan in one transaction: reports approved, history entries and workflow events
    by `user` (None from the command line); nothing at all if the plan has problems."""
    if not plan.is_valid:
        raise InvalidImport(_("Tệp có lỗi; không có dữ liệu nào được ghi."))
    reason = notes.stored(notes.FILE_IMPORT, name=plan.filename or "-")
    now = timezone.now()
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    previous = {report.pk: report.state for report in plan.replaced_reports}
    for report in plan.new_reports + plan.replaced_reports:
        _approve(report, user, now)
    with transaction.atomic():
        _check_again_locked(plan)
        # Bulk writes send no signals. Once this commits, every report of the facilities the file
        # writes is checked again, once per facility (assessments.signals): a row can be the
        # baseline, or the previous or next year, of their other reports.
        data_changed(facilities={r.facility_id for r in plan.new_reports + plan.replaced_reports})
        if plan.new_reports:
            created = bulk_create_with_history(
                plan.new_reports, AnnualReport, batch_size=BATCH_SIZE, **history
            )
            plan.new_reports = list(created)
        if plan.replaced_reports:
            fields = [
                *REPORT_ATTRIBUTES,
                *CLEARED_ATTRIBUTES,
                "state",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
            ]
            for report in plan.replaced_reports:
                report.version = F("version") + 1  # as Versioned.save() does
            fields.append("version")
            bulk_update_with_history(
                plan.replaced_reports, AnnualReport, fields, batch_size=BATCH_SIZE, **history
            )
        events = [_event(r, "", user, reason) for r in plan.new_reports]
        events += [_event(r, previous[r.pk], user, reason) for r in plan.replaced_reports]
        WorkflowEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        stored = {(r.facility_id, r.year): r.pk for r in plan.new_reports + plan.replaced_reports}
        quality.store_findings(
            {stored[(r.facility_id, r.year)]: findings for r, findings in plan.findings}
        )
    return ImportResult(plan.to_create, plan.to_replace)


def _check_again_locked(plan: ImportPlan) -> None:
    """The plan was made from rows read before this transaction: lock the reports it replaces
    and all the assessments of the facilities it writes (as the report and option services lock
    them: savings_cap.lock_cap_group) and refuse the whole file (ConcurrentChange) when a
    replaced report was saved since, or an option added since makes a figure fall below what
    the options save (_check_baselines)."""
    lock_unchanged(AnnualReport, plan.replaced_reports, LOOKUP_CHUNK)
    reports = plan.new_reports + plan.replaced_reports
    facility_ids = sorted({report.facility_id for report in reports})
    for start in range(0, len(facility_ids), LOOKUP_CHUNK):
        found = Assessment.objects.filter(
            facility_id__in=facility_ids[start : start + LOOKUP_CHUNK]
        )
        list(found.order_by("pk").select_for_update().values_list("pk", flat=True))
    problems = plan.problems
    plan.problems = []
    try:
        _check_baselines(plan)
        if plan.problems:
            raise ConcurrentChange("an option added since the check exceeds a baseline figure")
    finally:
        plan.problems = problems


def _approve(report: AnnualReport, user, now) -> None:
    report.state = state_after_import()
    report.reviewed_by = user
    report.reviewed_at = now
    report.updated_at = now
    if report.pk is None:
        report.created_by = user
        report.created_at = now


def _event(report, from_state: str, user, comment: str) -> WorkflowEvent:
    return WorkflowEvent(
        report=report,
        action=WorkflowEvent.Action.IMPORT,
        from_state=from_state,
        to_state=state_after_import(),
        comment=comment,
        by=user,
    )
