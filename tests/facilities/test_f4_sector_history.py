"""The priority sectors page shows who ticked or unticked which division, and when."""

import re

import pytest
from django.urls import reverse

from facilities.models import IndustryCode

pytestmark = pytest.mark.django_db

URL = reverse("facilities:sector_list")


def _entries(text) -> list[str]:
    panel = text.split('id="sector-history">', 1)[1].split("\n    </ul>", 1)[0]
    items = panel.split('<li class="border-bottom py-2">')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_a_ticked_division_shows_old_and_new(client, staff):
    divisions = IndustryCode.objects.filter(level=2)
    wanted = set(divisions.filter(is_priority=True).values_list("pk", flat=True))
    furniture = divisions.get(code="31")
    assert not furniture.is_priority
    client.force_login(staff)
    client.post(URL, {"divisions": [*wanted, furniture.pk]})

    entries = _entries(client.get(URL).text)
    [ticked] = [entry for entry in entries if staff.full_name in entry]
    assert f"31 – {furniture.name}" in ticked
    label = IndustryCode._meta.get_field("is_priority").verbose_name
    assert f"{str(label)[0].upper()}{str(label)[1:]}: ✗ → ✓" in ticked
