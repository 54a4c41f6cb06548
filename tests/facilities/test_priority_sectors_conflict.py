"""Two staff members edit the priority sectors at the same time. The page posts the whole list of
ticked divisions, so the second save, made on the list as it was loaded, would silently undo the
first. It is refused instead (409, nothing saved) and the page shows the latest list."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from facilities.models import IndustryCode
from facilities.reference_forms import divisions

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("facilities:sector_list")
CONFLICT = (
    "Danh sách ngành ưu tiên vừa được người khác cập nhật trong lúc bạn đang sửa nên thay đổi "
    "của bạn chưa được lưu. Danh sách dưới đây là dữ liệu mới nhất; vui lòng đánh dấu lại thay "
    "đổi và lưu."
)


def _loaded(page) -> str:
    """The fingerprint of the priorities the page was loaded with (its hidden field)."""
    return re.search(r'name="loaded" value="([0-9a-f]+)"', page.text).group(1)


def _ticked(page) -> set[str]:
    return set(re.findall(r'value="\d+" id="division-(\d+)" checked', page.text))


@pytest.fixture
def two_staff(staff):
    other = UserFactory(username="canbo_hai", role=Role.STAFF, full_name="Lê Thị Hai")
    clients = Client(), Client()
    clients[0].force_login(staff)
    clients[1].force_login(other)
    return clients


def test_the_second_save_does_not_undo_the_first(two_staff):
    a, b = two_staff
    page_a, page_b = a.get(URL), b.get(URL)
    current = [d.pk for d in divisions() if d.is_priority]
    x, y = list(divisions().filter(is_priority=False)[:2])

    saved = a.post(URL, {"divisions": [*current, x.pk], "loaded": _loaded(page_a)})
    refused = b.post(URL, {"divisions": [*current, y.pk], "loaded": _loaded(page_b)})

    assert saved.status_code == 302
    assert refused.status_code == 409
    assert CONFLICT in [str(m) for m in refused.context["messages"]]
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.is_priority, y.is_priority) == (True, False)
    # The form again with the latest list: A's division ticked, B's not; its fingerprint is the
    # latest, so B's next save goes through.
    assert x.code in _ticked(refused) and y.code not in _ticked(refused)
    again = b.post(URL, {"divisions": [*current, x.pk, y.pk], "loaded": _loaded(refused)})
    assert again.status_code == 302
    y.refresh_from_db()
    assert y.is_priority


def test_a_save_on_the_latest_list_goes_through(two_staff):
    a, _b = two_staff
    page = a.get(URL)
    current = [d.pk for d in divisions() if d.is_priority]
    x = divisions().filter(is_priority=False).first()

    response = a.post(URL, {"divisions": [*current, x.pk], "loaded": _loaded(page)})

    assert response.status_code == 302
    assert IndustryCode.objects.get(pk=x.pk).is_priority
