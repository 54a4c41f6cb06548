from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import Indicator


@pytest.fixture
def saving(db):
    return Indicator.objects.get(code="SAVING_PCT")


def url(indicator):
    return reverse("reports:indicator_edit", args=[indicator.pk])


def _data(indicator, **overrides):
    data = {
        "code": indicator.code,
        "name_vi": indicator.name_vi,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "method": indicator.method,
        "target_min": "10",
        "target_max": "15",
        "baseline_value": "5",
        "baseline_note": "Năm 2015",
        "order": indicator.order,
    }
    return {**data, **overrides}


def test_it_works(client, staff, saving):
    client.force_login(staff)

    response = client.post(url(saving), _data(saving))

    assert response.status_code == 302
    saving.refresh_from_db()
    assert (saving.target_min, saving.target_max) == (Decimal(10), Decimal(15))
    assert saving.history.first().history_user == staff


def test_it_requires_login(client, saving):
    assert client.get(url(saving)).status_code == 302


def test_it_requires_staff(client, official, saving):
    client.force_login(official)
    assert client.post(url(saving), _data(saving)).status_code == 403


def test_it_rejects_bad_input(client, staff, saving):
    client.force_login(staff)

    response = client.post(url(saving), _data(saving, code="APPLY_PCT"))

    assert response.status_code == 200
    saving.refresh_from_db()
    assert saving.code == "SAVING_PCT"
