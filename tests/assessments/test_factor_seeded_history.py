"""The first edit of a factor the data migration seeded first records the seeded value: that
record is the system's ("hệ thống"), not the staff member's who made the edit."""

import re

import pytest
from django.urls import reverse

from assessments.models import ConversionFactor, GridEmissionFactor
from core.history import SEEDED_VALUE_REASON

pytestmark = pytest.mark.django_db


def _history(page: str) -> list[str]:
    """The entries of the page's history list, as text, newest first."""
    assert 'id="factor-history"' in page, "the page shows no history list"
    shown = re.split(r"<h2|</main>", page.split('id="factor-history"', 1)[1])[0]
    items = shown.split('<li class="border-bottom py-2">')[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", item)).strip() for item in items]


def test_the_seeded_value_of_a_conversion_factor_is_credited_to_the_system(client, staff):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("assessments:factor_edit", args=[factor.pk])
    client.force_login(staff)

    response = client.post(
        url,
        {
            "name": factor.name,
            "unit": factor.unit,
            "toe_per_unit": "0,000154",
            "co2_t_per_unit": "",
            "source": factor.source,
            "reason": "Cập nhật 2024",
        },
    )

    assert response.status_code == 302
    edit, seeded = factor.history.order_by("-history_id")
    assert (seeded.history_type, seeded.history_change_reason) == ("+", SEEDED_VALUE_REASON)
    assert seeded.history_user is None
    assert edit.history_user == staff
    newest, oldest = _history(client.get(url).text)
    assert staff.full_name in newest and "Cập nhật 2024" in newest
    assert "hệ thống" in oldest and "Giá trị khởi tạo ban đầu" in oldest
    assert staff.full_name not in oldest


def test_the_seeded_value_of_a_grid_factor_is_credited_to_the_system(client, staff):
    factor = GridEmissionFactor.objects.get(year=2018)
    url = reverse("assessments:grid_factor_edit", args=[factor.pk])
    client.force_login(staff)

    response = client.post(url, {"t_co2_per_mwh": "0,9", "source": "Bộ TN&MT 2019"})

    assert response.status_code == 302
    newest, oldest = _history(client.get(url).text)
    assert staff.full_name in newest
    assert "hệ thống" in oldest and "Tạo mới" in oldest
    assert staff.full_name not in oldest
    assert factor.history.earliest("history_id").history_user is None
