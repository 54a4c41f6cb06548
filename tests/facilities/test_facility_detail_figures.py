"""facilities:detail — counts are written the Vietnamese way (1.234), like the other figures."""

import re

from django.urls import reverse


def _dd_after(label, text):
    match = re.search(rf"{label}</dt><dd[^>]*>([^<]*)</dd>", text)
    assert match, label
    return match.group(1)


def test_employees_are_grouped_with_dots(client, staff, facility):
    facility.employees = 12_345
    facility.save()
    client.force_login(staff)
    response = client.get(reverse("facilities:detail", args=[facility.pk]))
    assert _dd_after("Lao động", response.text) == "12.345"
