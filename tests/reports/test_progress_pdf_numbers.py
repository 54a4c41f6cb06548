"""The printable progress summary (reports:facility_progress_pdf) writes the output as the
progress page (reports:facility_progress) does: the decimals the reported figure has, up to three,
the Vietnamese way; not rounded to a whole number."""

import io
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import html
from pypdf import PdfReader

from .indicator_helpers import report

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return unicodedata.normalize("NFC", text)


def _page_outputs(response) -> list[str]:
    page = html.fromstring(response.content)
    rows = page.xpath('//table[@id="progress-table"]/tbody/tr')
    return [" ".join(row.xpath("./td")[0].text_content().split()) for row in rows]


def test_the_pdf_writes_the_output_as_the_page_does(client, facility_user, facility):
    report(facility, 2017, output=Decimal("2867.9"), product_unit="tấn")
    report(facility, 2018, output=Decimal("3000.125"), product_unit="tấn")
    report(facility, 2019, output=Decimal("3100"), product_unit="tấn")
    client.force_login(facility_user)

    page = client.get(reverse("reports:facility_progress", args=[facility.pk]))
    pdf = client.get(reverse("reports:facility_progress_pdf", args=[facility.pk]))

    assert page.status_code == 200 and pdf.status_code == 200
    outputs = ["2.867,9 tấn", "3.000,125 tấn", "3.100 tấn"]
    assert _page_outputs(page) == outputs
    text = _pdf_text(pdf.content)
    for output in outputs:
        assert output in text
    assert "2.868" not in text
