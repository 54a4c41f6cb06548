"""Screenshots of a generated annual PDF, to be checked by eye (issue 15, acceptance): its first
page and a table page, rendered to PNG by poppler's pdftoppm, saved in test-artefacts/ and opened
in Chromium, which must show a page-shaped image with text on it."""

import base64
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import generation
from reports.generation import Outcome

from ..browser import ARTEFACTS
from .report_files_data import build_report_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Share of non-white pixels a page with text has at least (an empty page has none).
INK = 0.01


def annual_pdf() -> bytes:
    build_report_data()
    report = generation.report_request(kind="annual_progress", year=2018, fmt="pdf", by=None)
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED, report.error
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        return handle.read()


def table_page(data: bytes) -> int:
    """The first page after the first whose text has a table head ("STT"), numbered from 1."""
    pages = PdfReader(BytesIO(data)).pages
    found = (n for n, page in enumerate(pages, start=1) if n > 1 and "STT" in page.extract_text())
    return next(found)


def render(pdf: Path, page: int, target: Path) -> Path:
    """One page of `pdf` as a PNG at 110 dpi (pdftoppm adds the suffix)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    stem = target.with_suffix("")
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile", pdf, stem],
        check=True,
        timeout=60,
    )
    return target


SHOW = """
(async () => {
  const image = document.querySelector("img");
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) ink += 1;
  }
  return {width: image.naturalWidth, height: image.naturalHeight, ink: ink / (pixels.length / 4)};
})()
"""


def test_first_page_and_a_table_page_are_saved_as_png(browser, tmp_path):
    data = annual_pdf()
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(data)
    ARTEFACTS.mkdir(exist_ok=True)
    shots = [
        render(pdf, 1, ARTEFACTS / "report-page1.png"),
        render(pdf, table_page(data), ARTEFACTS / "report-table-page.png"),
    ]
    context = browser.new_context(viewport={"width": 1000, "height": 1300})
    page = context.new_page()
    try:
        for shot in shots:
            encoded = base64.b64encode(shot.read_bytes()).decode()
            page.set_content(f'<img alt="" src="data:image/png;base64,{encoded}">')
            seen = page.evaluate(SHOW)
            # A4 portrait: 210 × 297 mm.
            assert seen["height"] / seen["width"] == pytest.approx(297 / 210, rel=0.01)
            assert seen["ink"] > INK, f"{shot.name} looks empty"
    finally:
        context.close()
