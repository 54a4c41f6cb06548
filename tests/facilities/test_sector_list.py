import pytest
from django.urls import reverse

from facilities.models import IndustryCode
from facilities.reference import PRIORITY_DIVISIONS

pytestmark = pytest.mark.django_db

URL = reverse("facilities:sector_list")


def _flagged():
    divisions = IndustryCode.objects.filter(level=2, is_priority=True)
    return set(divisions.values_list("code", flat=True))


def _ids(*codes):
    return list(IndustryCode.objects.filter(level=2, code__in=codes).values_list("pk", flat=True))


def test_it_works(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["divisions"]) == 88
    assert response.text.count('type="checkbox" name="divisions"') == 88
    assert response.text.count(" checked>") == len(PRIORITY_DIVISIONS)
    assert "Ngành C – Công nghiệp chế biến, chế tạo" in response.text
    assert f"{len(PRIORITY_DIVISIONS)} / 88 ngành cấp 2" in response.text


def test_it_saves_flags(client, staff):
    wanted = (PRIORITY_DIVISIONS - {"13"}) | {"14", "31"}  # drop textiles, add apparel, furniture
    client.force_login(staff)
    response = client.post(URL, {"divisions": _ids(*wanted)})
    assert response.status_code == 302
    assert _flagged() == wanted
    assert "Đã lưu danh sách ngành ưu tiên (3 ngành thay đổi)." in client.get(response.url).text
    textiles = IndustryCode.objects.get(level=2, code="13")
    record = textiles.history.latest("history_id")
    assert (record.is_priority, record.history_user, record.history_type) == (False, staff, "~")


def test_it_can_clear_every_flag(client, staff):
    client.force_login(staff)
    client.post(URL, {})
    assert _flagged() == set()


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_requires_staff(client, facility_user):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"divisions": _ids("14")}).status_code == 403
    assert _flagged() == PRIORITY_DIVISIONS


def test_officials_read_only(client, official):
    client.force_login(official)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Sản xuất trang phục" in response.text
    assert '<form method="post" id="sector-form"' not in response.text
    assert 'type="checkbox"' not in response.text
    assert client.post(URL, {"divisions": _ids("14")}).status_code == 403
    assert _flagged() == PRIORITY_DIVISIONS


def test_it_rejects_bad_input(client, staff):
    section = IndustryCode.objects.get(level=1, code="C")
    client.force_login(staff)
    response = client.post(URL, {"divisions": [*_ids("14"), section.pk]})
    assert response.status_code == 200
    assert "không phải ngành VSIC cấp 2" in response.text
    response = client.post(URL, {"divisions": ["abc"]})
    assert response.status_code == 200
    assert _flagged() == PRIORITY_DIVISIONS


def test_nav_links(client, staff, official, facility_user):
    for user in (staff, official):
        client.force_login(user)
        text = client.get(reverse("home")).text
        assert reverse("facilities:area_list") in text
        assert URL in text
    client.force_login(facility_user)
    assert reverse("facilities:area_list") not in client.get(reverse("home")).text
