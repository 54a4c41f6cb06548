import re

import pytest
from django.urls import reverse

from reports.models import Indicator, IndicatorValue


@pytest.fixture
def doit(db):
    return Indicator.objects.get(code="DOIT_STAFF")


def url(indicator):
    return reverse("reports:indicator_values", args=[indicator.pk])


def test_it_works(client, staff, doit):
    client.force_login(staff)

    response = client.post(url(doit), {"year": 2018, "value": "3", "note": "Tập huấn VNCPC"})

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=doit, year=2018)
    assert (value.value, value.note, value.author) == (3, "Tập huấn VNCPC", staff)


def test_a_correction_keeps_the_history(client, staff, doit):
    client.force_login(staff)
    client.post(url(doit), {"year": 2018, "value": "3", "note": "Lần 1"})
    client.post(url(doit), {"year": 2018, "value": "4", "note": "Bổ sung"})

    assert IndicatorValue.objects.get(indicator=doit, year=2018).value == 4
    page = client.get(url(doit)).content.decode()
    assert "Lần 1" in page and "Bổ sung" in page
    assert IndicatorValue.history.filter(indicator_id=doit.pk).count() == 2


def test_it_requires_login(client, doit):
    assert client.get(url(doit)).status_code == 302


def test_it_requires_staff(client, official, doit):
    client.force_login(official)
    assert client.post(url(doit), {"year": 2018, "value": "3"}).status_code == 403


def test_computed_indicators_have_no_manual_values(client, staff):
    client.force_login(staff)
    aware = Indicator.objects.get(code="AWARE_PCT")
    assert client.get(url(aware)).status_code == 404


@pytest.mark.parametrize("data", [{"year": 2021, "value": "3"}, {"year": 2018, "value": "x"}])
def test_it_rejects_bad_input(client, staff, doit, data):
    client.force_login(staff)

    response = client.post(url(doit), data)

    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_it_names_the_indicator_not_its_code(client, staff, doit):
    client.force_login(staff)

    page = client.get(url(doit)).content.decode()

    visible = re.sub(r"<[^>]*>", " ", page)
    assert doit.name in visible
    assert "DOIT_STAFF" not in visible
