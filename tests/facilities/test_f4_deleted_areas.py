"""The area list shows staff the industrial areas deleted lately, from their history."""

import re

import pytest
from django.urls import reverse

from .area_helpers import make_area, make_district

pytestmark = pytest.mark.django_db

LIST = reverse("facilities:area_list")


def test_staff_see_a_deleted_area(client, staff):
    area = make_area(name="Cụm công nghiệp Đông Thọ", district=make_district())
    make_area(name="Khu công nghiệp còn giữ")
    client.force_login(staff)
    client.post(reverse("facilities:area_delete", args=[area.pk]))

    page = client.get(LIST).text
    assert "Đã xóa gần đây" in page
    table = page.split('id="deleted-areas">', 1)[1].split("</table>", 1)[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in table.split("<tr>")[2:]]
    [row] = rows
    assert "Cụm công nghiệp Đông Thọ" in row
    assert staff.full_name in row
    assert area.get_kind_display() in row
    assert "Huyện Quế Võ" in row
    assert "còn giữ" not in row


def test_officials_do_not_see_it(client, staff, official):
    area = make_area()
    client.force_login(staff)
    client.post(reverse("facilities:area_delete", args=[area.pk]))
    client.force_login(official)
    assert "Đã xóa gần đây" not in client.get(LIST).text
