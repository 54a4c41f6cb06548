"""The progress documents' figures (issue 15 §2): section I.2 gives the approved assessments and
the funding by source with the same totals as the Ministry's table; the activities' total counts
each facility once; a year without any approved report is a gap in the trend, not a fall; a
half-year document says which figures are the whole year's and has a name of its own."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from assessments.models import Participation
from reports import generation
from reports.files import charts
from reports.files.numbers import fmt_int, fmt_value
from reports.indicators import compute_indicators
from reports.models import Report

from ..factories import ActivityFactory, AssessmentFactory, UserFactory
from .file_text import docx_text, pdf_text
from .report_files_data import YEAR, build_report_data
from .report_view_helpers import make_report

pytestmark = pytest.mark.django_db

LOCAL_FUNDS = "Kinh phí khuyến công địa phương"


def build(fmt: str, kind: str = Report.Kind.ANNUAL_PROGRESS, year: int = YEAR) -> bytes:
    report = Report.objects.create(
        kind=kind, year=year, format=fmt, requested_by=UserFactory(role="staff")
    )
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    with report.file.open("rb") as handle:
        return handle.read()


def ministry_funding_total() -> int:
    """The "Tổng cộng" of section V of the Ministry's table of YEAR, as the worker builds it."""
    workbook = load_workbook(BytesIO(build("xlsx", Report.Kind.MINISTRY_TABLE)))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    start = next(i for i, row in enumerate(rows) if str(row[0] or "").startswith("V."))
    total = next(row for row in rows[start:] if row[1] == "Tổng cộng")
    return total[3]


def table_with(document: Document, *heads: str):
    return next(
        table
        for table in document.tables
        if all(head in [cell.text for cell in table.rows[0].cells] for head in heads)
    )


@pytest.fixture
def assessed(db):
    """build_report_data (a workshop of 45 + 30 million đồng, a communication event of 5 million)
    and an approved detailed assessment of the year supported from local funds."""
    data = build_report_data()
    AssessmentFactory(
        facility=data.facilities[0],
        kind="detailed",
        state="approved",
        start_date=date(YEAR, 2, 1),
        end_date=date(YEAR, 3, 15),
        total_cost_vnd=90_000_000,
        supported_amount_vnd=45_000_000,
        funding_source=LOCAL_FUNDS,
    )
    return data


@pytest.mark.parametrize("fmt, read", [("pdf", pdf_text), ("docx", docx_text)])
def test_documents_give_assessments_and_the_ministry_funding_total(assessed, fmt, read):
    text = read(build(fmt))
    assert "Đánh giá SXSH tại cơ sở đã được Sở duyệt trong năm" in text
    assert "Chi phí tư vấn (đồng)" in text and "90.000.000" in text
    assert LOCAL_FUNDS in text and "45.000.000" in text
    total = ministry_funding_total()
    assert total == 80_000_000 + 45_000_000  # the activities' sources and the support
    assert f"Tổng cộng {fmt_int(total)}" in text


def test_docx_funding_table_matches_the_ministry_rows(assessed):
    document = Document(BytesIO(build("docx")))
    table = table_with(document, "Nguồn kinh phí", "Số tiền (đồng)")
    rows = {row.cells[1].text: row.cells[3].text for row in table.rows[1:]}
    assert rows[LOCAL_FUNDS] == "45.000.000"
    assert rows["Ngân sách tỉnh"] == "45.000.000"
    assert rows["Kinh phí khuyến công quốc gia"] == "30.000.000"
    assert rows["Tổng cộng"] == fmt_int(ministry_funding_total())
    assessments = table_with(document, "Loại đánh giá", "Kinh phí hỗ trợ (đồng)")
    last = [cell.text for cell in assessments.rows[-1].cells]
    assert last[1] == "Tổng cộng" and last[-1] == "45.000.000"


def test_activity_total_counts_each_facility_once(db):
    data = build_report_data()
    injected = data.facilities[3]  # at the workshop already
    training = ActivityFactory(kind="training", date=date(YEAR, 7, 1), budget_other_vnd=0)
    Participation.objects.create(activity=training, facility=injected, people=3)
    document = Document(BytesIO(build("docx")))
    table = table_with(document, "Loại hoạt động", "Số hoạt động")
    per_kind = [int(row.cells[3].text) for row in table.rows[1:-1]]
    assert sum(per_kind) == 3  # workshop, communication, training: one facility each
    total = [cell.text for cell in table.rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert total[2:5] == ["3", "2", "9"]  # 3 activities, 2 distinct facilities, 4 + 2 + 3 people
    assert "Tổng cộng 3 2 9 " in pdf_text(build("pdf"))


def test_trend_of_a_year_without_approved_reports_is_that_years_table(db):
    build_report_data()  # approved reports in 2017 and 2018 only, in the period 2016–2020
    document = Document(BytesIO(build("docx")))
    table = table_with(document, "2016", "2017", str(YEAR))
    heads = [cell.text for cell in table.rows[0].cells]
    rows = {row.cells[1].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    # 2016: what the 2016 table of indicators says — the cumulative AWARE share (0 % on record
    # yet), but no value for those measured on the year's own reports (ENT_UNIT_PCT: "–").
    results = compute_indicators(2016)
    for code in ("AWARE_PCT", "ENT_UNIT_PCT"):
        result = results.get(code)
        shown = rows[result.indicator.name_vi][heads.index("2016")]
        assert shown == fmt_value(result.value.actual, result.indicator.unit), code
    assert results.value("ENT_UNIT_PCT").actual is None
    aware = next(values for name, values in rows.items() if "nhận thức" in name.lower())
    assert aware[heads.index("2016")] != "–"
    assert aware[heads.index(str(YEAR))] != "–"
    note = "Năm 2016 chưa có báo cáo năm nào được duyệt"
    assert note in docx_text(build("docx"))
    text = pdf_text(build("pdf"))
    assert note in text and "chưa có số liệu" in text


def test_trend_chart_stops_at_a_gap():
    svg = charts.line_chart([2016, 2017, 2018, 2019], [40, None, 50, 55], title="Áp dụng")
    assert svg.count("<polyline") == 1  # 2018–2019 only: never drawn through 2017
    assert "–" in svg


@pytest.mark.parametrize("fmt, read", [("pdf", pdf_text), ("docx", docx_text)])
def test_half_year_document_says_option_figures_are_the_whole_year(db, fmt, read):
    build_report_data()
    text = read(build(fmt, Report.Kind.HALF_YEAR_PROGRESS))
    assert f"Số giải pháp SXSH hoàn thành trong năm {YEAR} (cả năm)" in text
    assert f"Vốn đầu tư cho các giải pháp hoàn thành trong năm {YEAR} (cả năm, đồng)" in text
    assert "không riêng 6 tháng đầu năm" in text
    assert "Đánh giá SXSH tại cơ sở đã được Sở duyệt trong 6 tháng đầu năm" in text
    annual = read(build(fmt))
    assert "(cả năm" not in annual and "không riêng 6 tháng đầu năm" not in annual


def test_half_year_draft_and_issued_documents_have_names_of_their_own(client, staff):
    half = make_report(by=staff, kind=Report.Kind.HALF_YEAR_PROGRESS)
    annual = make_report(by=staff)
    issued = make_report(
        by=staff, number=1, register_year=2026, issue_date=date(2026, 1, 20), doc_type="BC"
    )
    client.force_login(staff)

    def name(report):
        response = client.get(reverse("reports:download", args=[report.pk]))
        assert response.status_code == 200
        return response["Content-Disposition"]

    assert name(half) == f'attachment; filename="bao-cao-sxsh-6-thang-2018-{half.pk}.pdf"'
    assert name(annual) == f'attachment; filename="bao-cao-sxsh-2018-{annual.pk}.pdf"'
    # The number as written, 01/BC-SCT.
    assert name(issued) == 'attachment; filename="01-BC-SCT-2026-sxsh-2018.pdf"'
