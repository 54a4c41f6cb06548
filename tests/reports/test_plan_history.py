"""A change of a plan indicator's target is shown, with who, when and old → new, on the
indicator's edit page and on its milestones page."""

import re

import pytest
from django.urls import reverse

from reports.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def apply_pct():
    return Indicator.objects.get(code="APPLY_PCT", period__code="2016-2020")


def _data(indicator, **changes):
    data = {
        "code": indicator.code,
        "name_vi": indicator.name_vi,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "method": indicator.method,
        "target_min": "" if indicator.target_min is None else str(indicator.target_min),
        "target_max": "" if indicator.target_max is None else str(indicator.target_max),
        "baseline_value": "" if indicator.baseline_value is None else indicator.baseline_value,
        "baseline_note": indicator.baseline_note,
        "order": indicator.order,
        "version": indicator.version,
    }
    return {**data, **changes}


def _history(page: str) -> list[str]:
    """The entries of the page's history list, as text, newest first."""
    assert 'id="indicator-history"' in page, "the page shows no history list"
    shown = re.split(r"<h2|</main>", page.split('id="indicator-history"', 1)[1])[0]
    items = shown.split('<li class="border-bottom py-2">')[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", item)).strip() for item in items]


@pytest.mark.parametrize("page_name", ["indicator_edit", "indicator_milestones"])
def test_a_target_change_is_shown_with_who_and_old_and_new(client, staff, apply_pct, page_name):
    old = apply_pct.target_min
    client.force_login(staff)

    response = client.post(
        reverse("reports:indicator_edit", args=[apply_pct.pk]),
        _data(apply_pct, target_min="55", target_max=""),
    )

    assert response.status_code == 302
    page = client.get(reverse(f"reports:{page_name}", args=[apply_pct.pk])).text
    newest, seeded = _history(page)
    assert staff.full_name in newest
    assert f"Chỉ tiêu (tối thiểu): {old.normalize():f} → 55" in newest
    # The plan's seeded target, which the edit replaced: the system's, not the editor's.
    assert "hệ thống" in seeded and "Giá trị khởi tạo ban đầu" in seeded
    assert staff.full_name not in seeded


def test_a_decimal_target_is_shown_the_vietnamese_way(client, staff, apply_pct):
    client.force_login(staff)
    client.post(
        reverse("reports:indicator_edit", args=[apply_pct.pk]),
        _data(apply_pct, target_min="6,8", target_max=""),
    )

    page = client.get(reverse("reports:indicator_milestones", args=[apply_pct.pk])).text

    assert "→ 6,8" in _history(page)[0]
