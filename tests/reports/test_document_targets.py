"""The documents' indicator table never prints the period's end target as the year's milestone
(DESIGN §4: a year without a milestone of its own is judged against the period's target). As in
the demo's 2021–2030 plan, which sets no yearly milestones: the "Mốc năm 2025" cell says there is
none (–), the period's target stands in its own column, and a note under the table says what the
year is judged against. The XLSX keeps its ChiTieu contract (the plan's own target)."""

from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document

from assessments.models import PlanPeriod
from reports.files import content, docx, pdf

from ..factories import AnnualReportFactory
from .test_edge_data import all_three, docx_table, pdf_text, write

pytestmark = pytest.mark.django_db

YEAR = 2025
NOTE = "Chỉ tiêu không có mốc năm 2025 (ghi –) được đánh giá so với chỉ tiêu đến năm 2030."


@pytest.fixture
def plan_2021_2030(db):
    period = PlanPeriod.objects.create(
        code="2021-2030", name="Kế hoạch 2021–2030", start_year=2021, end_year=2030
    )
    create = period.indicators.create
    aware = create(
        code="AWARE_PCT", name_vi="Tỷ lệ nhận thức", unit="%", method="computed", target_min=90
    )
    create(code="APPLY_PCT", name_vi="Tỷ lệ áp dụng", unit="%", method="computed", target_min=95)
    create(
        code="SAVING_PCT",
        name_vi="Mức tiết kiệm",
        unit="%",
        method="computed",
        target_min=8,
        target_max=13,
    )
    AnnualReportFactory(year=YEAR, aware=True, applies_cp=True)
    AnnualReportFactory(year=YEAR)
    return period, aware


def indicator_cells(document) -> dict[str, list[str]]:
    """(year's milestone, period's target) of each indicator row of the DOCX, by name."""
    table = docx_table(document, ("STT", "Chỉ tiêu"))
    return {row.cells[1].text: [c.text for c in row.cells[3:5]] for row in table.rows[1:]}


def test_a_plan_without_yearly_milestones_prints_no_milestone(plan_2021_2030, tmp_path):
    document = Document(BytesIO(write(docx.write_docx, YEAR, tmp_path, "docx")))
    header = [cell.text for cell in docx_table(document, ("STT", "Chỉ tiêu")).rows[0].cells]
    assert header[3:5] == ["Mốc năm 2025", "Chỉ tiêu đến năm cuối kỳ"]
    assert indicator_cells(document) == {
        "Tỷ lệ nhận thức": ["–", "90"],
        "Tỷ lệ áp dụng": ["–", "95"],
        "Mức tiết kiệm": ["–", "8–13"],
    }
    pdf_, docx_, sheets = all_three(YEAR, tmp_path)
    for text in (pdf_, docx_):
        assert NOTE in text
        # Still judged, against the period's targets (1 of 2 = 50 % each; no saving figure).
        assert "0/2 chỉ tiêu có số liệu đạt mục tiêu; 1 chỉ tiêu chưa có số liệu" in text
    assert "Tỷ lệ áp dụng % – 95 " in pdf_
    # The workbook's contract: the plan's own target, as before.
    targets = {row[0].value: row[3].value for row in sheets["ChiTieu"][1:]}
    assert targets == {"AWARE_PCT": "90", "APPLY_PCT": "95", "SAVING_PCT": "8-13"}


def test_a_year_with_its_milestone_prints_it_beside_the_period_target(plan_2021_2030, tmp_path):
    _period, aware = plan_2021_2030
    aware.milestones.create(year=YEAR, target_min=Decimal("70.5"))

    document = Document(BytesIO(write(docx.write_docx, YEAR, tmp_path, "docx")))

    cells = indicator_cells(document)
    assert cells["Tỷ lệ nhận thức"] == ["70,5", "90"]
    assert cells["Tỷ lệ áp dụng"] == ["–", "95"]
    indicators = pdf.context(content.gather(YEAR, lambda percent: None))["indicators"]
    assert {row["name"]: (row["milestone"], row["period_target"]) for row in indicators} == {
        "Tỷ lệ nhận thức": ("70,5", "90"),
        "Tỷ lệ áp dụng": ("–", "95"),
        "Mức tiết kiệm": ("–", "8–13"),
    }


def test_no_note_when_every_indicator_has_its_milestone(plan_2021_2030, tmp_path):
    period, _aware = plan_2021_2030
    for indicator in period.indicators.all():
        indicator.milestones.create(year=YEAR, target_min=5)

    text = pdf_text(write(pdf.write_pdf, YEAR, tmp_path, "pdf"))
    document = Document(BytesIO(write(docx.write_docx, YEAR, tmp_path, "docx")))

    assert "Chỉ tiêu không có mốc năm" not in text
    assert "Chỉ tiêu không có mốc năm" not in "\n".join(p.text for p in document.paragraphs)
    assert set(map(tuple, indicator_cells(document).values())) == {
        ("5", "90"),
        ("5", "95"),
        ("5", "8–13"),
    }
