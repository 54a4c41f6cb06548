from django.urls import reverse

from reports.models import Indicator

URL = reverse("reports:plan")


def test_it_works(client, staff):
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2016–2020" in page and "AWARE_PCT" in page and "8–13" in page
    assert reverse("reports:period_create") in page


def test_it_requires_login(client, db):
    assert client.get(URL).status_code == 302


def test_it_requires_staff(client, official):
    client.force_login(official)
    assert client.get(URL).status_code == 403


def test_baseline_value_is_written_the_vietnamese_way(client, staff):
    indicator = Indicator.objects.filter(code="AWARE_PCT").get()
    indicator.baseline_value = "12345.5"
    indicator.save()
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "12.345,5" in page
    assert "12345,50" not in page
