from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import ConversionFactor
from assessments.option_metrics import load_factors, toe_saved

from ..factories import OptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def electricity():
    return ConversionFactor.objects.get(carrier="electricity")


def _url(factor):
    return reverse("assessments:factor_edit", args=[factor.pk])


def _form(factor, **changes):
    data = {
        "name": factor.name,
        "unit": factor.unit,
        "toe_per_unit": str(factor.toe_per_unit).replace(".", ","),
        "co2_t_per_unit": "",
        "source": factor.source,
        "reason": "",
    }
    data.update(changes)
    return data


def test_it_works(client, staff, electricity):
    client.force_login(staff)
    assert client.get(_url(electricity)).status_code == 200
    response = client.post(
        _url(electricity),
        _form(electricity, toe_per_unit="0,000154", source="QĐ mới", reason="Cập nhật 2024"),
    )
    assert response.status_code == 302
    electricity.refresh_from_db()
    assert (electricity.toe_per_unit, electricity.source) == (Decimal("0.000154"), "QĐ mới")
    record = electricity.history.latest()
    assert (record.history_user, record.history_change_reason) == (staff, "Cập nhật 2024")
    page = client.get(_url(electricity))
    assert "Cập nhật 2024" in page.text  # the history is shown
    assert electricity.history.count() == 2  # the seeded value is kept


def test_it_changes_the_computed_toe(client, staff, electricity, draft):
    option = OptionFactory(assessment=draft, electricity_saving_kwh=Decimal(100_000))
    # 100,000 kWh × 0.0001543 = 15.43 TOE
    assert toe_saved(option, load_factors()) == Decimal("15.43")
    client.force_login(staff)
    client.post(_url(electricity), _form(electricity, toe_per_unit="0,0002"))
    # 100,000 kWh × 0.0002 = 20 TOE
    assert toe_saved(option, load_factors()) == Decimal("20")
    assert "20,00" in client.get(draft.get_absolute_url()).text


def test_it_requires_login(client, electricity):
    assert client.post(_url(electricity), _form(electricity, source="X")).status_code == 302


@pytest.mark.parametrize("user", ["facility_user", "official"])
def test_it_requires_staff(client, request, electricity, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(_url(electricity)).status_code == 403
    assert client.post(_url(electricity), _form(electricity, source="X")).status_code == 403
    electricity.refresh_from_db()
    assert electricity.source != "X"


def test_it_rejects_bad_input(client, staff, electricity):
    client.force_login(staff)
    response = client.post(_url(electricity), _form(electricity, toe_per_unit="abc", source=""))
    assert set(response.context["form"].errors) == {"toe_per_unit", "source"}
    electricity.refresh_from_db()
    assert electricity.toe_per_unit == Decimal("0.0001543")


def test_carrier_is_not_editable(client, staff, electricity):
    client.force_login(staff)
    client.post(_url(electricity), _form(electricity, carrier="hacked"))
    electricity.refresh_from_db()
    assert electricity.carrier == "electricity"


def test_the_unit_is_written_as_units_are(client, staff, electricity):
    client.force_login(staff)

    page = client.get(_url(electricity)).text

    assert "tCO₂/đơn vị (nhiên liệu)" in page
    assert "TCO₂" not in page


def test_the_history_shows_a_change_in_the_seventh_decimal(client, staff, electricity):
    client.force_login(staff)
    client.post(_url(electricity), _form(electricity, toe_per_unit="0,0001544", reason="Sửa"))
    page = client.get(_url(electricity)).text
    assert "0,0001543 → 0,0001544" in page
