import pytest
from django.urls import reverse

from assessments.models import PlanPeriod
from reports.indicators import compute_indicators
from reports.models import Indicator


@pytest.fixture
def period(db):
    return PlanPeriod.objects.get(code="2016-2020")


def url(period):
    return reverse("reports:indicator_create", args=[period.pk])


def _data(**overrides):
    data = {
        "code": "informed_pct",
        "name_vi": "Tỷ lệ cơ sở được phổ biến thông tin về SXSH",
        "name_en": "Facilities informed about cleaner production",
        "unit": "%",
        "method": "manual",
        "target_min": "90",
        "target_max": "100",
        "baseline_value": "",
        "baseline_note": "",
        "order": 6,
    }
    return {**data, **overrides}


def test_it_works(client, staff, period):
    client.force_login(staff)

    response = client.post(url(period), _data())

    assert response.status_code == 302
    indicator = Indicator.objects.get(period=period, code="INFORMED_PCT")
    assert indicator.target_display == "90-100"
    assert compute_indicators(2018).get("INFORMED_PCT").status == "no_data"


def test_it_requires_login(client, period):
    assert client.post(url(period), _data()).status_code == 302


def test_it_requires_staff(client, official, period):
    client.force_login(official)
    assert client.post(url(period), _data()).status_code == 403


@pytest.mark.parametrize(
    "overrides",
    [
        {"code": "AWARE_PCT"},  # taken in this period
        {"target_min": "13", "target_max": "8"},
        {"target_min": "", "target_max": "8"},
        {"method": "computed"},  # no rule to compute INFORMED_PCT
        {"name_vi": ""},
    ],
)
def test_it_rejects_bad_input(client, staff, period, overrides):
    client.force_login(staff)

    response = client.post(url(period), _data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert period.indicators.count() == 5
