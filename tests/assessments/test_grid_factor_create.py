"""assessments:grid_factor_create — staff add the grid emission factor of a year that has none
(the seeded table stops at 2023); until then that year's annual reports have no CO₂ figure, and
the factor page and the report page say why."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import GridEmissionFactor

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:grid_factor_create")
LIST = reverse("assessments:factor_list")


def _report_page(client, report) -> str:
    return client.get(reverse("assessments:report_detail", args=[report.pk])).text


def test_it_works(client, staff, facility):
    year = max(GridEmissionFactor.objects.values_list("year", flat=True)) + 1
    report = AnnualReportFactory(facility=facility, year=year, coal_t=None)
    client.force_login(staff)
    page = _report_page(client, report)
    assert 'id="figure-co2">—<' in page
    assert f"Chưa có hệ số phát thải lưới điện năm {year}." in page

    response = client.post(URL, {"year": year, "t_co2_per_mwh": "0,6592", "source": "Bộ NN&MT"})

    assert response.status_code == 302
    factor = GridEmissionFactor.objects.get(year=year)
    assert (factor.t_co2_per_mwh, factor.source) == (Decimal("0.6592"), "Bộ NN&MT")
    assert factor.history.count() == 1
    page = _report_page(client, report)
    # 500 000 kWh = 500 MWh × 0.6592 = 329.6 tCO₂
    assert 'id="figure-co2">329,6<' in page
    assert "Chưa có hệ số phát thải lưới điện" not in page


def test_the_factor_page_names_the_plan_years_without_a_factor(client, staff):
    client.force_login(staff)
    page = client.get(LIST).text
    assert URL in page
    this_year = timezone.localdate().year
    known = set(GridEmissionFactor.objects.values_list("year", flat=True))
    missing = [y for y in range(2016, min(this_year, 2020) + 1) if y not in known]
    GridEmissionFactor.objects.filter(year=2019).delete()
    page = client.get(LIST).text
    assert "Chưa có hệ số phát thải lưới điện của các năm " in page
    assert ", ".join(str(y) for y in sorted([*missing, 2019])) in page


def test_it_requires_login(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.post(URL, {"year": 2024, "t_co2_per_mwh": "0,6", "source": "x"})
    assert response.status_code == 403
    assert not GridEmissionFactor.objects.filter(year=2024).exists()
    assert URL not in client.get(LIST).text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": 2018, "t_co2_per_mwh": "0,5"}, "year", "Năm này đã có hệ số"),
        ({"year": timezone.localdate().year + 1, "t_co2_per_mwh": "0,5"}, "year", "Năm phải từ"),
        ({"year": 2024, "t_co2_per_mwh": "-0,5"}, "t_co2_per_mwh", "lớn hơn 0"),
        ({"year": 2024, "t_co2_per_mwh": "0"}, "t_co2_per_mwh", "lớn hơn 0"),
    ],
)
def test_it_rejects_bad_input(client, staff, data, field, message):
    client.force_login(staff)
    before = GridEmissionFactor.objects.count()
    response = client.post(URL, {**data, "source": "x"})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert GridEmissionFactor.objects.count() == before
    assert GridEmissionFactor.objects.get(year=2018).t_co2_per_mwh == Decimal("0.9130")
