"""A facility name typed without spaces, longer than a line, in the one-page progress summary
(reports:facility_progress_pdf) wraps at the margin instead of running off the page's right edge,
where its end would be lost: every character of it is on the page (pdftotext reads what is on
the pages; text past the page's edge is cut off)."""

import re
import shutil
import subprocess
import unicodedata

import pytest
from django.urls import reverse

from .indicator_helpers import report

pytestmark = pytest.mark.django_db

PART = "CôngTyTNHHSảnXuấtVàThươngMạiDịchVụXuấtNhậpKhẩuBaoBìGiấy"
LONG_NAME = (PART * 4)[:200] + "_KếtThúcTên"  # 211 characters, no space


def on_pages(pdf: bytes, tmp_path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "tom-tat.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [pdftotext, str(path), "-"], check=True, capture_output=True, text=True, timeout=120
    )
    return unicodedata.normalize("NFC", result.stdout)


def test_a_long_name_without_spaces_is_printed_whole(client, staff, facility, tmp_path):
    facility.name = LONG_NAME
    facility.save()
    report(facility, 2017, product_unit="tấn")
    report(facility, 2018, product_unit="tấn")
    client.force_login(staff)
    response = client.get(reverse("reports:facility_progress_pdf", args=[facility.pk]))
    assert response.status_code == 200
    # Line breaks (and a hyphen a wrap may add) undone.
    text = re.sub(r"[\s\-‐]", "", on_pages(response.content, tmp_path))
    assert LONG_NAME in text
