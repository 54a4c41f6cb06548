"""Facility files the team never made: what Excel and other programs do to the cells (DESIGN §5
"Import files"), through the command and the web import."""

import csv
import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from facilities.models import Facility, IndustryCode
from facilities.validators import is_valid_tax_code

from ..factories import make_tax_code
from .import_helpers import confirm_import, csv_bytes, good_row, make_references, xlsx_bytes

IMPORT = reverse("facilities:import")
CONFIRM = reverse("facilities:import_confirm")
VSIC_HEADER = ["tax_code", "name", "address", "commune_code", "vsic_code"]


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_facilities", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(path, *args) -> list[str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_facilities", str(path), *args, stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 1
    return out.getvalue().splitlines()


def vsic_row(n: int, vsic) -> list:
    row = good_row(n)
    return [row["tax_code"], row["name"], row["address"], row["commune_code"], vsic]


def division(n: int) -> str:
    return Facility.objects.get(tax_code=make_tax_code(n)).industry.code[:2]


# --------------------------------------------------------------------------------------------
# VSIC codes that Excel turned into numbers


def vsic_workbook(tmp_path):
    """Numeric cells 810, 8101, 1010, 8 and 810.0, a text cell "810", a numeric 550."""
    cells = {1: 810, 2: 8101, 3: 1010, 4: 8, 5: "810", 6: 810.0, 7: 550}
    path = tmp_path / "vsic.xlsx"
    path.write_bytes(xlsx_bytes([vsic_row(n, v) for n, v in cells.items()], VSIC_HEADER))
    return path


def groups_of_mining_divisions() -> set[str]:
    return set(
        IndustryCode.objects.filter(level=3, code__startswith="0").values_list("code", flat=True)
    )


def test_numeric_vsic_cells_get_back_the_leading_zero(tmp_path):
    assert "081" in groups_of_mining_divisions()  # the VSIC table the migrations load
    output = run(vsic_workbook(tmp_path))
    assert division(1) == "08"  # 810 -> 0810, not division 81 (services)
    assert division(2) == "08"  # 8101 -> 08101
    assert division(3) == "10"  # 1010: starts with 1, as written
    assert division(4) == "08"  # 8 -> 08
    assert division(5) == "81"  # a text cell is read as written
    assert division(6) == "08"  # 810.0 displays as 810
    assert division(7) == "55"  # 550: there is no group 055
    warned = [line for line in output.splitlines() if line.startswith("row ")]
    assert [line.split(":")[0] for line in warned] == [
        "row 2, column vsic_code",
        "row 3, column vsic_code",
        "row 7, column vsic_code",
    ]
    assert "Ô kiểu số 810 được đọc là mã ngành 0810" in warned[0]
    assert "định dạng cột này là Văn bản (Text)" in warned[0]
    assert "08101" in warned[1]


def test_the_groups_come_from_the_industry_code_table(tmp_path):
    IndustryCode.objects.filter(code__startswith="081").delete()
    output = run(vsic_workbook(tmp_path))
    assert division(1) == "81"
    assert "row 2, column vsic_code" not in output


def test_a_csv_vsic_code_is_read_as_written(tmp_path):
    path = tmp_path / "vsic.csv"
    path.write_bytes(csv_bytes([good_row(1, vsic_code="810")]))
    output = run(path)
    assert division(1) == "81"
    assert "vsic_code" not in output


def test_web_import_reads_numeric_vsic_cells_the_same_way(client, staff, tmp_path):
    client.force_login(staff)
    content = vsic_workbook(tmp_path).read_bytes()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("vsic.xlsx", content)})
    warnings = response.context["plan"].warnings
    assert [(w.row, w.column) for w in warnings] == [
        (2, "vsic_code"),
        (3, "vsic_code"),
        (7, "vsic_code"),
    ]
    assert "0810" in response.text
    confirm_import(client)
    assert [division(n) for n in range(1, 8)] == ["08", "08", "10", "08", "81", "08", "55"]


# --------------------------------------------------------------------------------------------
# Files written by other programs


def set_dimension(content: bytes, ref: str) -> bytes:
    """The workbook with the size its first sheet declares (<dimension ref=…>) set to `ref`, as
    some programs write it wrongly."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data
                )
                assert count == 1
            archive.writestr(info, data)
    return target.getvalue()


@pytest.mark.parametrize("ref", ["A1:E2", "A1:B2", "A1"])
def test_an_xlsx_declaring_a_wrong_size_is_read_whole(tmp_path, ref):
    header = [*VSIC_HEADER, "employees"]
    rows = [[*vsic_row(n, "1010"), "7"] for n in (1, 2)] + [[*vsic_row(3, "1010"), "bảy"]]
    path = tmp_path / "program.xlsx"
    path.write_bytes(set_dimension(xlsx_bytes(rows, header), ref))
    lines = run_failing(path)
    assert lines[0].startswith("row 4, column employees: ")
    rows[2][-1] = "7"
    path.write_bytes(set_dimension(xlsx_bytes(rows, header), ref))
    run(path)
    assert sorted(Facility.objects.values_list("employees", flat=True)) == [7, 7, 7]


def test_a_csv_with_nul_characters_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(csv_bytes([good_row(1, name="Công ty\x00A")]))
    lines = run_failing(path)
    assert lines == [lines[0]] and "ký tự NUL" in lines[0] and "UTF-8" in lines[0]
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "field, explained",
    [
        ('"Công ty "A" B"', "dấu ngoặc kép"),  # quotes inside a quoted cell not doubled
        ('"Công ty A', "dấu ngoặc kép"),  # a quote never closed
        ('"' + "A" * 140_000 + '"', "dài quá"),  # longer than the csv module reads
    ],
)
def test_an_unreadable_csv_is_explained_in_vietnamese(tmp_path, field, explained):
    header = "tax_code,name,address,commune_code,vsic_code\n"
    path = tmp_path / "quote.csv"
    path.write_text(f"{header}{make_tax_code(1)},{field},Số 1,09001,1010\n", encoding="utf-8")
    lines = run_failing(path)
    assert len(lines) == 1 and lines[0].startswith("Tệp CSV không đọc được ở dòng 2: ")
    assert explained in lines[0]
    assert not re.search(r"expected|unexpected|field|limit", lines[0])


def test_an_excel_separator_line_is_skipped(tmp_path):
    path = tmp_path / "sep.csv"
    content = csv_bytes([good_row(1), good_row(2, employees="nhiều")], bom=False)
    path.write_bytes(b"sep=,\r\n" + content)
    assert run_failing(path) == [
        "row 3, column employees: Phải là số nguyên ≥ 0."  # row 1 is the header, as Excel shows
    ]
    path.write_bytes(b"sep=,\r\n" + csv_bytes([good_row(1), good_row(2)], bom=False))
    run(path)
    assert Facility.objects.count() == 2


@pytest.mark.parametrize(
    "written",
    ["Mã số\nthuế", "Mã  số thuế", "\ufefftax_code", "tax\u200b_code", " Mã số thuế\u00a0"],
)
def test_headers_as_other_programs_write_them(tmp_path, written):
    header = [written, "name", "address", "commune_code", "vsic_code"]
    path = tmp_path / "headers.xlsx"
    path.write_bytes(xlsx_bytes([vsic_row(1, "1010")], header))
    run(path)
    assert Facility.objects.filter(tax_code=make_tax_code(1)).exists()


def test_an_unknown_header_on_two_lines_is_one_line_of_output(tmp_path):
    header = [*VSIC_HEADER, "Ghi\nchú"]
    path = tmp_path / "headers.xlsx"
    path.write_bytes(xlsx_bytes([vsic_row(1, "1010")], header))
    lines = run_failing(path)
    assert lines == [
        "row 1, column Ghi chú: Cột không hợp lệ: “Ghi chú” không phải là cột của mẫu nhập."
    ]


def test_an_empty_first_sheet_in_front_of_the_data_is_named(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Bìa"
    data = workbook.create_sheet("DuLieu")
    data.append(VSIC_HEADER)
    data.append(vsic_row(1, "1010"))
    path = tmp_path / "two-sheets.xlsx"
    workbook.save(path)
    lines = run_failing(path)
    assert len(lines) == 1
    assert "Trang tính đầu tiên («Bìa») của tệp trống" in lines[0]


@pytest.mark.parametrize("name", ["blank.csv", "blank.xlsx"])
def test_a_blank_first_row_is_not_a_list_of_missing_columns(tmp_path, name):
    rows = [["", "", "", "", ""], VSIC_HEADER, vsic_row(1, "1010")]
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    else:
        path.write_bytes(xlsx_bytes(rows[1:], ["", "", "", "", ""]))
    lines = run_failing(path)
    assert len(lines) == 1 and lines[0].startswith("Dòng 1 trống: dòng 1 phải là dòng tiêu đề")


def test_a_date_in_a_year_or_number_cell_says_so(tmp_path):
    header = [*VSIC_HEADER, "established_year", "revenue_bn_vnd", "employees"]
    dates = [datetime(2010, 3, 1), datetime(2026, 5, 1), datetime(1900, 1, 12)]
    path = tmp_path / "date.xlsx"
    path.write_bytes(xlsx_bytes([[*vsic_row(1, "1010"), *dates]], header))
    lines = run_failing(path)
    assert len(lines) == 3
    assert lines[0].startswith("row 2, column established_year: Ô chứa ngày 01/03/2010, không phải")
    assert lines[1].startswith("row 2, column employees: Ô chứa ngày 12/01/1900, không phải")
    assert lines[2].startswith("row 2, column revenue_bn_vnd: Ô chứa ngày 01/05/2026, không phải")


def test_full_width_digits_of_a_tax_code_are_stored_as_ascii(tmp_path):
    code = make_tax_code(1)
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    arabic = "".join(chr(ord(digit) - ord("0") + 0x0660) for digit in make_tax_code(2))
    path = tmp_path / "wide.csv"
    path.write_bytes(csv_bytes([good_row(1, tax_code=wide), good_row(2, tax_code=arabic)]))
    assert run_failing(path) == [
        "row 3, column tax_code: Mã số thuế chỉ gồm các chữ số 0–9 (và dấu - trước mã chi nhánh)."
    ]
    path.write_bytes(csv_bytes([good_row(1, tax_code=wide)]))
    run(path)
    assert list(Facility.objects.values_list("tax_code", flat=True)) == [code]


def test_codes_that_lost_their_leading_zeros_in_a_csv_are_named_not_guessed(tmp_path):
    assert is_valid_tax_code("0100109106")
    rows = [good_row(1, tax_code="100109106"), good_row(2, commune_code="9001")]
    path = tmp_path / "zeros.csv"
    path.write_bytes(csv_bytes(rows))
    lines = run_failing(path)
    assert lines[0].startswith("row 2, column tax_code: ")
    assert "Có phải là 0100109106?" in lines[0]
    assert lines[1].startswith("row 3, column commune_code: ")
    assert "Có phải là mã 09001 (Xã Phương Liễu)?" in lines[1]
    assert not Facility.objects.exists()


# --------------------------------------------------------------------------------------------
# Yes/no cells written by other programs


def test_yes_no_cells_as_other_programs_write_them(tmp_path):
    # Excel saves a TRUE/FALSE cell as TRUE/FALSE in a CSV, Python's csv writes True/False, and
    # people type có/không without diacritics.
    words = [("TRUE", "FALSE"), ("True", "false"), ("co", "khong"), ("Có", "Không")]
    rows = [
        good_row(n, high_pollution_risk=yes, key_energy_user=no)
        for n, (yes, no) in enumerate(words, start=1)
    ]
    path = tmp_path / "booleans.csv"
    path.write_bytes(csv_bytes(rows))
    run(path)
    flags = Facility.objects.values_list("tax_code", "high_pollution_risk", "key_energy_user")
    assert sorted(flags) == sorted((make_tax_code(n), True, False) for n in range(1, 5))


def test_a_yes_no_cell_that_means_neither_names_the_accepted_words(tmp_path):
    path = tmp_path / "booleans.csv"
    path.write_bytes(csv_bytes([good_row(1, high_pollution_risk="maybe")]))
    (line,) = run_failing(path)
    assert line.startswith("row 2, column high_pollution_risk: ")
    assert "true/false" in line and "có/không" in line
    assert not Facility.objects.exists()


# --------------------------------------------------------------------------------------------
# CSV as Excel set to Vietnamese saves it: semicolons, decimal commas


def _semicolon_csv(rows, *, hint: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(rows[0].keys())
    for row in rows:
        writer.writerow(row.values())
    return (("sep=;\r\n" if hint else "") + buffer.getvalue()).encode("utf-8-sig")


@pytest.mark.parametrize("hint", [False, True])
def test_a_semicolon_separated_csv_is_read_like_a_comma_separated_one(tmp_path, hint):
    rows = [
        good_row(1, revenue_bn_vnd="1.234,5", address="Số 7; ngõ 3, đường Lý Thái Tổ"),
        good_row(2, revenue_bn_vnd="29,4"),
    ]
    path = tmp_path / "excel-vi.csv"
    path.write_bytes(_semicolon_csv(rows, hint=hint))
    run(path)
    stored = dict(Facility.objects.values_list("tax_code", "revenue_bn_vnd"))
    assert stored == {make_tax_code(1): Decimal("1234.5"), make_tax_code(2): Decimal("29.4")}
    assert Facility.objects.get(tax_code=make_tax_code(1)).address == (
        "Số 7; ngõ 3, đường Lý Thái Tổ"
    )


def test_a_bad_row_of_a_semicolon_csv_is_named_like_any_other(tmp_path):
    path = tmp_path / "excel-vi.csv"
    path.write_bytes(_semicolon_csv([good_row(1), good_row(2, employees="nhiều")]))
    assert run_failing(path)[0].startswith("row 3, column employees: ")
    assert not Facility.objects.exists()
