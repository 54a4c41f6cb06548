"""Cells that the import refuses before any column reads them (a formula with no stored result, a
spreadsheet's error value, garbled text) in a facility file, through `import_facilities` and the
web import: a formula whose stored result is empty text is a blank cell, and every refused cell
is reported in the same pass as the other problems of the file (DESIGN §5: one line per problem)."""

import io
import re
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from facilities.import_columns import COLUMN_KEYS
from facilities.models import Facility

from ..import_commands import run_import, run_import_failing
from .import_helpers import csv_bytes, good_row, make_references, xlsx_bytes

IMPORT = reverse("facilities:import")


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def letter(key: str) -> str:
    return get_column_letter(COLUMN_KEYS.index(key) + 1)


def with_text_results(data: bytes, refs: list[str], *, stored: bool = True) -> bytes:
    """`data` (an openpyxl workbook) with the formula cells `refs` of its first sheet marked as
    having text results (`t="str"`), so that their stored `<v></v>` is an empty text result, as
    Excel and LibreOffice store `=IF(D3="","",D3)` when it gives "". openpyxl writes a formula
    with the same empty `<v></v>` but without `t="str"`: no result at all. Not `stored`: the
    `<v></v>` is removed (a text result, but none stored)."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref in refs:
                    cell = re.compile(f'<c r="{ref}">(<f>[^<]*</f><v></v>)</c>')
                    assert cell.search(text), ref
                    text = cell.sub(
                        lambda m, ref=ref: (
                            f'<c r="{ref}" t="str">'
                            + (m[1] if stored else m[1].replace("<v></v>", ""))
                            + "</c>"
                        ),
                        text,
                    )
                content = text.encode()
            archive.writestr(info, content)
    return target.getvalue()


def formula_file(tmp_path, *, text_results: bool, stored: bool = True):
    """Row 2: a facility whose industrial_area is `=IF(…,"",…)`; row 3: a row of such formulas
    only (the formulas of a template filled in below the data); row 4: another facility."""
    first, second = good_row(1), good_row(2)
    first["industrial_area"] = f'=IF({letter("name")}2="","",{letter("name")}2&"")'
    blank = ['=IF(A3="","",A3)' for _ in COLUMN_KEYS]
    blank[0] = '=IF(B3="","",B3)'
    data = xlsx_bytes([list(first.values()), blank, list(second.values())], first.keys())
    if text_results:
        refs = [f"{letter('industrial_area')}2"]
        refs += [f"{get_column_letter(n)}3" for n in range(1, len(COLUMN_KEYS) + 1)]
        data = with_text_results(data, refs, stored=stored)
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(data)
    return path


def test_a_formula_whose_stored_result_is_empty_text_is_a_blank_cell(references, tmp_path):
    output = run_import("import_facilities", formula_file(tmp_path, text_results=True))
    assert "thêm mới 2" in output
    first = Facility.objects.get(tax_code=good_row(1)["tax_code"])
    assert first.industrial_area is None
    assert Facility.objects.filter(tax_code=good_row(2)["tax_code"]).exists()


@pytest.mark.parametrize("text_results", [False, True], ids=["openpyxl", "text-without-v"])
def test_the_same_formulas_without_a_stored_result_are_still_refused(
    references, tmp_path, text_results
):
    path = formula_file(tmp_path, text_results=text_results, stored=False)
    lines = run_import_failing("import_facilities", path)
    assert lines[0].startswith("row 2, column industrial_area: ")
    assert "không lưu kết quả" in lines[0]
    assert {line.split(",")[0] for line in lines} == {"row 2", "row 3"}
    assert not Facility.objects.exists()


def test_refused_cells_and_row_problems_are_reported_in_one_pass(references, tmp_path):
    rows = [
        good_row(1, address="#N/A", contact_email="khong-phai-email"),
        good_row(2, employees="2010-03-01"),
        good_row(3, name="Err:502"),
        good_row(4, established_year="năm"),
    ]
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_bytes(rows))
    lines = run_import_failing("import_facilities", path)
    assert [line.split(":")[0] for line in lines] == [
        "row 2, column address",
        "row 2, column contact_email",
        "row 3, column employees",
        "row 4, column name",
        "row 5, column established_year",
    ]
    assert "#N/A" in lines[0]
    assert "Ô chứa ngày 01/03/2010" in lines[2]
    assert "Err:502" in lines[3]
    assert not Facility.objects.exists()


def test_an_xlsx_with_every_kind_of_cell_problem_lists_them_all(references, tmp_path):
    rows = [
        good_row(1, name="=1+1"),  # openpyxl stores no result: not computed
        good_row(2, employees=datetime(2010, 3, 1)),  # a date cell in a number column
        good_row(3, contact_name="#REF!"),
    ]
    path = tmp_path / "co-so.xlsx"
    path.write_bytes(xlsx_bytes([list(row.values()) for row in rows], rows[0].keys()))
    lines = run_import_failing("import_facilities", path)
    assert [line.split(":")[0] for line in lines] == [
        "row 2, column name",
        "row 3, column employees",
        "row 4, column contact_name",
    ]
    assert "=1+1" in lines[0]
    assert not Facility.objects.exists()


def test_the_web_import_lists_refused_cells_with_the_other_problems(references, client, staff):
    client.force_login(staff)
    rows = [good_row(1, address="#N/A"), good_row(2, contact_email="khong-phai-email")]
    upload = SimpleUploadedFile("co-so.csv", csv_bytes(rows))
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(2, "address"), (3, "contact_email")]
    assert problems[0].column_label == f"{letter('address')} («address»)"
    assert "#N/A" in response.text
    assert "Địa chỉ e-mail không hợp lệ." in response.text
    assert not Facility.objects.exists()
