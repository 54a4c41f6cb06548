"""The extra computed indicators staff may add to a period (TRAINED_PCT, WATER_SAVING_PCT) in the
breakdown tables of the PDF and DOCX: headed by their plan names, never by their codes (DESIGN
§5), and water saving, an average without a count, shows its value in the DOCX as in the PDF."""

from io import BytesIO

import pytest
from docx import Document

from reports import generation
from reports.figures import TRAINED, WATER_SAVING
from reports.files.numbers import fmt_decimal
from reports.indicators import compute_indicators
from reports.models import Report

from ..factories import UserFactory
from .file_text import pdf_text
from .indicator_helpers import YEAR
from .test_extra_indicator_texts import in_the_plan  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

WATER_HEAD = "Mức tiết kiệm nước trên đơn vị sản phẩm (%)"
TRAINED_HEAD = "Tỷ lệ cơ sở có cán bộ kỹ thuật được đào tạo SXSH (%)"


def _build(fmt: str) -> bytes:
    report = Report.objects.create(
        kind=Report.Kind.ANNUAL_PROGRESS, year=YEAR, format=fmt, requested_by=UserFactory()
    )
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return handle.read()


def test_docx_breakdowns_name_the_extra_indicators_and_give_the_water_saving(in_the_plan):  # noqa: F811
    water = compute_indicators(YEAR).value(WATER_SAVING)
    assert water is not None and water.actual is not None  # 1000 m³ -> 800 m³ for the same output
    document = Document(BytesIO(_build("docx")))
    tables = [t for t in document.tables if WATER_HEAD in [c.text for c in t.rows[0].cells]]
    assert tables, "no breakdown table is headed by the water-saving indicator's name"
    shown = {}
    for table in tables:
        heads = [cell.text for cell in table.rows[0].cells]
        assert TRAINED_HEAD in heads
        assert not {WATER_SAVING, TRAINED} & set(heads)
        column = heads.index(WATER_HEAD)
        shown[heads[1]] = [row.cells[column].text for row in table.rows[1:]]
    # The facility's place and sector: its value, not a dash (a priority group it is not in
    # has none).
    assert shown["Huyện"] == [fmt_decimal(water.actual)]
    assert fmt_decimal(water.actual) in shown["Ngành (VSIC cấp 2)"]


def test_pdf_breakdowns_name_the_extra_indicators(in_the_plan):  # noqa: F811
    text = pdf_text(_build("pdf"))
    assert WATER_SAVING not in text and TRAINED not in text
    assert "Mức tiết kiệm nước" in text
