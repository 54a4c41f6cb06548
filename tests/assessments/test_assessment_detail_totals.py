"""assessments:assessment_detail — the summary of the options' benefits counts only the
options still pursued: one rejected at screening or dropped brings no saving and needs no
investment."""

import re
from decimal import Decimal

from django.urls import reverse

from ..factories import OptionFactory


def _totals(text):
    block = re.search(r'<dl class="row mb-0 small" id="option-totals">(.*?)</dl>', text, re.S)
    assert block
    return re.findall(r'<dd class="col-5 text-end">([^<]*)</dd>', block.group(1))


def test_rejected_and_dropped_options_stay_out_of_the_totals(client, staff, draft):
    kept = {"investment_vnd": 120_000_000, "annual_saving_vnd": 60_000_000}
    OptionFactory(assessment=draft, status="in_progress", **kept)
    OptionFactory(
        assessment=draft,
        screening="reject",
        status="planned",
        investment_vnd=900_000_000,
        annual_saving_vnd=300_000_000,
        electricity_saving_kwh=Decimal(100_000),
    )
    OptionFactory(
        assessment=draft,
        status="dropped",
        investment_vnd=40_000_000,
        annual_saving_vnd=10_000_000,
        coal_saving_t=Decimal(50),
    )
    client.force_login(staff)
    response = client.get(reverse("assessments:assessment_detail", args=[draft.pk]))
    assert response.status_code == 200
    investment, saving, toe, tco2 = _totals(response.text)
    assert investment == "120,0 triệu đồng"
    assert saving == "60,0 triệu đồng"
    assert toe == "0,00"
    assert tco2 == "0,00"
    # the rows still list every option
    assert "900,0" in response.text and "40,0" in response.text
    assert "Không tính các giải pháp bị loại bỏ khi sàng lọc hoặc đã hủy bỏ." in response.text
