"""The Ministry's table (issue 15 point 5; reports/files/ministry.py): one sheet with the
indicators, assessments by kind, options by category, savings by carrier and funding by source,
checked against figures computed by hand from a small province."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import generation
from reports.files import ministry
from reports.forms import ReportRequestForm
from reports.generation import Outcome
from reports.models import Report

from ..factories import AssessmentFactory, OptionFactory
from .report_files_data import build_report_data

YEAR = 2018


def build_ministry_data():
    """build_report_data (an approved assessment without dates, its option done in 2018: category
    1, 120 million invested, 60 million saved a year, no energy; a workshop of 45 million from the
    province and 30 million national funds, a communication event of 5 million from other
    sources) plus assessments and options whose savings are known."""
    data = build_report_data()
    beer, paper_mill, wood, _injected = data.facilities
    quick = AssessmentFactory(
        facility=beer,
        kind="quick",
        start_date=date(YEAR, 3, 1),
        end_date=date(YEAR, 4, 10),
        total_cost_vnd=80_000_000,
        supported_amount_vnd=40_000_000,
        funding_source="Khuyến công quốc gia",
    )
    OptionFactory(
        assessment=quick,
        category=1,
        electricity_saving_kwh=100_000,
        water_saving_m3=2_000,
        investment_vnd=50_000_000,
        annual_saving_vnd=30_000_000,
    )
    OptionFactory(
        assessment=quick,
        category=6,
        coal_saving_t=10,
        diesel_saving_l=1_000,
        material_saving_t=5,
        investment_vnd=200_000_000,
        annual_saving_vnd=90_000_000,
    )
    OptionFactory(assessment=quick, category=4, status="planned", implementation_year=None)
    detailed = AssessmentFactory(
        facility=paper_mill,
        kind="detailed",
        end_date=date(YEAR, 11, 30),
        total_cost_vnd=100_000_000,
        supported_amount_vnd=50_000_000,
        funding_source="  Ngân sách tỉnh ",
    )
    OptionFactory(
        assessment=detailed,
        category=5,
        natural_gas_saving_1000m3=2,
        lpg_saving_t=1,
        investment_vnd=300_000_000,
        annual_saving_vnd=100_000_000,
    )
    # A draft assessment counts nowhere, not even its done option.
    draft = AssessmentFactory(facility=wood, state="draft", end_date=date(YEAR, 6, 1))
    OptionFactory(assessment=draft, category=1, electricity_saving_kwh=999_999)
    # An assessment of 2017 is not one of the year's, but its option done in 2018 saves in 2018.
    earlier = AssessmentFactory(facility=wood, end_date=date(2017, 12, 1), funding_source="X")
    OptionFactory(
        assessment=earlier,
        category=2,
        electricity_saving_kwh=10_000,
        investment_vnd=10_000_000,
        annual_saving_vnd=5_000_000,
    )
    return data


def workbook_rows(tmp_path: Path):
    path = tmp_path / "bct.xlsx"
    ministry.write_ministry_xlsx(ministry.gather(YEAR), path, lambda percent: None)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [ministry.SHEET]
    sheet = workbook[ministry.SHEET]
    return sheet, [[cell for cell in row] for row in sheet.iter_rows()]


def section(rows, prefix: str) -> list[list]:
    """The rows of the part whose title starts with `prefix`, header row excluded."""
    start = next(i for i, row in enumerate(rows) if str(row[0].value or "").startswith(prefix))
    body = []
    for row in rows[start + 2 :]:
        if all(cell.value is None for cell in row):
            break
        body.append(row)
    return body


def values(row) -> list:
    return [cell.value for cell in row]


def by_label(rows, column: int = 1) -> dict:
    return {row[column].value: values(row) for row in rows}


@pytest.mark.django_db
def test_assessments_by_kind(tmp_path):
    build_ministry_data()
    _, rows = workbook_rows(tmp_path)
    part = by_label(section(rows, "II."))
    # kind: [count, facilities, consultancy cost, support]
    assert part["Đánh giá nhanh"][3:7] == [1, 1, 80_000_000, 40_000_000]
    assert part["Đánh giá chi tiết"][3:7] == [1, 1, 100_000_000, 50_000_000]
    assert part["Tổng cộng"][3:7] == [2, 2, 180_000_000, 90_000_000]


@pytest.mark.django_db
def test_options_by_category(tmp_path):
    build_ministry_data()
    _, rows = workbook_rows(tmp_path)
    part = section(rows, "III.")
    assert [row[0].value for row in part[:8]] == list(range(1, 9))
    table = by_label(part)
    # [proposed in the year's assessments, done in the year, investment, saving]
    assert table["Quản lý nội vi"][3:7] == [1, 2, 170_000_000, 90_000_000]
    assert table["Thay đổi nguyên liệu"][3:7] == [0, 1, 10_000_000, 5_000_000]
    assert table["Cải tiến thiết bị"][3:7] == [1, 0, 0, 0]
    assert table["Thay đổi công nghệ"][3:7] == [1, 1, 300_000_000, 100_000_000]
    assert table["Tận thu, tái sử dụng tại chỗ"][3:7] == [1, 1, 200_000_000, 90_000_000]
    assert table["Tận thu, tái sử dụng tại chỗ"][2] == "Tuần hoàn, tái sử dụng"
    assert table["Tổng cộng"][3:7] == [4, 5, 680_000_000, 285_000_000]


@pytest.mark.django_db
def test_savings_by_carrier_with_toe_and_co2(tmp_path):
    build_ministry_data()
    _, rows = workbook_rows(tmp_path)
    table = by_label(section(rows, "IV."))
    # electricity: 100,000 + 10,000 kWh; 110,000 × 0.0001543 TOE; 110 MWh × 0.9130 t (2018 grid)
    assert table["Điện"][2:6] == ["kWh", 110_000, pytest.approx(16.973), pytest.approx(100.43)]
    # coal 10 t × 0.60 TOE, × 2.469 t CO₂; diesel 1,000 L × 0.00088 TOE, × 0.002752 t CO₂
    assert table["Than cám (loại 3–4)"][2:6] == ["tấn", 10, 6, pytest.approx(24.69)]
    assert table["Dầu diesel"][2:6] == ["lít", 1_000, pytest.approx(0.88), pytest.approx(2.752)]
    assert table["LPG"][3:6] == [1, pytest.approx(1.09), pytest.approx(2.99)]
    assert table["Khí thiên nhiên"][3:6] == [2, pytest.approx(1.8), pytest.approx(4.228)]
    assert table["Dầu FO"][3:6] == [0, 0, 0]
    assert table["Nước"][2:4] == ["m³", 2_000]
    assert table["Nguyên vật liệu"][3] == 5
    # 16.973 + 6 + 0.88 + 1.09 + 1.8 TOE; 100.43 + 24.69 + 2.752 + 2.99 + 4.228 tCO₂
    total = table["Tổng năng lượng"]
    assert total[4:6] == [pytest.approx(26.743), pytest.approx(135.09)]


@pytest.mark.django_db
def test_funding_by_source(tmp_path):
    build_ministry_data()
    _, rows = workbook_rows(tmp_path)
    part = section(rows, "V.")
    table = [values(row)[1:4] for row in part]
    assert table == [
        ["Ngân sách tỉnh", "Hoạt động của chương trình", 45_000_000],
        ["Kinh phí khuyến công quốc gia", "Hoạt động của chương trình", 30_000_000],
        ["Doanh nghiệp đóng góp", "Hoạt động của chương trình", 0],
        ["Nguồn khác", "Hoạt động của chương trình", 5_000_000],
        ["Khuyến công quốc gia", "Hỗ trợ đánh giá SXSH", 40_000_000],
        ["Ngân sách tỉnh", "Hỗ trợ đánh giá SXSH", 50_000_000],
        ["Tổng cộng", None, 170_000_000],
    ]


@pytest.mark.django_db
def test_indicators_with_codes_and_numbers_with_formats(tmp_path):
    build_ministry_data()
    sheet, rows = workbook_rows(tmp_path)
    table = by_label(section(rows, "I."))
    # Operating in 2018: beer, paper mill, wood, the injected name; aware: beer and the paper
    # mill (approved reports), the injected name (workshop); wood's report is a draft.
    aware = table["AWARE_PCT"]
    assert aware[0] == 1 and aware[3] == "%"
    assert aware[6:9] == [75, 3, 4]
    assert "DOIT_STAFF" in table
    cells = {row[1].value: row for row in section(rows, "I.")}
    assert cells["AWARE_PCT"][6].number_format == "#,##0.0"
    assert cells["AWARE_PCT"][7].data_type == "n"
    savings = {row[1].value: row for row in section(rows, "IV.")}
    assert savings["Điện"][3].data_type == "n" and savings["Điện"][3].number_format != "General"
    # The reporting rate in the head: 2 approved reports of 4 operating facilities.
    head = {row[0].value: row[1].value for row in rows[:7] if row[0].value}
    assert head["Số báo cáo năm đã được duyệt"] == 2
    assert head["Tỷ lệ báo cáo (%)"] == 50
    # Text a spreadsheet could take for a formula stays text.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_built_by_the_worker_code_as_a_report_of_its_own_kind():
    build_ministry_data()
    report = generation.report_request(
        kind=Report.Kind.MINISTRY_TABLE, year=YEAR, fmt="xlsx", by=None
    )
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    assert report.download_name.startswith("bang-tong-hop-bct-sxsh-2018-")
    assert not report.can_issue  # a data table, not a document
    with report.file.open("rb") as handle:
        workbook = load_workbook(BytesIO(handle.read()))
    assert workbook.sheetnames == [ministry.SHEET]


def test_the_ministry_table_is_xlsx_only():
    assert Report.formats_for(Report.Kind.MINISTRY_TABLE) == ("xlsx",)
    assert Report.formats_for(Report.Kind.ANNUAL_PROGRESS) == ("pdf", "xlsx", "docx")


@pytest.mark.django_db
def test_request_form_refuses_the_ministry_table_as_pdf(client, staff):
    build_report_data()
    form = ReportRequestForm({"kind": "ministry_table", "year": YEAR, "format": "pdf"})
    assert not form.is_valid()
    assert "chỉ có định dạng Excel (XLSX)" in form.errors["format"][0]
    client.force_login(staff)
    response = client.post(
        reverse("reports:request"), {"kind": "ministry_table", "year": YEAR, "format": "pdf"}
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_no_tco2_total_without_the_years_grid_factor(tmp_path):
    # Without the grid factor of the options' year the electricity row and the total have no
    # tCO₂ (empty cells), never one computed with another year's factor.
    from assessments.models import GridEmissionFactor

    build_ministry_data()
    GridEmissionFactor.objects.filter(year=2018).delete()
    _, rows = workbook_rows(tmp_path)
    table = by_label(section(rows, "IV."))
    assert table["Điện"][2:4] == ["kWh", 110_000]
    assert table["Điện"][5] is None
    assert table["Tổng năng lượng"][4] == pytest.approx(26.743)
    assert table["Tổng năng lượng"][5] is None
