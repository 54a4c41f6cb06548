"""The Django admin changes the TOE conversion and grid emission factors as the staff's factor
pages do: values, with the model's plausibility check, but not a factor's key (the carrier every
annual report's TOE reads, the year of a grid factor) and no deletion, one at a time or with
"delete selected" (an annual report page would fail on a carrier without its factor). No
conversion factor is added there (the code knows its carriers); a grid factor is, for a year
the staff page accepts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from assessments.models import ConversionFactor, GridEmissionFactor

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


def _form_data(admin_client, url) -> dict:
    form = admin_client.get(url).context["adminform"].form
    return {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }


def _report_page_works(client, staff, facility) -> bool:
    report = AnnualReportFactory(facility=facility, electricity_kwh=500_000)
    client.force_login(staff)
    return client.get(report.get_absolute_url()).status_code == 200


def test_the_carrier_of_a_factor_is_not_changed(admin_client, client, staff, facility):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("admin:assessments_conversionfactor_change", args=[factor.pk])
    data = _form_data(admin_client, url) | {"carrier": "electricity_kwh"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert ConversionFactor.objects.filter(carrier="electricity").exists()
    assert _report_page_works(client, staff, facility)


def test_a_factor_value_is_still_checked(admin_client):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("admin:assessments_conversionfactor_change", args=[factor.pk])
    data = _form_data(admin_client, url) | {"toe_per_unit": str(factor.toe_per_unit * 1000)}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["toe_per_unit"]


def test_a_factor_is_not_deleted(admin_client, client, staff, facility):
    factor = ConversionFactor.objects.get(carrier="electricity")
    url = reverse("admin:assessments_conversionfactor_delete", args=[factor.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:assessments_conversionfactor_changelist")
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(factor.pk)], "post": "yes"}
    admin_client.post(changelist, data)
    assert ConversionFactor.objects.filter(pk=factor.pk).exists()
    assert _report_page_works(client, staff, facility)


def test_no_conversion_factor_is_added(admin_client):
    data = {
        "carrier": "biomass",
        "name": "Sinh khối",
        "unit": "tấn",
        "toe_per_unit": "0.3",
        "source": "Thử",
    }
    response = admin_client.post(reverse("admin:assessments_conversionfactor_add"), data)
    assert response.status_code == 403
    assert not ConversionFactor.objects.filter(carrier="biomass").exists()


def test_the_year_of_a_grid_factor_is_not_changed(admin_client):
    factor = GridEmissionFactor.objects.order_by("year").first()
    url = reverse("admin:assessments_gridemissionfactor_change", args=[factor.pk])
    data = _form_data(admin_client, url) | {"year": "1999"}

    assert admin_client.post(url, data).status_code == 302

    factor.refresh_from_db()
    assert factor.year != 1999


def test_a_grid_factor_is_not_deleted(admin_client):
    factor = GridEmissionFactor.objects.order_by("year").first()
    url = reverse("admin:assessments_gridemissionfactor_delete", args=[factor.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:assessments_gridemissionfactor_changelist")
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(factor.pk)], "post": "yes"}
    admin_client.post(changelist, data)
    assert GridEmissionFactor.objects.filter(pk=factor.pk).exists()


def test_a_grid_factor_is_added_for_a_year_the_staff_page_accepts(admin_client):
    url = reverse("admin:assessments_gridemissionfactor_add")
    next_year = timezone.localdate().year + 1
    GridEmissionFactor.objects.filter(year__in=(2005, next_year)).delete()
    data = {"t_co2_per_mwh": "0.5", "source": "Bộ Tài nguyên và Môi trường"}

    response = admin_client.post(url, data | {"year": str(next_year)})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"]

    assert admin_client.post(url, data | {"year": "2005"}).status_code == 302
    assert GridEmissionFactor.objects.filter(year=2005).exists()
