"""The figures and the three report files on data nobody tried: years without approved reports or
outside every plan period, periods without targets, zero and huge quantities, text with formula
characters, markup, quotes, emoji and control characters, reopened reports, closed facilities and
facilities that changed sector.

Every expected figure is worked out by hand from the data the test creates (never from the code
under test). The files are written by the format writers directly (no worker, no Report row).
"""

import re
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from assessments.models import PlanPeriod
from assessments.services import annual_report_approve, annual_report_reopen
from reports import generation
from reports.files import content, docx, ministry, pdf, xlsx
from reports.indicators import compute_indicators
from reports.models import Report, ReportNarrative

from ..facilities.territory_helpers import (
    CAM_THUONG,
    TU_MINH,
    hai_phong,  # noqa: F401 (fixture)
    new,
    old,
)
from ..factories import (
    AnnualReportFactory,
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    FacilityFactory,
    IndustryCodeFactory,
    OptionFactory,
)
from .file_text import docx_text

pytestmark = pytest.mark.django_db

YEAR = 2018
API = reverse("api:indicators")


def write(writer, year, tmp_path, suffix) -> bytes:
    path = tmp_path / f"report-{year}.{suffix}"
    writer(content.gather(year, lambda percent: None), path, lambda percent: None)
    return path.read_bytes()


def pdf_text(data: bytes) -> str:
    """The PDF's text by poppler's pdftotext (pypdf garbles a subset font with emoji in it)."""
    result = subprocess.run(  # noqa: S603 - a fixed program on a test's own file
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def xlsx_cells(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(BytesIO(data))
    return {
        sheet.title: [tuple(c for c in row) for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def all_three(year, tmp_path) -> tuple[str, str, dict]:
    return (
        pdf_text(write(pdf.write_pdf, year, tmp_path, "pdf")),
        docx_text(write(docx.write_docx, year, tmp_path, "docx")),
        xlsx_cells(write(xlsx.write_xlsx, year, tmp_path, "xlsx")),
    )


def api_rows(client, user, year, **params) -> dict:
    client.force_login(user)
    response = client.get(API, {"year": year, **params})
    assert response.status_code == 200, response.content
    return response.json()


# --- years without data -------------------------------------------------------------------------


def test_a_year_with_only_unapproved_reports_counts_nothing(client, official, tmp_path):
    for state in ("draft", "submitted", "returned"):
        AnnualReportFactory(
            year=YEAR, state=state, aware=True, applies_cp=True, has_cp_unit=True, employees=150
        )
    body = api_rows(client, official, YEAR)
    values = {row["code"]: row for row in body["indicators"]}
    # Three operating facilities, none with approved data.
    assert (values["AWARE_PCT"]["numerator"], values["AWARE_PCT"]["denominator"]) == (0, 3)
    assert (values["APPLY_PCT"]["numerator"], values["APPLY_PCT"]["denominator"]) == (0, 3)
    assert values["SAVING_PCT"]["actual"] is None
    assert values["SAVING_PCT"]["denominator"] == 0
    # Registry size (50 people): small, so no denominator for ENT_UNIT.
    assert values["ENT_UNIT_PCT"]["actual"] is None
    pdf_, docx_, sheets = all_three(YEAR, tmp_path)
    for text in (pdf_, docx_):
        assert "Chưa đánh giá được" in text
        assert "Chưa có số liệu" in text
    chi_tieu = {row[0].value: row for row in sheets["ChiTieu"][1:]}
    assert chi_tieu["SAVING_PCT"][4].value is None
    assert chi_tieu["ENT_UNIT_PCT"][4].value is None


def test_a_year_outside_every_period_gives_three_files(client, official, tmp_path):
    AnnualReportFactory(year=2010, aware=True)
    client.force_login(official)
    # The API says the year has no plan period (not an empty or zero answer).
    assert client.get(API, {"year": 2010}).status_code == 404
    pdf_, docx_, sheets = all_three(2010, tmp_path)
    assert "BÁO CÁO" in pdf_ and "BÁO CÁO" in docx_
    assert [cell.value for cell in sheets["ChiTieu"][0]] == [
        "code",
        "indicator",
        "unit",
        "target",
        "actual",
        "numerator",
        "denominator",
    ]
    assert len(sheets["ChiTieu"]) == 1


def test_a_period_without_targets(client, official, tmp_path):
    period = PlanPeriod.objects.create(
        code="2021-2025", name="Kế hoạch 2021–2025", start_year=2021, end_year=2025
    )
    period.indicators.create(
        code="AWARE_PCT", name_vi="Tỷ lệ nhận thức", unit="%", method="computed"
    )
    period.indicators.create(code="SAVING_PCT", name_vi="Tiết kiệm", unit="%", method="computed")
    AnnualReportFactory(year=2022, aware=True)
    AnnualReportFactory(year=2022)
    body = api_rows(client, official, 2022)
    values = {row["code"]: row for row in body["indicators"]}
    assert values["AWARE_PCT"]["actual"] == 50.0
    assert values["AWARE_PCT"]["target"] in (None, "")
    assert values["SAVING_PCT"]["actual"] is None
    pdf_, docx_, sheets = all_three(2022, tmp_path)
    assert "50,0 %" in pdf_ and "50,0 %" in docx_
    # Nothing to judge against: the documents say so rather than "0/0 targets met".
    for text in (pdf_, docx_):
        assert "0/0 chỉ tiêu" not in text
        assert "Chưa có chỉ tiêu nào có mục tiêu định lượng để đánh giá" in text
    chi_tieu = {row[0].value: row for row in sheets["ChiTieu"][1:]}
    assert chi_tieu["AWARE_PCT"][4].value == 50
    assert chi_tieu["AWARE_PCT"][3].value in (None, "")


def test_a_milestone_without_a_period_target_is_judged(tmp_path):
    period = PlanPeriod.objects.create(
        code="2031-2035", name="Kế hoạch 2031–2035", start_year=2031, end_year=2035
    )
    aware = period.indicators.create(
        code="AWARE_PCT", name_vi="Tỷ lệ nhận thức", unit="%", method="computed"
    )
    aware.milestones.create(year=2031, target_min=40)
    AnnualReportFactory(year=2031, aware=True)
    AnnualReportFactory(year=2031)
    # 1 of 2 aware = 50 % against the year's milestone of 40 %: met, 1 of the 1 target.
    text = docx_text(write(docx.write_docx, 2031, tmp_path, "docx"))
    assert "1/1 chỉ tiêu có mục tiêu định lượng đạt" in text


# --- text nobody typed on purpose ---------------------------------------------------------------

# Formula characters, quotes, an ampersand, markup, an emoji, a line break and two control
# characters (a vertical tab, an escape) that XML cannot hold.
ODD_NAME = '=1+2 "Cty" & <script>alert(1)</script> 🏭\nDòng hai\x0bđiều\x1b khiển'
ODD_NARRATIVE = '- @SUM(A1) & <b>in đậm</b> "trích" 🌿\x07\n\n+ dòng khác\x0c'


@pytest.fixture
def odd_text():
    facility = FacilityFactory(name=ODD_NAME, address="-Số 1\x01 & <i>")
    AnnualReportFactory(facility=facility, year=YEAR, aware=True)
    assessment = AssessmentFactory(
        facility=facility, funding_source="=Khuyến công\x02", start_date=date(YEAR, 3, 1)
    )
    OptionFactory(
        assessment=assessment, description="@giải pháp\x03 <i>x</i>", implementation_year=YEAR
    )
    ReportNarrative.objects.create(
        year=YEAR, shortcomings=ODD_NARRATIVE, direction=ODD_NARRATIVE, recommendations="x" * 20000
    )
    return facility


def test_xlsx_with_control_characters_keeps_the_text_as_text(odd_text, tmp_path):
    sheets = xlsx_cells(write(xlsx.write_xlsx, YEAR, tmp_path, "xlsx"))
    name = sheets["CoSo"][1][1]
    # The vertical tab becomes a line break, the escape goes; the rest is as written, as text.
    assert name.value == '=1+2 "Cty" & <script>alert(1)</script> 🏭\nDòng hai\nđiều khiển'
    assert (name.data_type, name.quotePrefix) == ("s", True)
    assert sheets["CoSo"][1][2].value == "-Số 1 & <i>"
    assert sheets["CoSo"][1][2].quotePrefix is True
    option = sheets["GiaiPhap"][1][4]
    assert (option.value, option.quotePrefix) == ("@giải pháp <i>x</i>", True)


def test_docx_with_control_characters_opens_with_the_text(odd_text, tmp_path):
    text = docx_text(write(docx.write_docx, YEAR, tmp_path, "docx"))
    assert '=1+2 "Cty" & <script>alert(1)</script> 🏭' in text
    assert '@SUM(A1) & <b>in đậm</b> "trích" 🌿' in text
    assert "x" * 20000 in text


def test_pdf_with_control_characters_escapes_the_markup(odd_text, tmp_path):
    text = pdf_text(write(pdf.write_pdf, YEAR, tmp_path, "pdf"))
    # A long word may wrap inside its cell (reports/files/pdf.py breakable): compared without
    # the spaces and line breaks the PDF's lines put in.
    flat = "".join(text.split())
    assert '=1+2"Cty"&<script>alert(1)</script>' in flat
    assert "@SUM(A1)&<b>inđậm</b>" in flat


def test_ministry_table_with_control_characters_keeps_the_text_as_text(odd_text, tmp_path):
    path = tmp_path / "bct.xlsx"
    ministry.write_ministry_xlsx(ministry.gather(YEAR), path, lambda percent: None)
    sheet = load_workbook(path)[ministry.SHEET]
    found = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=Khuyến công"]
    assert len(found) == 1
    assert (found[0].data_type, found[0].quotePrefix) == ("s", True)


# --- unusual quantities ---------------------------------------------------------------------------


def applying(year_fields: dict, base_fields: dict, name: str):
    """A facility applying SXSH with an approved baseline report (2017) and one of YEAR."""
    facility = FacilityFactory(name=name)
    base = {"output": 1000, "coal_t": None, "electricity_kwh": None, "product_unit": "tấn"}
    AnnualReportFactory(facility=facility, year=YEAR - 1, **{**base, **base_fields})
    AnnualReportFactory(facility=facility, year=YEAR, applies_cp=True, **{**base, **year_fields})
    return facility


def test_zero_output_zero_energy_some_carriers_and_units(client, official):
    # Excluded from SAVING (data-quality findings, never a saving):
    applying({"output": 0, "coal_t": 80}, {"coal_t": 100}, "Sản lượng 0")
    applying({"coal_t": 0, "electricity_kwh": 0}, {"coal_t": 100}, "Năng lượng 0")
    applying({"coal_t": 80}, {"coal_t": 0}, "Năm gốc không năng lượng")
    applying({"coal_t": 80, "product_unit": ""}, {"coal_t": 100}, "Đơn vị trống")
    applying({"coal_t": 80, "product_unit": "m²"}, {"coal_t": 100}, "Đơn vị khác")
    # Counted: electricity only (500,000 → 400,000 kWh for the same output: 20 % less per unit)
    # and coal only with the unit written differently (" Tấn " is "tấn"): 100 t → 90 t, 10 %.
    applying({"electricity_kwh": 400_000}, {"electricity_kwh": 500_000}, "Chỉ dùng điện")
    applying({"coal_t": 90, "product_unit": " Tấn "}, {"coal_t": 100}, "Đơn vị viết hoa")

    values = {row["code"]: row for row in api_rows(client, official, YEAR)["indicators"]}

    saving = values["SAVING_PCT"]
    assert (saving["actual"], saving["numerator"], saving["denominator"]) == (15.0, 2, 2)
    # All seven apply and are operating.
    assert (values["APPLY_PCT"]["numerator"], values["APPLY_PCT"]["denominator"]) == (7, 7)


def test_huge_quantities_are_written_with_vietnamese_separators(tmp_path):
    # 1,000,000,000,000 kWh a year in 2017, 900,000,000,000 in 2018 for the same output (10 %
    # less per unit); an option saving 1,234,567,890,123 kWh and 9,876,543,210,987 đồng.
    facility = applying(
        {"electricity_kwh": 900_000_000_000, "output": 1_000_000_000_000},
        {"electricity_kwh": 1_000_000_000_000, "output": 1_000_000_000_000},
        "Công ty Điện năng lớn",
    )
    OptionFactory(
        assessment=AssessmentFactory(facility=facility),
        implementation_year=YEAR,
        electricity_saving_kwh=1_234_567_890_123,
        annual_saving_vnd=9_876_543_210_987,
        investment_vnd=1_000_000_000_000,
    )
    # 1,234,567,890,123 kWh × 0.0001543 TOE/kWh = 190,493,825.4 TOE (rounded to one decimal).
    pdf_, docx_, sheets = all_three(YEAR, tmp_path)
    for text in (pdf_, docx_):
        assert "1.234.567.890.123" in text
        assert "9.876.543.210.987" in text
        assert "190.493.825,4" in text
        assert "10,0" in text
    chi_tieu = {row[0].value: row for row in sheets["ChiTieu"][1:]}
    assert chi_tieu["SAVING_PCT"][4].value == 10
    option = sheets["GiaiPhap"][1]
    assert option[9].value == 9_876_543_210_987
    assert option[9].data_type == "n"


# --- which reports and facilities count ---------------------------------------------------------


def test_a_reopened_report_stops_counting_until_approved_again(staff):
    kept = FacilityFactory()
    AnnualReportFactory(facility=kept, year=YEAR, aware=True)
    reopened = FacilityFactory()
    report = AnnualReportFactory(facility=reopened, year=YEAR, aware=True, applies_cp=True)
    before = compute_indicators(YEAR).value("AWARE_PCT")
    assert (before.numerator, before.denominator) == (2, 2)

    annual_report_reopen(report=report, by=staff, reason="Sai sản lượng")

    for code, expected in (("AWARE_PCT", (1, 2)), ("APPLY_PCT", (0, 2))):
        figure = compute_indicators(YEAR).value(code)
        assert (figure.numerator, figure.denominator) == expected, code

    report.refresh_from_db()
    report.state = "submitted"
    report.save()
    annual_report_approve(report=report, by=staff)
    figure = compute_indicators(YEAR).value("APPLY_PCT")
    assert (figure.numerator, figure.denominator) == (1, 2)


def test_a_reopened_baseline_moves_the_saving_baseline(staff):
    # 2016: 100 t coal (reopened later); 2017: 90 t; 2018: 72 t, all for 1000 units.
    # Baseline 2016: 28 % less; once 2016 is reopened the baseline is 2017: 20 % less.
    facility = FacilityFactory()
    first = AnnualReportFactory(
        facility=facility, year=2016, coal_t=100, electricity_kwh=None, output=1000
    )
    AnnualReportFactory(facility=facility, year=2017, coal_t=90, electricity_kwh=None, output=1000)
    AnnualReportFactory(
        facility=facility, year=YEAR, coal_t=72, electricity_kwh=None, output=1000, applies_cp=True
    )
    assert compute_indicators(YEAR).value("SAVING_PCT").actual == 28

    annual_report_reopen(report=first, by=staff, reason="Số liệu năm gốc sai", to_state="draft")

    assert compute_indicators(YEAR).value("SAVING_PCT").actual == 20


def test_a_facility_closed_in_a_year_counts_up_to_that_year(client, official):
    closed = FacilityFactory(status="closed", closed_year=YEAR)
    AnnualReportFactory(facility=closed, year=YEAR - 1, aware=True)
    FacilityFactory()  # operating every year, never aware
    # DESIGN §4: operating in Y = not closed before Y. Closed in 2018: counts in 2017 and 2018.
    for year, expected in ((YEAR - 1, (1, 2)), (YEAR, (1, 2)), (YEAR + 1, (0, 1))):
        values = {row["code"]: row for row in api_rows(client, official, year)["indicators"]}
        aware = values["AWARE_PCT"]
        assert (aware["numerator"], aware["denominator"]) == expected, year


@pytest.mark.parametrize("group", ["sector", "ward", "old_district", "old_province"])
def test_groups_add_up_after_a_facility_changed_sector_and_place(client, official, group):
    food = IndustryCodeFactory(code="10", name="Sản xuất, chế biến thực phẩm")
    paper = IndustryCodeFactory(code="17", name="Sản xuất giấy và sản phẩm từ giấy")
    que_vo = CommuneFactory(code="91001", parent=DistrictFactory(code="261"))
    tu_son = CommuneFactory(code="91002", parent=DistrictFactory(code="262"))
    moved = FacilityFactory(industry=food, commune=que_vo)
    AnnualReportFactory(facility=moved, year=YEAR - 1, aware=True, coal_t=100, output=1000)
    AnnualReportFactory(
        facility=moved, year=YEAR, applies_cp=True, coal_t=80, output=1000, employees=150,
        has_cp_unit=True,
    )  # fmt: skip
    other = FacilityFactory(industry=paper, commune=tu_son)
    AnnualReportFactory(facility=other, year=YEAR, aware=True)
    # The facility moves to paper and to Từ Sơn after its reports were approved.
    moved.industry = paper
    moved.commune = tu_son
    moved.save()

    whole = {row["code"]: row for row in api_rows(client, official, YEAR)["indicators"]}
    body = api_rows(client, official, YEAR, group=group)
    for code in ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT"):
        rows = [next(row for row in g["indicators"] if row["code"] == code) for g in body["groups"]]
        assert sum(row["numerator"] for row in rows) == whole[code]["numerator"], code
        assert sum(row["denominator"] for row in rows) == whole[code]["denominator"], code
    # Both facilities are grouped by their registry entry as it is now.
    keys = {"sector": ["17"], "ward": ["none"], "old_district": ["262"], "old_province": ["27"]}
    assert [g["key"] for g in body["groups"]] == keys[group]


# --- years without reports inside the documents -------------------------------------------------

ENT_UNIT_NAME = "Tỷ lệ doanh nghiệp vừa và lớn có bộ phận chuyên trách về SXSH"
SAVING_NAME = (
    "Mức tiết kiệm năng lượng, nhiên liệu, nguyên vật liệu trên đơn vị sản phẩm "
    "tại các cơ sở áp dụng SXSH"
)


@pytest.fixture
def reported_only_in_2018():
    """Two medium facilities (150 people in the registry), in two districts; only one has an
    approved report, for 2018 only, saying it has a CP unit. ENT_UNIT_PCT has nothing behind it
    in 2016 and 2017 (no approved report at all) nor in Từ Sơn in 2018 (no report there); in 2018
    province-wide it is 1 of 2 = 50.0 %."""
    que_vo = CommuneFactory(code="91001", parent=DistrictFactory(code="261", name="Huyện Quế Võ"))
    tu_son = CommuneFactory(code="91002", parent=DistrictFactory(code="262", name="Thị xã Từ Sơn"))
    reported = FacilityFactory(commune=que_vo, employees=150)
    AnnualReportFactory(facility=reported, year=YEAR, employees=150, has_cp_unit=True)
    FacilityFactory(commune=tu_son, employees=150)


def docx_table(document, first_heads: tuple[str, str]):
    return next(
        table
        for table in document.tables
        if tuple(cell.text for cell in table.rows[0].cells[:2]) == first_heads
        and len(table.rows[0].cells) > 2
    )


def test_documents_show_no_value_for_years_and_groups_without_reports(
    reported_only_in_2018, tmp_path
):
    document = Document(BytesIO(write(docx.write_docx, YEAR, tmp_path, "docx")))
    trend = next(t for t in document.tables if t.rows[0].cells[-1].text == str(YEAR))
    assert [c.text for c in trend.rows[0].cells[2:]] == ["2016", "2017", "2018"]
    row = next(r for r in trend.rows if r.cells[1].text == ENT_UNIT_NAME)
    assert [c.text for c in row.cells[2:]] == ["–", "–", "50,0 %"]

    districts = docx_table(document, ("STT", "Huyện"))
    heads = [c.text for c in districts.rows[0].cells]
    column = heads.index("DN vừa và lớn có bộ phận SXSH (%)")
    cells = {r.cells[1].text: r.cells[column].text for r in districts.rows[1:]}
    assert cells == {"Huyện Quế Võ": "100,0 (1/1)", "Thị xã Từ Sơn": "– (0/1)"}

    # The PDF is made from the same figures.
    context = pdf.context(content.gather(YEAR, lambda percent: None))
    trend = next(row for row in context["trend_rows"] if row["name"] == ENT_UNIT_NAME)
    assert trend["values"] == ["–", "–", "50,0 %"]
    rows = {row["label"]: row["cells"] for row in context["places"][0]["rows"]}
    ent_unit = context["breakdown_codes"].index("ENT_UNIT_PCT")
    assert rows["Thị xã Từ Sơn"][ent_unit] == {"actual": "–", "ratio": "0/1"}
    assert rows["Huyện Quế Võ"][ent_unit] == {"actual": "100,0", "ratio": "1/1"}


def test_a_year_of_the_plan_with_no_facility_at_all(client, official, tmp_path):
    values = {row["code"]: row for row in api_rows(client, official, YEAR)["indicators"]}
    for code in ("AWARE_PCT", "APPLY_PCT", "SAVING_PCT", "ENT_UNIT_PCT"):
        assert (values[code]["actual"], values[code]["denominator"]) == (None, 0), code
    pdf_, docx_, sheets = all_three(YEAR, tmp_path)
    for text in (pdf_, docx_):
        assert "Chưa đánh giá được" in text
        assert "0,0 %" not in text.replace("50,0 %", "")
    chi_tieu = {row[0].value: row for row in sheets["ChiTieu"][1:]}
    assert chi_tieu["AWARE_PCT"][3].value == "90"
    assert chi_tieu["SAVING_PCT"][3].value == "8-13"
    assert all(chi_tieu[code][4].value is None for code in ("AWARE_PCT", "APPLY_PCT"))


def test_targets_are_written_with_vietnamese_separators(tmp_path):
    period = PlanPeriod.objects.get(code="2016-2020")
    period.indicators.create(
        code="SUPPORTED",
        name_vi="Số cơ sở được hỗ trợ đánh giá SXSH",
        unit="cơ sở",
        method="manual",
        target_min=1500,
        order=90,
    )
    period.indicators.create(
        code="WATER_CUT",
        name_vi="Mức giảm nước thải",
        unit="%",
        method="manual",
        target_min=Decimal("1250.5"),
        target_max=12000,
        order=91,
    )
    document = Document(BytesIO(write(docx.write_docx, YEAR, tmp_path, "docx")))
    table = docx_table(document, ("STT", "Chỉ tiêu"))
    rows = {row.cells[1].text: [c.text for c in row.cells[3:5]] for row in table.rows[1:]}
    # (milestone of the year, target of the period): no milestone of the year, so "–" and the
    # period's target (the document's note says so).
    assert rows["Số cơ sở được hỗ trợ đánh giá SXSH"] == ["–", "1.500"]
    assert rows["Mức giảm nước thải"] == ["–", "1.250,5–12.000"]
    # The seeded ranges: 2018's milestone 6.8-11 and the period's 8-13.
    assert rows[SAVING_NAME] == ["6,8–11", "8–13"]
    indicators = pdf.context(content.gather(YEAR, lambda percent: None))["indicators"]
    by_name = {row["name"]: (row["milestone"], row["period_target"]) for row in indicators}
    assert by_name["Mức giảm nước thải"] == ("–", "1.250,5–12.000")
    # The workbook keeps the plan's own notation.
    sheets = xlsx_cells(write(xlsx.write_xlsx, YEAR, tmp_path, "xlsx"))
    targets = {row[0].value: row[3].value for row in sheets["ChiTieu"][1:]}
    assert (targets["SUPPORTED"], targets["WATER_CUT"]) == ("1500", "1250.5-12000")


def test_a_year_report_without_employees_leaves_the_size_to_the_registry(client, official):
    # DESIGN §4: size from the year's report when it gives employees, else the registry.
    with_unit = FacilityFactory(employees=50)  # small in the registry, 250 people in its report
    AnnualReportFactory(facility=with_unit, year=YEAR, employees=250, has_cp_unit=True)
    blank = FacilityFactory(employees=500)  # large; its report gives no size figure at all
    AnnualReportFactory(facility=blank, year=YEAR, employees=None)
    money_only = FacilityFactory(employees=500)  # large; its report gives a revenue only
    AnnualReportFactory(facility=money_only, year=YEAR, employees=None, revenue_bn_vnd=10)
    shrank = FacilityFactory(employees=500)  # large; its report says 20 people: small
    AnnualReportFactory(facility=shrank, year=YEAR, employees=20)

    values = {row["code"]: row for row in api_rows(client, official, YEAR)["indicators"]}

    # Medium or large: with_unit (report), blank and money_only (registry); 1 of 3 has a unit.
    ent_unit = values["ENT_UNIT_PCT"]
    assert (ent_unit["numerator"], ent_unit["denominator"], ent_unit["actual"]) == (1, 3, 33.3)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "docx"])
def test_the_report_job_succeeds_on_odd_text(odd_text, fmt, staff):
    report = Report.objects.create(year=YEAR, format=fmt, requested_by=staff)
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    assert report.state == "succeeded"


def test_the_indicator_chart_draws_no_bar_without_data():
    # One medium facility (registry), no approved report of 2018: AWARE and APPLY are 0 of 1
    # (0.0 %); SAVING has no denominator and ENT_UNIT nothing behind it (no report of the year).
    FacilityFactory(employees=150)
    svg = pdf.context(content.gather(YEAR, lambda percent: None))["indicator_chart"]
    labels = re.findall(r">([^<]*%|–)</text>", svg)
    assert sorted(label for label in labels if "," in label or label == "–") == [
        "0,0 %",
        "0,0 %",
        "–",
        "–",
    ]


# --- where a facility registered by its 2025 ward only is --------------------------------------


@pytest.mark.usefixtures("hai_phong")
def test_a_facility_with_only_a_2025_ward_is_placed_by_it_in_every_file(tmp_path):
    both = FacilityFactory(
        name="Công ty TNHH Cơ khí Cẩm Thượng", commune=old(CAM_THUONG), ward=new(TU_MINH)
    )
    ward_only = FacilityFactory(name="Công ty TNHH Nhựa Tứ Minh", commune=None, ward=new(TU_MINH))
    for f in (both, ward_only):
        AnnualReportFactory(facility=f, year=YEAR, state="approved", aware=True)

    text_pdf, text_docx, sheets = all_three(YEAR, tmp_path)

    header, *body = sheets["CoSo"]
    columns = [cell.value for cell in header]
    by_tax = {
        row[0].value: {c: cell.value for c, cell in zip(columns, row, strict=True)} for row in body
    }
    ward_row = by_tax[ward_only.tax_code]
    assert (ward_row["Xã/phường"], ward_row["Huyện"]) == (None, None)
    assert ward_row["Xã/phường mới (từ 1/7/2025)"] == "Phường Tứ Minh"
    assert ward_row["Tỉnh/thành phố (từ 1/7/2025)"] == "Thành phố Hải Phòng"
    both_row = by_tax[both.tax_code]
    assert both_row["Xã/phường"] == "Phường Cẩm Thượng"
    assert both_row["Xã/phường mới (từ 1/7/2025)"] == "Phường Tứ Minh"
    # The annex of the documents: old commune and district when known, else ward and province.
    assert "Nhựa Tứ Minh Phường Tứ Minh, Thành phố Hải Phòng 10" in text_docx
    assert "Cẩm Thượng Phường Cẩm Thượng, Thành phố Hải Dương 10" in text_docx
    for place in ("Phường Tứ Minh, Thành phố Hải Phòng", "Phường Cẩm Thượng, Thành phố Hải Dương"):
        assert place in text_pdf
