"""The report files checked cell by cell against values worked out by hand (issue 20), for the
small province of `report_files_data` (2018):

| facility (district, VSIC) | aware      | applies     | size in 2018        | CP unit | saving |
|---------------------------|------------|-------------|---------------------|---------|--------|
| beer (Quế Võ, 10)         | report     | report      | medium (150 people) | yes     | 20 %   |
| paper mill (Quế Võ, 17)   | report     | done option | large (250 people)  | no      | –      |
| wood (Từ Sơn, 17)         | no (draft) | no (draft)  | small (registry)    | no      | –      |
| injected (Từ Sơn, 10)     | workshop   | no          | small (registry)    | no      | –      |

Beer: 100 t coal for 1000 units in 2017 (0.06 TOE/unit), 80 t in 2018 (0.048): a 20 % fall, the
only facility with a baseline before 2018. Province: AWARE 3/4 = 75.0, APPLY 2/4 = 50.0, SAVING
20.0 with 1 of 1 reaching 8 %, ENT_UNIT 1/2 = 50.0 (beer and the paper mill are medium or large).
None of these numbers comes from `compute_indicators`.

The files are written by the format writers directly (no worker, no Report row)."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.files import content, docx, pdf, xlsx

from .report_files_data import INJECTION_NAME, INJECTION_OPTION, YEAR, build_report_data

pytestmark = pytest.mark.django_db

AWARE = "Tỷ lệ cơ sở SXCN nhận thức được lợi ích của SXSH"
APPLY = "Tỷ lệ cơ sở SXCN áp dụng SXSH"
SAVING = (
    "Mức tiết kiệm năng lượng, nhiên liệu, nguyên vật liệu trên đơn vị sản phẩm "
    "tại các cơ sở áp dụng SXSH"
)
ENT_UNIT = "Tỷ lệ doanh nghiệp vừa và lớn có bộ phận chuyên trách về SXSH"
DOIT = "Số cán bộ Sở Công Thương được đào tạo, có đủ năng lực hướng dẫn SXSH"
FOOD = "10 – Sản xuất, chế biến thực phẩm"
PAPER = "17 – Sản xuất giấy và sản phẩm từ giấy"
BEER = "Công ty Cổ phần Bia Quế Võ"
PAPER_MILL = "Công ty TNHH Giấy Phong Khê"
WOOD = "Hợp tác xã Đồ gỗ Đồng Kỵ"


@pytest.fixture
def data():
    return build_report_data()


def written(writer, tmp_path, suffix) -> bytes:
    path = tmp_path / f"report.{suffix}"
    writer(content.gather(YEAR, lambda percent: None), path, lambda percent: None)
    return path.read_bytes()


@pytest.fixture
def workbook(data, tmp_path):
    return load_workbook(BytesIO(written(xlsx.write_xlsx, tmp_path, "xlsx")), read_only=True)


def rows(workbook, name) -> list[tuple]:
    """The sheet's values, each row padded to the header's width (read-only mode drops trailing
    blank cells)."""
    values = [tuple(row) for row in workbook[name].iter_rows(values_only=True)]
    width = len(values[0])
    return [row + (None,) * (width - len(row)) for row in values]


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_sheets(workbook):
    # 2018: by the districts of the time; new Bắc Ninh was merged from two old provinces.
    assert workbook.sheetnames == [
        "ChiTieu",
        "TheoHuyen",
        "TheoTinhCu",
        "TheoNganh",
        "NhomUuTien",
        "CoSo",
        "GiaiPhap",
    ]


def test_xlsx_indicators_every_cell(workbook):
    assert rows(workbook, "ChiTieu") == [
        ("code", "indicator", "unit", "target", "actual", "numerator", "denominator"),
        ("AWARE_PCT", AWARE, "%", "90", 75, 3, 4),
        ("APPLY_PCT", APPLY, "%", "50", 50, 2, 4),
        ("SAVING_PCT", SAVING, "%", "8-13", 20, 1, 1),
        ("ENT_UNIT_PCT", ENT_UNIT, "%", "90", 50, 1, 2),
        ("DOIT_STAFF", DOIT, "người", None, 3, None, None),
    ]


BREAKDOWN_HEADER = (
    "Số cơ sở hoạt động",
    "AWARE_PCT",
    "AWARE_PCT tử số",
    "AWARE_PCT mẫu số",
    "APPLY_PCT",
    "APPLY_PCT tử số",
    "APPLY_PCT mẫu số",
    "SAVING_PCT",
    "SAVING_PCT tử số",
    "SAVING_PCT mẫu số",
    "ENT_UNIT_PCT",
    "ENT_UNIT_PCT tử số",
    "ENT_UNIT_PCT mẫu số",
)


def test_xlsx_by_district_every_cell(workbook):
    assert rows(workbook, "TheoHuyen") == [
        ("Huyện", *BREAKDOWN_HEADER),
        # beer + paper mill: both aware and applying, beer's 20 %, beer's unit of the two big.
        ("Huyện Quế Võ", 2, 100, 2, 2, 100, 2, 2, 20, 1, 1, 50, 1, 2),
        # wood + injected: injected aware; nobody applies, no saving data, nobody big.
        ("Thị xã Từ Sơn", 2, 50, 1, 2, 0, 0, 2, None, 0, 0, None, 0, 0),
    ]


def test_xlsx_by_old_province_every_cell(workbook):
    assert rows(workbook, "TheoTinhCu") == [
        ("Tỉnh cũ", *BREAKDOWN_HEADER),
        # All four facilities are in old Bắc Ninh: the province's figures.
        ("Tỉnh Bắc Ninh", 4, 75, 3, 4, 50, 2, 4, 20, 1, 1, 50, 1, 2),
    ]


def test_xlsx_priority_groups_every_cell(workbook):
    assert rows(workbook, "NhomUuTien") == [
        ("Nhóm", *BREAKDOWN_HEADER),
        # No facility is flagged: both groups are empty, their figures none of 0.
        ("Cơ sở có nguy cơ ô nhiễm cao", 0, None, 0, 0, None, 0, 0, None, 0, 0, None, 0, 0),
        ("Cơ sở sử dụng năng lượng trọng điểm", 0, None, 0, 0, None, 0, 0, None, 0, 0, None, 0, 0),
    ]


def test_xlsx_by_sector_every_cell(workbook):
    assert rows(workbook, "TheoNganh") == [
        ("Ngành", *BREAKDOWN_HEADER),
        # beer + injected: both aware, beer applies with 20 %, beer big with a unit.
        (FOOD, 2, 100, 2, 2, 50, 1, 2, 20, 1, 1, 100, 1, 1),
        # paper mill + wood: paper mill aware and applying, big without a unit.
        (PAPER, 2, 50, 1, 2, 50, 1, 2, None, 0, 0, 0, 0, 1),
    ]


def test_xlsx_facilities_every_cell(data, workbook):
    beer, paper_mill, wood, injected = data.facilities
    active = "Đang hoạt động"
    que_vo = ("Xã Phương Liễu", "Huyện Quế Võ", None, None)  # registered before 2025, no ward yet
    tu_son = ("Phường Đồng Kỵ", "Thị xã Từ Sơn", None, None)
    sheet = rows(workbook, "CoSo")
    assert sheet[0] == (
        "Mã số thuế",
        "Tên cơ sở",
        "Địa chỉ",
        "Xã/phường",
        "Huyện",
        "Xã/phường mới (từ 1/7/2025)",
        "Tỉnh/thành phố (từ 1/7/2025)",
        "Mã ngành VSIC",
        "Tình trạng",
        "Nhận thức SXSH",
        "Áp dụng SXSH",
        "DN vừa và lớn",
        "Có bộ phận SXSH",
        "Tiết kiệm năng lượng/đơn vị SP (%)",
        "Đạt mức tiết kiệm ≥ 8 %",  # SAVING_PCT's numerator; empty outside its denominator
    )
    expected = {
        beer.tax_code: (BEER, *que_vo, "10", active, "có", "có", "có", "có", 20, "có"),
        paper_mill.tax_code: (
            PAPER_MILL,
            *que_vo,
            "17",
            active,
            "có",
            "có",
            "có",
            "không",
            None,
            None,
        ),
        wood.tax_code: (
            WOOD,
            *tu_son,
            "17",
            active,
            "không",
            "không",
            "không",
            "không",
            None,
            None,
        ),
        injected.tax_code: (
            INJECTION_NAME,
            *tu_son,
            "10",
            active,
            "có",  # aware through the workshop
            "không",
            "không",
            "không",
            None,
            None,
        ),
    }
    addresses = {f.tax_code: f.address for f in data.facilities}
    body = sheet[1:]
    # Sorted by district, then name.
    assert [row[1] for row in body[:2]] == [BEER, PAPER_MILL]
    assert {row[1] for row in body[2:]} == {WOOD, INJECTION_NAME}
    assert {row[0]: (row[1], *row[3:]) for row in body} == expected
    assert {row[0]: row[2] for row in body} == addresses


def test_xlsx_options_every_cell(data, workbook):
    paper_mill = data.facilities[1]
    common = (paper_mill.tax_code, PAPER_MILL, "Đánh giá nhanh")
    assert rows(workbook, "GiaiPhap") == [
        (
            "Mã số thuế",
            "Tên cơ sở",
            "Loại đánh giá",
            "Nhóm giải pháp",
            "Mô tả giải pháp",
            "Kết quả sàng lọc",
            "Tình trạng",
            "Năm thực hiện",
            "Vốn đầu tư (đồng)",
            "Tiết kiệm hằng năm (đồng)",
            "Thời gian hoàn vốn (năm)",
        ),
        # 120,000,000 invested for 60,000,000 a year: 2 years.
        (
            *common,
            "Quản lý nội vi",
            "Sửa chữa rò rỉ hơi và bảo ôn đường ống",
            "Thực hiện ngay",
            "Đã thực hiện",
            2018,
            120_000_000,
            60_000_000,
            2,
        ),
        (
            *common,
            "Cải tiến thiết bị",
            INJECTION_OPTION,
            "Thực hiện ngay",
            "Dự kiến",
            2018,
            120_000_000,
            60_000_000,
            2,
        ),
    ]


# --- PDF and DOCX: the same figures ---------------------------------------------------------------

# Indicator rows as the documents print them (by name, no code): the 2018 milestone, the period's
# target, actual, numerator/denominator, status (judged against the milestone).
INDICATOR_FIGURES = {
    AWARE: ["74", "90", "75,0 %", "3/4", "Đạt"],
    APPLY: ["40", "50", "50,0 %", "2/4", "Đạt"],
    SAVING: ["6,8–11", "8–13", "20,0 %", "1/1", "Đạt"],
    ENT_UNIT: ["–", "90", "50,0 %", "1/2", "Chưa đạt"],  # no 2018 milestone: the period's
    DOIT: ["–", "–", "3", "", "Chưa đặt chỉ tiêu"],
}
DISTRICT_FIGURES = {
    "Huyện Quế Võ": ["2", "100,0 (2/2)", "100,0 (2/2)", "20,0 (1/1)", "50,0 (1/2)"],
    "Thị xã Từ Sơn": ["2", "50,0 (1/2)", "0,0 (0/2)", "– (0/0)", "– (0/0)"],
}
SECTOR_FIGURES = {
    FOOD: ["2", "100,0 (2/2)", "50,0 (1/2)", "20,0 (1/1)", "100,0 (1/1)"],
    PAPER: ["2", "50,0 (1/2)", "50,0 (1/2)", "– (0/0)", "0,0 (0/1)"],
}


def test_docx_tables_have_the_figures(data, tmp_path):
    document = Document(BytesIO(written(docx.write_docx, tmp_path, "docx")))
    # Tables by the head of their second column (the first is STT); rows by that column.
    tables = {}
    for table in document.tables[1:]:
        tables.setdefault(table.rows[0].cells[1].text, table)

    def body(head):
        return {row.cells[1].text: [c.text for c in row.cells[2:]] for row in tables[head].rows[1:]}

    indicators = body("Chỉ tiêu")
    assert {name: cells[1:] for name, cells in indicators.items()} == INDICATOR_FIGURES
    assert {name: cells[0] for name, cells in indicators.items()}[AWARE] == "%"
    assert body("Huyện") == DISTRICT_FIGURES
    assert body("Ngành (VSIC cấp 2)") == SECTOR_FIGURES
    activities = body("Ngày")
    assert activities["20/05/2018"] == [
        "Hội thảo nâng cao nhận thức",
        "Hội thảo nâng cao nhận thức SXSH ngành thực phẩm",
        "Thị xã Từ Sơn",
        "1",
        "4",
        "75.000.000",  # 45,000,000 from the province + 30,000,000 national
    ]
    assert activities["01/09/2018"][0] == "Truyền thông"
    assert activities["01/09/2018"][3:] == ["1", "2", "5.000.000"]
    # Funding by source, per kind of activity, and the total.
    kinds = body("Loại hoạt động")
    assert kinds["Hội thảo nâng cao nhận thức"] == [
        "1", "1", "4", "45.000.000", "30.000.000", "0", "0", "75.000.000"
    ]  # fmt: skip
    assert kinds["Tổng cộng"] == [
        "2", "2", "6", "45.000.000", "30.000.000", "0", "5.000.000", "80.000.000"
    ]  # fmt: skip
    summary = body("Nội dung")
    assert summary["Số cơ sở SXCN hoạt động trong năm"] == ["4"]
    assert summary["Số báo cáo năm đã được duyệt"] == ["2"]  # beer's and the paper mill's 2018
    assert summary["Tỷ lệ báo cáo (báo cáo đã duyệt/cơ sở hoạt động)"] == ["50,0 % (2/4)"]
    assert summary["Số giải pháp SXSH hoàn thành trong năm"] == ["1"]
    assert summary["Vốn đầu tư cho các giải pháp (đồng)"] == ["120.000.000"]
    assert summary["Lợi ích tiết kiệm hằng năm (đồng)"] == ["60.000.000"]
    assert summary["Số hoạt động của chương trình"] == ["2"]
    # AWARE, APPLY and SAVING meet their 2018 milestones.
    assert summary["Đánh giá chung các chỉ tiêu"] == ["3/4 chỉ tiêu có mục tiêu định lượng đạt"]


def test_pdf_text_has_the_figures(data, tmp_path):
    reader = PdfReader(BytesIO(written(pdf.write_pdf, tmp_path, "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    for name, (milestone, target, actual, ratio, status) in INDICATOR_FIGURES.items():
        if name == DOIT:
            continue
        assert f"{milestone} {target} {actual} {ratio} {status}" in text, name
    for label, (operating, *cells) in {**DISTRICT_FIGURES, **SECTOR_FIGURES}.items():
        figures = " ".join(cells).replace("(", "").replace(")", "")
        assert f"{label} {operating} {figures}" in text, label
    assert "75.000.000" in text and "80.000.000" in text  # workshop; all activities
