"""The DOCX as Word and an outside reader see it (DESIGN §5 "Report files", DOMAIN.md "Official
documents"): Times New Roman is the only font the text and its styles name (the document
defaults and every style too, not the template's Calibri theme or Courier), the proofing
language is Vietnamese, the file's properties name the document and its issuing body rather
than the library, and the first page has an empty header of its own (page numbers from page
2)."""

import re
import zipfile
from io import BytesIO

import pytest
from docx import Document

from reports import generation
from reports.models import Report

from ..factories import UserFactory
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

FONT_ATTRIBUTE = re.compile(r'w:(ascii|hAnsi|eastAsia|cs)="([^"]*)"')


@pytest.fixture
def docx_bytes(db) -> bytes:
    build_report_data()
    report = Report.objects.create(year=YEAR, format="docx", requested_by=UserFactory(role="staff"))
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return handle.read()


def test_times_new_roman_is_the_only_font(docx_bytes):
    with zipfile.ZipFile(BytesIO(docx_bytes)) as package:
        parts = {
            name: package.read(name).decode()
            for name in package.namelist()
            # The text and its styles (numbering.xml's unused bullets keep their Symbol).
            if re.fullmatch(r"word/(document|styles\w*|header\d*|footer\d*)\.xml", name)
        }
    named = set()
    for xml in parts.values():
        for fonts in re.findall(r"<w:rFonts [^>]*/>", xml):
            assert "Theme=" not in fonts and "cstheme=" not in fonts, fonts
            named |= {value for _, value in FONT_ATTRIBUTE.findall(fonts)}
    assert named == {"Times New Roman"}
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", parts["word/styles.xml"], re.S)
    assert 'w:ascii="Times New Roman"' in defaults.group(0)
    assert 'w:val="vi-VN"' in defaults.group(0)


def test_properties_name_the_document_and_its_issuer(docx_bytes):
    properties = Document(BytesIO(docx_bytes)).core_properties
    assert properties.title == (
        f"Kết quả thực hiện Kế hoạch hành động sản xuất sạch hơn trong công nghiệp năm {YEAR}"
    )
    assert properties.author == "UBND TỈNH BẮC NINH – SỞ CÔNG THƯƠNG"
    assert "python-docx" not in " ".join(
        str(value or "")
        for value in (properties.comments, properties.last_modified_by, properties.author)
    )
    assert properties.language == "vi-VN"
    assert properties.created.year >= 2025


def test_first_page_has_an_empty_header_and_the_others_the_page_number(docx_bytes):
    section = Document(BytesIO(docx_bytes)).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    first = section.first_page_header._element.xml
    assert "PAGE" not in first and not section.first_page_header.paragraphs[0].text
    assert "PAGE" in section.header._element.xml
