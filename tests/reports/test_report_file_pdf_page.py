"""The PDF as an outside reader checks it (DESIGN §5 "Report files", DOMAIN.md "Official
documents"): the fonts `pdffonts` lists are the metric-compatible Liberation Serif, and nothing
is printed in the side margins (left 30 mm, right 15 mm) of any page — the charts included."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from reports import generation
from reports.models import Report

from ..factories import UserFactory
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

DPI = 72
MM = DPI / 25.4


def _pdf(tmp_path, year) -> Path:
    report = Report.objects.create(year=year, format="pdf", requested_by=UserFactory(role="staff"))
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    path = tmp_path / f"report-{year}.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


@pytest.fixture
def pdf(db, tmp_path) -> Path:
    build_report_data()
    return _pdf(tmp_path, YEAR)


@pytest.fixture
def pdf_without_reports(db, tmp_path) -> Path:
    """The next year's document: no annual report of it is approved yet (the current year's
    normal case), so the overall assessment is the longest sentence of the summary table."""
    build_report_data()
    return _pdf(tmp_path, YEAR + 1)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: apt-get install poppler-utils")
    return found


def test_pdffonts_lists_embedded_liberation_serif(pdf):
    listing = subprocess.run(
        [tool("pdffonts"), pdf], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows
    names = {row[0].split("+", 1)[-1] for row in rows}
    # The PostScript-style names of the family, as other PDF producers write them.
    assert names == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-Bold-Italic",
    }
    # Every one embedded (the "emb" column).
    assert all(row[-5] == "yes" for row in rows), listing


@pytest.mark.parametrize("document", ["pdf", "pdf_without_reports"])
def test_nothing_is_printed_in_the_side_margins(request, document, tmp_path):
    pdf = request.getfixturevalue(document)
    subprocess.run(
        [tool("pdftoppm"), "-png", "-r", str(DPI), pdf, tmp_path / "page"],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) > 2
    for page in pages:
        image = Image.open(page).convert("L")
        width, height = image.size
        left = image.crop((0, 0, int(30 * MM) - 1, height))
        right = image.crop((int(width - 15 * MM) + 1, 0, width, height))
        for side, strip in (("left", left), ("right", right)):
            darkest, _ = strip.getextrema()
            assert darkest > 200, f"{page.name}: ink in the {side} margin"


def test_the_overall_assessment_wraps_inside_the_summary_table(pdf_without_reports):
    """The sentence of row 9 wraps in its cell: the whole of it is printed, and the figures of
    the rows above it stay on the page."""
    text = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "2", pdf_without_reports, "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    words = " ".join(text.split())
    assert "Chưa đánh giá được đầy đủ" in words
    assert "chỉ tiêu chưa có số liệu" in words


def test_the_chart_says_its_marks_are_the_periods_targets(pdf):
    """The chart's target marks are the period's targets, not the year's milestones."""
    text = " ".join(
        subprocess.run(
            [tool("pdftotext"), pdf, "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout.split()
    )
    assert f"Kết quả năm {YEAR} so với chỉ tiêu đến năm 2020" in text
