"""The text of a generated PDF or DOCX as a test reads it: pypdf's text of every page, the DOCX's
paragraphs then its tables' cells, whitespace collapsed to single spaces."""

from io import BytesIO

from docx import Document
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())
