"""The report workbook's numbers carry number formats (as the Ministry's table does), so Excel
shows 894.500.000 and 45,5 by the user's locale instead of 894500000: counts, VND and the other
whole numbers '#,##0', percentages and payback years (one decimal, half up) '#,##0.0'. Text, codes
(tax code, VSIC) and years keep "General": no thousands separator in 2018 or 0100109106. The
values and the headers (DESIGN §5) are unchanged.

And the Word file's margins are never under the millimetres of Nghị định 30/2020 (DOMAIN: left
30–35 mm, right 15–20 mm, top and bottom 20–25 mm): 15 mm is 850.39 twips, so 851, not 850.

The files are written by the format writers directly (no worker, no Report row)."""

from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from reports.files import content, docx, xlsx
from reports.files.sheets import FACILITY_COLUMNS, OPTION_COLUMNS

from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

GENERAL = "General"
WHOLE = "#,##0"
ONE_PLACE = "#,##0.0"
TWIPS_PER_MM = 1440 / 25.4


def written(writer, tmp_path, suffix) -> bytes:
    path = tmp_path / f"report.{suffix}"
    writer(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    return path.read_bytes()


@pytest.fixture
def workbook(db, tmp_path):
    build_report_data()
    return load_workbook(BytesIO(written(xlsx.write_xlsx, tmp_path, "xlsx")))


def formats(sheet) -> list[dict[str, str]]:
    """Each body row as {header: number format} of its cells that hold a value."""
    header = [cell.value for cell in sheet[1]]
    return [
        {header[i]: cell.number_format for i, cell in enumerate(row) if cell.value is not None}
        for row in sheet.iter_rows(min_row=2)
    ]


def test_the_headers_stay_general(workbook):
    for sheet in workbook.worksheets:
        assert {cell.number_format for cell in sheet[1]} == {GENERAL}, sheet.title


def test_indicators_sheet(workbook):
    sheet = workbook["ChiTieu"]
    assert [cell.value for cell in sheet[1]] == xlsx.INDICATOR_HEADER
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    rows = dict(zip(codes, formats(sheet), strict=True))
    percent = {
        "code": GENERAL,
        "indicator": GENERAL,
        "unit": GENERAL,
        "target": GENERAL,  # as written in the plan: "90", "8-13"
        "actual": ONE_PLACE,
        "numerator": WHOLE,
        "denominator": WHOLE,
    }
    for code in ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT"):
        assert rows[code] == percent, code
    # A manual count of people (3): a whole number.
    assert rows["DOIT_STAFF"]["actual"] == WHOLE
    # The values themselves are unchanged: 75 %, a real number.
    assert sheet["E2"].value == 75 and sheet["E2"].data_type == "n"


@pytest.mark.parametrize("name", ["TheoHuyen", "TheoTinhCu", "TheoNganh", "NhomUuTien"])
def test_breakdown_sheets(workbook, name):
    sheet = workbook[name]
    header = [cell.value for cell in sheet[1]]
    codes = [h for h in header[2:] if h.endswith("_PCT")]
    assert codes == ["AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT"]
    body = formats(sheet)
    assert body
    for row in body:
        assert row[header[0]] == GENERAL  # the place, sector or group
        assert row["Số cơ sở hoạt động"] == WHOLE
        for code in codes:
            assert row.get(code, ONE_PLACE) == ONE_PLACE
            assert row.get(f"{code} tử số", WHOLE) == WHOLE
            assert row.get(f"{code} mẫu số", WHOLE) == WHOLE
    # Every figure with a value is formatted (the district sheet has them all but two).
    if name == "TheoHuyen":
        assert body[0]["SAVING_PCT"] == ONE_PLACE and body[0]["AWARE_PCT tử số"] == WHOLE


def test_facilities_sheet(workbook):
    sheet = workbook["CoSo"]
    assert [cell.value for cell in sheet[1]] == [str(c) for c in FACILITY_COLUMNS]
    body = formats(sheet)
    for row in body:
        saving = row.pop("Tiết kiệm năng lượng/đơn vị SP (%)", ONE_PLACE)
        assert saving == ONE_PLACE
        # Tax code, VSIC code, names and yes/no: text, no thousands separator.
        assert set(row.values()) == {GENERAL}
    assert any("Tiết kiệm năng lượng/đơn vị SP (%)" in row for row in formats(sheet))
    tax = sheet["A2"]
    assert tax.data_type == "s" and tax.number_format == GENERAL


def test_options_sheet(workbook):
    sheet = workbook["GiaiPhap"]
    assert [cell.value for cell in sheet[1]] == [str(c) for c in OPTION_COLUMNS]
    body = formats(sheet)
    assert len(body) == 2
    for row in body:
        assert row.pop("Năm thực hiện") == GENERAL  # 2018, not 2.018
        assert row.pop("Vốn đầu tư (đồng)") == WHOLE
        assert row.pop("Tiết kiệm hằng năm (đồng)") == WHOLE
        assert row.pop("Thời gian hoàn vốn (năm)") == ONE_PLACE
        assert set(row.values()) == {GENERAL}
    # The values are unchanged: 120,000,000 VND as a number, the year as a number.
    assert sheet["I2"].value == 120_000_000 and sheet["H2"].value == YEAR


def test_docx_margins_are_at_least_their_millimetres(db, tmp_path):
    build_report_data()
    document = Document(BytesIO(written(docx.write_docx, tmp_path, "docx")))
    margins = document.sections[0]._sectPr.find(qn("w:pgMar"))
    minimum = {"w:top": 20, "w:bottom": 20, "w:left": 30, "w:right": 15}
    for side, mm in minimum.items():
        twips = int(margins.get(qn(side)))
        assert twips >= mm * TWIPS_PER_MM, (side, twips)
        assert twips < (mm + 0.1) * TWIPS_PER_MM, (side, twips)  # and not much more
    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    # A4 as Word writes it: 11906 × 16838 twips (210 × 297 mm, rounded up).
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")


def test_every_column_of_the_long_lists_has_its_format():
    assert len(xlsx.FACILITY_FORMATS) == len(FACILITY_COLUMNS)
    assert len(xlsx.OPTION_FORMATS) == len(OPTION_COLUMNS)
