"""The import contract (DESIGN §5 "Import files") checked with files written as another author
would write them: the samples of shared/samples re-typed with shuffled columns, Vietnamese labels
in another case and Unicode form, semicolons and CRLF, XLSX numbers, booleans and a second sheet;
and the mistakes such authors make (a title row above the header, an Excel workbook saved under
a .csv name), which must be refused with one clear line naming the row, nothing written."""

import csv
import datetime
import io
import json
import random
import unicodedata

import pytest
from openpyxl import Workbook

from assessments.importing import COLUMNS as REPORT_COLUMNS
from assessments.models import AnnualReport
from facilities.import_columns import COLUMNS as FACILITY_COLUMNS
from facilities.models import Facility
from facilities.reference import load_admin_units
from reports.indicators import compute_indicators
from tests.import_commands import run_import, run_import_failing
from tests.reports.test_golden_samples import _computed
from tests.samples import SAMPLES

FACILITY_LABELS = {c.key: c.label for c in FACILITY_COLUMNS}
REPORT_LABELS = {c.key: c.label for c in REPORT_COLUMNS}
REPORT_NUMBERS = (
    "year",
    "output",
    "electricity_kwh",
    "coal_t",
    "diesel_l",
    "fuel_oil_t",
    "lpg_t",
    "natural_gas_1000m3",
    "water_m3",
    "employees",
    "revenue_bn_vnd",
    "capital_bn_vnd",
    "trained_staff",
)
FACILITY_NUMBERS = (
    "commune_code",
    "established_year",
    "employees",
    "closed_year",
    "revenue_bn_vnd",
    "capital_bn_vnd",
)
YES = {"yes", "có", "x", "1", "true"}


@pytest.fixture
def province(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    load_admin_units(27)


def _sample(name: str) -> list[dict]:
    with open(SAMPLES / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str):
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else float(text.replace(",", "."))


def _xlsx(path, header, rows, *, title=None, trailing_blank_rows=0, second_sheet=True):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for _ in range(trailing_blank_rows):
        sheet.append([None] * len(header))
    if second_sheet:
        workbook.create_sheet("Ghi chú").append(["Không phải dữ liệu", 1, 2])
    workbook.save(path)
    return path


def _facilities_xlsx(path, **kwargs):
    """The sample's facilities, columns shuffled, Vietnamese labels, codes and numbers as XLSX
    numbers (the tax codes' leading zeros lost), yes/no as they were typed."""
    rows = _sample("facilities.csv")
    keys = list(rows[0])
    random.Random(4).shuffle(keys)
    table = []
    for row in rows:
        cells = []
        for key in keys:
            value = row[key]
            if key in FACILITY_NUMBERS or (key == "tax_code" and "-" not in value):
                cells.append(_number(value))
            else:
                cells.append(value or None)
        table.append(cells)
    header = [FACILITY_LABELS[key] for key in keys]
    return _xlsx(path, header, table, **kwargs)


def _reports_xlsx(path, *, mutate=None, **kwargs):
    """The sample's annual reports, rows and columns shuffled, headers as the template's labels
    in capitals, numbers and years as XLSX numbers, yes/no as Excel booleans."""
    rows = _sample("annual_reports.csv")
    random.Random(44).shuffle(rows)
    keys = list(rows[0])
    random.Random(44).shuffle(keys)
    table = []
    for row in rows:
        cells = []
        for key in keys:
            value = row[key]
            if key in REPORT_NUMBERS:
                cells.append(_number(value))
            elif key in ("aware", "applies_cp", "has_cp_unit"):
                cells.append(value.strip().casefold() in YES if value.strip() else None)
            elif key == "tax_code" and "-" not in value:
                cells.append(int(value))
            else:
                cells.append(value or None)
        table.append(cells)
    if mutate:
        mutate(keys, table)
    header = [REPORT_LABELS[key].upper() for key in keys]
    return _xlsx(path, header, table, **kwargs)


def _expected() -> dict:
    return json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))["indicators"]


# --- what the contract allows ----------------------------------------------------------------


def test_retyped_xlsx_samples_give_the_independent_values(province, tmp_path):
    """Both sample files re-typed as XLSX (shuffled, labels, numbers as numbers, booleans,
    blank trailing rows, a second sheet) give expected.json's values for every year."""
    run_import("import_facilities", _facilities_xlsx(tmp_path / "co-so.xlsx"))
    run_import(
        "import_annual_reports", _reports_xlsx(tmp_path / "bao-cao.xlsx", trailing_blank_rows=3)
    )
    assert Facility.objects.count() == 40
    assert AnnualReport.objects.count() == 110
    expected = _expected()
    for year in range(2016, 2021):
        assert _computed(compute_indicators(year)) == expected[str(year)], year


def test_a_csv_written_another_way_changes_nothing_of_the_same_facilities(province, tmp_path):
    """Semicolons, CRLF, a BOM, shuffled columns, labels in capitals and decomposed (NFD)
    Vietnamese with stray spaces, decimal commas: the same data as the sample, so importing it
    after the sample leaves all 40 facilities unchanged; and the same file twice as well."""
    run_import("import_facilities", SAMPLES / "facilities.csv")
    rows = _sample("facilities.csv")
    keys = list(rows[0])
    random.Random(5).shuffle(keys)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [f"  {unicodedata.normalize('NFD', FACILITY_LABELS[key].upper())} " for key in keys]
    )
    for row in rows:
        writer.writerow([row[key] for key in keys])
    path = tmp_path / "co-so-excel.csv"
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    versions = sorted(Facility.objects.values_list("version", flat=True))
    for _ in range(2):
        assert "thêm mới 0, cập nhật 0, giữ nguyên 40" in run_import("import_facilities", path)
    assert sorted(Facility.objects.values_list("version", flat=True)) == versions


def test_one_bad_row_among_good_ones_replaces_no_report(province, tmp_path):
    """A re-import with one row whose year is an Excel date: exit 1, that row and column named,
    none of the other 109 reports replaced."""
    run_import("import_facilities", SAMPLES / "facilities.csv")
    run_import("import_annual_reports", SAMPLES / "annual_reports.csv")
    before = dict(AnnualReport.objects.values_list("pk", "version"))

    def one_bad_year(keys, table):
        table[57][keys.index("year")] = datetime.datetime(2018, 1, 1)

    lines = run_import_failing(
        "import_annual_reports", _reports_xlsx(tmp_path / "bao-cao.xlsx", mutate=one_bad_year)
    )
    assert lines[0].startswith("row 59, column year: ")
    assert "01/01/2018" in lines[0]
    assert dict(AnnualReport.objects.values_list("pk", "version")) == before


# --- what it forbids, said clearly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "writer"),
    [("import_facilities", _facilities_xlsx), ("import_annual_reports", _reports_xlsx)],
)
def test_a_title_row_above_the_header_is_named_as_such(province, tmp_path, command, writer):
    """Row 1 must be the header (DESIGN §5). A title row above it is refused with one line that
    says where the header is, not as an unknown column plus every required column missing."""
    if command == "import_annual_reports":
        run_import("import_facilities", SAMPLES / "facilities.csv")
    facilities, reports = Facility.objects.count(), AnnualReport.objects.count()
    path = writer(tmp_path / "co-tieu-de.xlsx", title="DANH SÁCH CƠ SỞ SẢN XUẤT CÔNG NGHIỆP")
    lines = run_import_failing(command, path)
    assert lines[0].startswith("row 1, column -: ")
    assert "dòng 2" in lines[0]
    assert not any("Thiếu cột bắt buộc" in line for line in lines)
    assert (Facility.objects.count(), AnnualReport.objects.count()) == (facilities, reports)


def test_a_header_that_is_nowhere_keeps_the_column_problems(province, tmp_path):
    """Without a header in the first rows, the header's own problems are still listed."""
    path = tmp_path / "khong-tieu-de.csv"
    path.write_text("Mã số thue,Tên\n0100109106,Công ty A\n", encoding="utf-8")
    lines = run_import_failing("import_facilities", path)
    assert lines[0].startswith("row 1, column Mã số thue: ")
    assert any("Thiếu cột bắt buộc “tax_code”" in line for line in lines)


def test_an_excel_workbook_named_csv_is_called_a_workbook(province, tmp_path):
    """An XLSX saved under a .csv name is refused as such, not as a CSV in the wrong encoding."""
    path = _facilities_xlsx(tmp_path / "co-so.csv")
    lines = run_import_failing("import_facilities", path)
    assert lines[0].startswith("Tệp có đuôi .csv nhưng là một bảng tính Excel")
    assert "UTF-8" not in lines[0].split(".")[0]
    assert Facility.objects.count() == 0


def test_a_line_break_in_a_cell_is_the_same_whatever_the_files_line_ends(province, tmp_path):
    """A quoted address over two lines, saved with Windows (CRLF), old Mac (CR) and Unix (LF)
    line ends: stored as one text, so re-importing the file in another style changes nothing."""
    rows = _sample("facilities.csv")[:1]
    rows[0]["address"] = "Số 215, Quốc lộ 5\nThôn Đông"
    outcomes = []
    for name, ending in (("crlf", "\r\n"), ("cr", "\r"), ("lf", "\n")):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator=ending)
        writer.writeheader()
        writer.writerow({**rows[0], "address": rows[0]["address"].replace("\n", ending)})
        path = tmp_path / f"co-so-{name}.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        outcomes.append(run_import("import_facilities", path))
        assert Facility.objects.get().address == "Số 215, Quốc lộ 5\nThôn Đông"
    assert "thêm mới 1" in outcomes[0]
    assert all("giữ nguyên 1" in outcome for outcome in outcomes[1:])
