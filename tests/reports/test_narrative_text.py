"""Control characters typed or pasted into the narrative (a vertical tab from Word or Excel, a NUL,
an escape) are not saved, so the PDF never prints them as empty boxes: a vertical tab or form
feed becomes a line break, the others are dropped (tab, line feed and carriage return are kept)."""

import re

import pytest
from django.urls import reverse

from reports.files import content, pdf
from reports.models import ReportNarrative

from .report_files_data import YEAR

pytestmark = pytest.mark.django_db

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def url():
    return reverse("reports:narrative", args=[YEAR, "year"])


def test_control_characters_are_not_saved_nor_printed(client, staff):
    client.force_login(staff)
    data = {
        "shortcomings": "Tỷ lệ báo cáo\x0bcòn thấp.\x00\x01",
        "direction": "- Tập\x1b huấn;\r\n- Hỗ trợ\tkỹ thuật.\x0c",
        "recommendations": "\x07Đề nghị Bộ hỗ trợ.",
        "version": 0,
    }
    response = client.post(url(), data)
    assert response.status_code == 302, response.content.decode()
    narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
    assert narrative.shortcomings == "Tỷ lệ báo cáo\ncòn thấp."
    assert narrative.direction == "- Tập huấn;\r\n- Hỗ trợ\tkỹ thuật."
    assert narrative.recommendations == "Đề nghị Bộ hỗ trợ."
    # The page shows what was saved; the PDF's HTML carries none of them.
    assert "còn thấp." in client.get(url()).content.decode()
    html = pdf.render_html(content.gather(YEAR, lambda percent: None))
    assert "Tỷ lệ báo cáo còn thấp." in html
    assert not CONTROL.search(html)


def test_text_of_control_characters_only_is_empty(client, staff):
    client.force_login(staff)
    data = {"shortcomings": "\x01\x02", "direction": "", "recommendations": "", "version": 0}
    assert client.post(url(), data).status_code == 302
    assert ReportNarrative.objects.get(year=YEAR, period_kind="year").shortcomings == ""
