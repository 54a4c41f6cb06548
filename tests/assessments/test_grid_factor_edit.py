from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import GridEmissionFactor
from assessments.option_metrics import load_factors, tco2_avoided

from ..factories import OptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid_2018():
    return GridEmissionFactor.objects.get(year=2018)


def _url(factor):
    return reverse("assessments:grid_factor_edit", args=[factor.pk])


def test_it_works(client, staff, grid_2018):
    client.force_login(staff)
    assert "2018" in client.get(_url(grid_2018)).text
    response = client.post(
        _url(grid_2018), {"t_co2_per_mwh": "0,9000", "source": "Bộ TN&MT 2019", "reason": ""}
    )
    assert response.status_code == 302
    grid_2018.refresh_from_db()
    assert grid_2018.t_co2_per_mwh == Decimal("0.9")
    assert grid_2018.history.count() == 2


def test_it_changes_the_computed_tco2(client, staff, grid_2018):
    option = OptionFactory(electricity_saving_kwh=Decimal(100_000), implementation_year=2018)
    # 100 MWh × 0.9130 = 91.3 tCO₂
    assert tco2_avoided(option, load_factors()) == Decimal("91.3")
    client.force_login(staff)
    client.post(_url(grid_2018), {"t_co2_per_mwh": "0,5", "source": "x"})
    # 100 MWh × 0.5 = 50 tCO₂
    assert tco2_avoided(option, load_factors()) == Decimal("50")


def test_it_requires_login(client, grid_2018):
    assert client.get(_url(grid_2018)).status_code == 302


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, grid_2018, user):
    client.force_login(request.getfixturevalue(user))
    assert client.post(_url(grid_2018), {"t_co2_per_mwh": "0,1", "source": "x"}).status_code == 403
    grid_2018.refresh_from_db()
    assert grid_2018.t_co2_per_mwh == Decimal("0.9130")


def test_it_rejects_bad_input(client, staff, grid_2018):
    client.force_login(staff)
    response = client.post(_url(grid_2018), {"t_co2_per_mwh": "12345,67891", "source": "x"})
    assert "t_co2_per_mwh" in response.context["form"].errors
    grid_2018.refresh_from_db()
    assert grid_2018.t_co2_per_mwh == Decimal("0.9130")


def test_the_unit_is_written_as_units_are(client, staff, grid_2018):
    client.force_login(staff)

    page = client.get(_url(grid_2018)).text

    assert "tCO₂/MWh" in page
    assert "TCO₂" not in page


def test_the_history_shows_every_decimal_and_the_unit_as_written(client, staff, grid_2018):
    # A factor's change in its fourth decimal is a change: "0,913 → 0,9134", not "0,913 → 0,913";
    # and the label "tCO₂/MWh" keeps its small t.
    client.force_login(staff)
    client.post(_url(grid_2018), {"t_co2_per_mwh": "0,9134", "source": "x", "reason": "Sửa"})
    page = client.get(_url(grid_2018)).text
    assert "tCO₂/MWh: 0,913 → 0,9134" in page
    assert "TCO₂" not in page
