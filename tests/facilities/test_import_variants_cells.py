"""Facility files as other programs write them (DESIGN §5 "Import files"), through
`import_facilities`: Excel's error values and Excel's text mark (`'`) in front of a code."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest

from facilities.models import Facility

from ..import_commands import run_import, run_import_failing
from .import_helpers import csv_bytes, good_row, make_references, xlsx_bytes


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def run(path) -> str:
    return run_import("import_facilities", path)


def run_failing(path) -> list[str]:
    return run_import_failing("import_facilities", path)


def with_error_cell(data: bytes, ref: str, error: str) -> bytes:
    """`data` (an openpyxl workbook) with cell `ref` of its first sheet turned into an error
    cell (`t="e"`), as Excel stores a formula it could not compute."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{ref}"')
                end = text.index("</c>", start) + len("</c>")
                text = text[:start] + f'<c r="{ref}" t="e"><v>{error}</v></c>' + text[end:]
                content = text.encode()
            archive.writestr(info, content)
    return target.getvalue()


def test_an_excel_error_cell_in_a_text_column_is_refused_not_stored(references, tmp_path):
    row = good_row(1)
    column = list(row).index("contact_name")
    letter = chr(ord("A") + column)
    data = with_error_cell(xlsx_bytes([list(row.values())], row.keys()), f"{letter}2", "#N/A")
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(data)
    lines = run_failing(path)
    assert len(lines) == 1
    assert lines[0].startswith("row 2, column contact_name: ")
    assert "#N/A" in lines[0]
    assert not Facility.objects.exists()


@pytest.mark.parametrize("error", ["#REF!", "#VALUE!", "Err:502"])
def test_an_error_value_saved_into_a_csv_is_refused(references, tmp_path, error):
    # Excel and LibreOffice write a formula's error as its text when they save CSV.
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, address=error)]))
    lines = run_failing(path)
    assert len(lines) == 1
    assert lines[0].startswith("row 3, column address: ")
    assert error in lines[0]
    assert not Facility.objects.exists()


def test_codes_and_numbers_marked_as_text_with_an_apostrophe_are_read(references, tmp_path):
    # '0100109106: Excel's mark for "keep the leading zero", written into the file by programs
    # that export for Excel. The digits are the value; the mark is not part of it.
    row = good_row(1)
    marked = good_row(
        1,
        tax_code="'" + row["tax_code"],
        commune_code="'" + row["commune_code"],
        vsic_code="'1010",
        employees="'50",
        revenue_bn_vnd="'12,5",
    )
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([marked, good_row(2)]))  # row 3: the same values, unmarked
    assert "thêm mới 2" in run(path)
    facility = Facility.objects.get(tax_code=row["tax_code"])
    plain = Facility.objects.get(tax_code=good_row(2)["tax_code"])
    fields = ("commune_id", "industry_id", "employees", "revenue_bn_vnd")
    assert [getattr(facility, f) for f in fields] == [getattr(plain, f) for f in fields]
    assert plain.employees is not None and plain.revenue_bn_vnd is not None


def test_a_semicolon_file_with_mac_line_ends_is_read(references, tmp_path):
    # Excel for Mac's "CSV (Macintosh)" ends lines with CR alone; set to Vietnamese, it
    # separates cells with semicolons (decimal commas in the cells).
    rows = [good_row(1), good_row(2, revenue_bn_vnd="1.234,5")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r")
    writer.writerow(rows[0].keys())
    writer.writerows(row.values() for row in rows)
    path = tmp_path / "co-so.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    assert "thêm mới 2" in run(path)
    facility = Facility.objects.get(tax_code=rows[1]["tax_code"])
    assert facility.revenue_bn_vnd == Decimal("1234.5")
    assert facility.name == rows[1]["name"]


def read_as_cp1252(data: bytes) -> str:
    """`data` as Windows shows it in code page 1252: its 5 undefined bytes (0x90 of `Đ`) as the
    control characters of the same number."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def test_utf8_text_garbled_by_another_code_page_is_refused(references, tmp_path):
    # A UTF-8 file opened in Excel as Windows-1252, then saved as "CSV UTF-8": every
    # Vietnamese letter is now two or three Latin ones. Stored, the names would be garbage.
    row = good_row(1, ownership="private", high_pollution_risk="yes", key_energy_user="no")
    garbled = {key: read_as_cp1252(value.encode("utf-8")) for key, value in row.items()}
    # Row 2: real Vietnamese text with letters of Windows-1252 (é, à, Ô), quotes and a dash.
    real = good_row(2, name="Café Đà Lạt – Bếp “Ông Tư” Ô Môn", contact_name="Trần Thị Ánh")
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes([real, garbled]))
    lines = run_failing(path)
    assert [line.split(":")[0] for line in lines] == [
        "row 3, column name",
        "row 3, column address",
        "row 3, column contact_name",
    ]
    assert f"«{row['name']}»" in lines[0]
    assert not Facility.objects.exists()
