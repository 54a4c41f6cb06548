"""The plan's year boundaries, on both sides: a period sharing only its first or last year with
another is an overlap (PlanPeriod.overlapping); a manual value is of a year of its indicator's
period, the first and last included (IndicatorValue.year_problem), and of a year that has come,
this year included and next year not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import PlanPeriod
from reports.models import Indicator, IndicatorValue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OVERLAP = "Giai đoạn bị trùng năm với giai đoạn"
PERIOD_CREATE = reverse("reports:period_create")


def _period_data(**overrides):
    data = {
        "code": "BIEN",
        "name": "Kế hoạch thử ranh giới",
        "start_year": 2021,
        "end_year": 2030,
        "basis": "QĐ thử",
    }
    return {**data, **overrides}


def _doit() -> Indicator:
    return Indicator.objects.get(period__code="2016-2020", code="DOIT_STAFF")


# --- plan periods: the seeded 2016–2020's first and last years -----------------------------


@pytest.mark.parametrize(("start", "end"), [(2010, 2016), (2016, 2016), (2020, 2024)])
def test_a_period_sharing_one_edge_year_is_refused(client, staff, start, end):
    client.force_login(staff)

    response = client.post(PERIOD_CREATE, _period_data(start_year=start, end_year=end))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["start_year"]
    assert errors["start_year"][0].startswith(OVERLAP)
    assert "2016–2020" in errors["start_year"][0]
    assert not PlanPeriod.objects.filter(code="BIEN").exists()


def test_a_period_ending_the_year_before_is_accepted(client, staff):
    client.force_login(staff)

    response = client.post(PERIOD_CREATE, _period_data(start_year=2010, end_year=2015))

    assert response.status_code == 302
    assert PlanPeriod.objects.filter(code="BIEN", start_year=2010, end_year=2015).exists()


# --- manual values: the period's first and last years ---------------------------------------


@pytest.mark.parametrize(("year", "code"), [(2015, "outside_period"), (2016, None)])
def test_the_first_year_of_the_period_is_its_own(year, code):
    problem = IndicatorValue(indicator=_doit(), year=year, value=1).year_problem()
    assert (problem.code if problem else None) == code


@pytest.mark.parametrize(("year", "code"), [(2020, None), (2021, "outside_period")])
def test_the_last_year_of_the_period_is_its_own(year, code):
    problem = IndicatorValue(indicator=_doit(), year=year, value=1).year_problem()
    assert (problem.code if problem else None) == code


@pytest.fixture
def admin_client(client, db):
    superuser = UserFactory(
        username="quantri_bien", role=Role.STAFF, is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    client.superuser = superuser
    return client


def _admin_add_value(client, indicator, year):
    url = reverse("admin:reports_indicatorvalue_add")
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items() if v is not False}
    data.update(indicator=indicator.pk, year=year, value="5", author=client.superuser.pk)
    return client.post(url, data)


@pytest.mark.parametrize("year", [2015, 2021])
def test_admin_refuses_the_year_just_outside_the_period(admin_client, year):
    indicator = _doit()
    indicator.values.all().delete()

    response = _admin_add_value(admin_client, indicator, year)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "year": [f"Năm {year} không thuộc giai đoạn 2016–2020 của chỉ tiêu DOIT_STAFF."]
    }
    assert not indicator.values.exists()


@pytest.mark.parametrize("year", [2016, 2020])
def test_admin_adds_a_value_of_the_first_or_last_year(admin_client, year):
    indicator = _doit()
    indicator.values.all().delete()

    response = _admin_add_value(admin_client, indicator, year)

    assert response.status_code == 302
    assert list(indicator.values.values_list("year", flat=True)) == [year]


# --- manual values: this year has come, next year has not ----------------------------------


@pytest.fixture
def current_indicator(db):
    this_year = timezone.localdate().year
    period = PlanPeriod.objects.create(
        code="NAY", name="Kế hoạch hiện tại", start_year=this_year - 1, end_year=this_year + 3
    )
    return period.indicators.create(
        code="SUPPORTED", name_vi="Số cơ sở được hỗ trợ", unit="cơ sở", method="manual"
    )


def test_next_year_is_still_to_come(current_indicator):
    next_year = timezone.localdate().year + 1
    problem = IndicatorValue(indicator=current_indicator, year=next_year, value=1).year_problem()
    assert problem is not None and problem.code == "future_year"


def test_the_values_page_refuses_next_year_and_records_this_year(client, staff, current_indicator):
    this_year = timezone.localdate().year
    url = reverse("reports:indicator_values", args=[current_indicator.pk])
    client.force_login(staff)

    refused = client.post(url, {"year": this_year + 1, "value": "3"})

    assert refused.status_code == 400
    assert f"Năm {this_year + 1} chưa đến, chưa thể ghi giá trị của năm này." in refused.text
    assert not IndicatorValue.objects.filter(indicator=current_indicator).exists()

    recorded = client.post(url, {"year": this_year, "value": "3"}, follow=True)

    assert f"Đã ghi giá trị năm {this_year}." in recorded.text
    assert list(current_indicator.values.values_list("year", flat=True)) == [this_year]
