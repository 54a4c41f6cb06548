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


@pytest.fixture
def pdf(db, tmp_path) -> Path:
    build_report_data()
    report = Report.objects.create(year=YEAR, format="pdf", requested_by=UserFactory(role="staff"))
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    path = tmp_path / "report.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


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


def test_nothing_is_printed_in_the_side_margins(pdf, tmp_path):
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
