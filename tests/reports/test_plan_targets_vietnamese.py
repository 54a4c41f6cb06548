"""The plan pages write targets the Vietnamese way, as the dashboard and the documents do
("6,8–13", "1.234,56"); the plain "6.8-13" of Indicator.target_display is for XLSX and the API."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import Indicator


@pytest.fixture
def targets(db):
    saving = Indicator.objects.get(code="SAVING_PCT", period__code="2016-2020")
    saving.target_min, saving.target_max = Decimal("6.8"), Decimal("13")
    saving.save()
    doit = Indicator.objects.get(code="DOIT_STAFF", period__code="2016-2020")
    doit.target_min, doit.target_max = Decimal("1234.56"), None
    doit.save()
    return saving, doit


@pytest.mark.parametrize("language", ["vi", "en"])
def test_plan_page_writes_targets_the_vietnamese_way(client, staff, targets, language):
    client.force_login(staff)
    client.cookies["django_language"] = language
    with translation.override(language):
        page = client.get(reverse("reports:plan")).content.decode()

    assert "<td>6,8–13</td>" in page
    assert "<td>1.234,56</td>" in page
    assert "6.8-13" not in page and "1234.56" not in page


def test_indicator_values_page_writes_the_target_the_vietnamese_way(client, staff, targets):
    client.force_login(staff)
    _saving, doit = targets

    page = client.get(reverse("reports:indicator_values", args=[doit.pk])).content.decode()

    assert ": 1.234,56" in page and "1234.56" not in page


def test_an_unset_target_is_a_dash(client, staff, targets):
    client.force_login(staff)
    _saving, doit = targets
    doit.target_min = None
    doit.save()

    page = client.get(reverse("reports:indicator_values", args=[doit.pk])).content.decode()

    assert ": —" in page
