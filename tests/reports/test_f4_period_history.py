"""The plan period's edit page shows its history: the seeded period's first edit shows what it
replaced."""

import re

import pytest
from django.urls import reverse

from assessments.models import PlanPeriod

pytestmark = pytest.mark.django_db


def _entries(text) -> list[str]:
    panel = text.split('id="period-history">', 1)[1].split("\n    </ul>", 1)[0]
    items = panel.split('<li class="border-bottom py-2">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_an_edit_of_the_seeded_period_shows_old_and_new(client, staff):
    period = PlanPeriod.objects.get(code="2016-2020")
    seeded_basis = period.basis
    url = reverse("reports:period_edit", args=[period.pk])
    client.force_login(staff)
    data = {
        "code": period.code,
        "name": period.name,
        "start_year": period.start_year,
        "end_year": period.end_year,
        "basis": "QĐ 1419/QĐ-TTg; QĐ của UBND tỉnh",
        "version": period.version,
    }
    assert client.post(url, data).status_code == 302

    edit, seeded = _entries(client.get(url).text)
    assert staff.full_name in edit
    assert f"Căn cứ: {seeded_basis or '—'} → QĐ 1419/QĐ-TTg; QĐ của UBND tỉnh" in edit
    assert "Giá trị khởi tạo ban đầu" in seeded
