import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import PlanPeriod
from reports.indicators import compute_indicators, period_for
from reports.models import Indicator

from .indicator_helpers import facility, report

URL = reverse("reports:period_create")


def _data(**overrides):
    data = {
        "code": "2021-2030",
        "name": "Chương trình SXSH trong công nghiệp giai đoạn 2021–2030",
        "start_year": 2021,
        "end_year": 2030,
        "basis": "QĐ 889/QĐ-TTg",
    }
    return {**data, **overrides}


def test_it_works(client, staff):
    client.force_login(staff)

    response = client.post(URL, _data())

    assert response.status_code == 302
    period = PlanPeriod.objects.get(code="2021-2030")
    assert list(period.years) == list(range(2021, 2031))
    assert period.indicators.count() == 0


def test_the_next_programme_fits_without_code_changes(client, staff):
    """2021–2030: copy the indicators, edit a target, and the service computes them."""
    client.force_login(staff)
    old = PlanPeriod.objects.get(code="2016-2020")

    client.post(URL, _data(copy_from=old.pk))

    period = PlanPeriod.objects.get(code="2021-2030")
    assert sorted(period.indicators.values_list("code", flat=True)) == sorted(
        old.indicators.values_list("code", flat=True)
    )
    Indicator.objects.filter(period=period, code="AWARE_PCT").update(target_min=95)
    f = facility()
    report(f, 2022, aware=True)
    results = compute_indicators(2022)
    assert period_for(2022) == period
    assert results.get("AWARE_PCT").indicator.target_display == "95"
    assert results.value("AWARE_PCT").actual == 100


def test_it_requires_login(client, db):
    assert client.post(URL, _data()).status_code == 302
    assert not PlanPeriod.objects.filter(code="2021-2030").exists()


def test_it_requires_staff(client, official):
    client.force_login(official)
    assert client.post(URL, _data()).status_code == 403


@pytest.mark.parametrize(
    "overrides",
    [
        {"end_year": 2020},  # before the start
        {"start_year": 2019},  # overlaps 2016–2020
        {"code": "2016-2020"},  # taken
        {"name": ""},
    ],
)
def test_it_rejects_bad_input(client, staff, overrides):
    client.force_login(staff)

    response = client.post(URL, _data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert PlanPeriod.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_year", "1800"), ("start_year", "0"), ("start_year", "-1"), ("end_year", "20300")],
)
def test_years_outside_2000_2100_are_refused_with_one_message(client, staff, field, value):
    client.force_login(staff)
    response = client.post(URL, _data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "Năm của giai đoạn kế hoạch phải từ 2000 đến 2100."
    ]
    assert not PlanPeriod.objects.filter(code="2021-2030").exists()


def test_the_model_holds_the_year_range_too(db):
    period = PlanPeriod(code="X", name="X", start_year=1800, end_year=2030)
    with pytest.raises(ValidationError) as refused:
        period.full_clean()
    assert refused.value.message_dict["start_year"] == [
        "Năm của giai đoạn kế hoạch phải từ 2000 đến 2100."
    ]
