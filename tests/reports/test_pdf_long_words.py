"""A long unbroken token (a URL, a run of characters, a facility name without spaces) in the
official PDF wraps inside the page's margins instead of running off its right edge, where part of
it would be lost: every character of it is in the PDF's text and no word's box passes the margins
(A4, left 30 mm, right 15 mm — Nghị định 30/2020)."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from facilities.models import Facility
from reports import generation
from reports.models import Report

from .file_text import pdf_text
from .report_files_data import YEAR, build_report_data

pytestmark = pytest.mark.django_db

URL_TOKEN = (
    "https://congthuong.bacninh.gov.vn/documents/20182/0/KeHoachSanXuatSachHonTrongCongNghiep"
    "GiaiDoan2021-2030_QuyetDinhPheDuyetCuaUBNDTinh_so1234-QD-UBND.pdf"
)
SHORTCOMINGS = f"Chi tiết tại {URL_TOKEN} (kèm theo)."
RUN_OF_X = "X" * 5000
# A facility name typed without spaces (an annex cell, 10 pt, a narrow column).
LONG_NAME = "CôngTyTNHHSảnXuấtVàThươngMạiDịchVụXuấtNhậpKhẩuBaoBìGiấyCaoCấpPhongKhêBắcNinh_VN"

PT_PER_MM = 72 / 25.4
LEFT = 30 * PT_PER_MM
RIGHT = 15 * PT_PER_MM
SLACK = 1.0  # points: glyph side bearings


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: apt-get install poppler-utils")
    return found


@pytest.fixture
def pdf(client, staff, tmp_path) -> Path:
    """The year's PDF as staff get it: the narrative written on its page, then the report."""
    build_report_data()
    Facility.objects.filter(name="Công ty Cổ phần Bia Quế Võ").update(name=LONG_NAME)
    client.force_login(staff)
    page = reverse("reports:narrative", args=[YEAR, "year"])
    data = {"shortcomings": SHORTCOMINGS, "direction": "", "recommendations": RUN_OF_X}
    response = client.post(page, data | {"version": 0})
    assert response.status_code == 302, response.content.decode()
    report = Report.objects.create(year=YEAR, format="pdf", requested_by=staff)
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    path = tmp_path / "report.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def squeezed(text: str) -> str:
    """Text with its line breaks undone: no whitespace, no hyphens."""
    return re.sub(r"[\s\-‐]", "", text)


def test_every_character_of_a_long_token_is_in_the_text(pdf):
    # pdftotext reads what is on the pages (text past the page's edge is cut off).
    on_pages = subprocess.run(
        [tool("pdftotext"), pdf, "-"], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    # Without the page numbers printed between the pages a long run is split across.
    text = squeezed(re.sub(r"(?m)^\f?\d+$", "", on_pages))
    assert squeezed(SHORTCOMINGS) in text
    assert RUN_OF_X in text
    assert squeezed(SHORTCOMINGS) in squeezed(pdf_text(pdf.read_bytes()))


class _Words(HTMLParser):
    """The pages and words of `pdftotext -bbox` (an XHTML document)."""

    def __init__(self):
        super().__init__()
        self.pages: list[dict] = []
        self._word: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: float(v) for k, v in attrs if k in ("width", "xmin", "xmax")}
        if tag == "page":
            self.pages.append({"width": attrs["width"], "words": []})
        elif tag == "word":
            self._word = {**attrs, "text": ""}
            self.pages[-1]["words"].append(self._word)

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] += data

    def handle_endtag(self, tag):
        if tag == "word":
            self._word = None


def test_no_word_runs_past_the_margins(pdf):
    listing = subprocess.run(
        [tool("pdftotext"), "-bbox", pdf, "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    parser = _Words()
    parser.feed(listing)
    assert len(parser.pages) > 2
    outside = [
        (number, word["text"][:40], round(word["xmin"]), round(word["xmax"]))
        for number, page in enumerate(parser.pages, start=1)
        for word in page["words"]
        if word["xmin"] < LEFT - SLACK or word["xmax"] > page["width"] - RIGHT + SLACK
    ]
    assert outside == []
    words = [word["text"] for page in parser.pages for word in page["words"]]
    assert len("".join(word for word in words if set(word) == {"X"})) == len(RUN_OF_X)
    # The annex's name cell: the name's lines, one under the other beside the other columns.
    assert "".join(word for word in words if len(word) > 8 and word in LONG_NAME) == LONG_NAME


def test_only_long_tokens_of_the_body_text_are_marked():
    from reports.files.pdf import breakable

    token = "A&amp;B_" + "y" * 30
    html = (
        f"<html><head><title>{token}</title></head><body><p>Ngắn {token} gọn</p>"
        f'<svg><text x="1">{token}</text></svg><td class="num">123.456.789.012</td></body></html>'
    )
    marked = breakable(html)
    assert f'<p>Ngắn <span class="long">{token}</span> gọn</p>' in marked
    assert f"<title>{token}</title>" in marked  # the head and the charts as they were
    assert f'<text x="1">{token}</text>' in marked
    assert '<td class="num">123.456.789.012</td>' in marked
