"""Review of the generated report files against DESIGN §5 "Report files" and DOMAIN.md's official
document form: the DOCX is a valid WordprocessingML package (the heading's rules and borderless
tables where the schema puts them, the heading's grid as wide as its cells) and the PDF's charts
write percentages as the tables do ("75,0 %")."""

import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Mm
from lxml import etree

from reports import generation
from reports.models import Report

from ..factories import ActivityFactory, UserFactory
from .file_text import pdf_text
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# ECMA-376 Part 1, CT_PPrBase + CT_PPr and CT_TblPr: sequences, so Word reads their children only
# in this order.
SEQUENCES = {
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    "tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ],
}


def generated(fmt: str, activities: int = 0) -> bytes:
    build_report_data()
    for day in range(activities):
        ActivityFactory(date=date(YEAR, 1 + day % 12, 1 + day // 12), budget_province_vnd=1_000_000)
    report = Report.objects.create(year=YEAR, format=fmt, requested_by=UserFactory(role="staff"))
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return handle.read()


def test_docx_properties_follow_the_schema_order():
    with zipfile.ZipFile(BytesIO(generated("docx"))) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out_of_order = []
    for tag, sequence in SEQUENCES.items():
        for element in root.iter(f"{{{W}}}{tag}"):
            names = [etree.QName(child).localname for child in element]
            positions = [sequence.index(name) for name in names]
            if positions != sorted(positions):
                out_of_order.append((tag, names))
    assert out_of_order == []
    # The heading's rules are there (under the department and under the tiêu ngữ).
    assert len(root.findall(f".//{{{W}}}pPr/{{{W}}}pBdr")) == 2


def test_docx_heading_grid_is_as_wide_as_its_cells():
    heading = Document(BytesIO(generated("docx"))).tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading.rows[0].cells[1].text
    grid = [column.width for column in heading.columns]
    cells = [cell.width for cell in heading.rows[0].cells]
    assert grid == cells
    assert [round(width.mm) for width in grid] == [round(Mm(65).mm), round(Mm(100).mm)]


def test_pdf_charts_write_percentages_as_the_tables_do():
    text = pdf_text(generated("pdf"))
    # The tables' "75,0 %"; the charts' bars and axes the same way, never "75,0%" or "100%".
    assert re.search(r"\d,\d %", text)
    assert re.findall(r"\d,\d%", text) == []
    assert re.findall(r"\b(?:0|25|50|75|100)%", text) == []
    assert "100 %" in text


def test_pdf_activity_totals_are_written_once_under_the_last_row():
    """A list of activities over several pages: its totals row closes the table, not each page."""
    text = pdf_text(generated("pdf", activities=60))
    assert text.count("Tổng kinh phí") == 1
    # One each under the activities by kind, the assessments and the funding by source.
    assert text.count("Tổng cộng") == 3
