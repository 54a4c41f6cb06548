"""The deadlines page shows the history of the year deadlines and of the facilities' extensions."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

URL = reverse("assessments:deadline_list")


def _entries(text) -> list[str]:
    panel = text.split('id="deadline-history">', 1)[1].split("\n    </ul>", 1)[0]
    items = panel.split('<li class="border-bottom py-2">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_a_changed_deadline_shows_old_and_new(client, staff):
    client.force_login(staff)
    client.post(URL, {"year": 2019, "deadline": "2020-03-31"})
    client.post(URL, {"year": 2019, "deadline": "2020-04-30"})
    changed, created = _entries(client.get(URL).text)
    assert "Hạn nộp năm 2019" in changed
    assert "Hạn nộp báo cáo: 31/03/2020 → 30/04/2020" in changed
    assert staff.full_name in changed
    assert "Tạo mới" in created
    assert "Hạn nộp báo cáo: — → 31/03/2020" in created


def test_a_renewed_extension_shows_old_and_new(client, staff, facility):
    first = timezone.localdate() + timedelta(days=10)
    second = first + timedelta(days=5)
    client.force_login(staff)
    exception_url = reverse("assessments:deadline_exception")
    data = {"tax_code": facility.tax_code, "year": 2019, "reason": "Mất điện"}
    client.post(exception_url, {**data, "until": first})
    client.post(exception_url, {**data, "until": second, "reason": "Bão"})
    changed = _entries(client.get(URL).text)[0]
    assert f"Gia hạn cho {facility.name}, năm 2019" in changed
    assert f"Được nộp đến ngày: {first:%d/%m/%Y} → {second:%d/%m/%Y}" in changed
    assert "Lý do: Mất điện → Bão" in changed
