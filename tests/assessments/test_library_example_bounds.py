"""A curated library example's annual saving is never below 0 (LibraryExample.annual_saving_vnd):
a stray minus sign on the staff form is refused on the field, nothing stored."""

import pytest
from django.urls import reverse

from assessments.models import LibraryExample
from facilities.models import IndustryCode

pytestmark = pytest.mark.django_db

URL = reverse("assessments:library_example_create")


@pytest.fixture
def brick(db):
    return IndustryCode.objects.get_or_create(
        version="VSIC2018",
        code="23",
        defaults={"name": "Sản xuất sản phẩm từ khoáng phi kim loại khác", "level": 2},
    )[0]


def _data(**overrides):
    data = {
        "division": "23",
        "category": "4",
        "description": "Chuyển lò thủ công sang lò tuynel",
        "investment_vnd": "1.500.000.000",
        "annual_saving_vnd": "500.000.000",
        "payback_years": "",
        "toe": "",
        "tco2": "",
        "source": "Sổ tay SXSH ngành gạch – VNCPC",
    }
    return {**data, **overrides}


def test_a_negative_annual_saving_is_refused(client, staff, brick):
    client.force_login(staff)

    response = client.post(URL, _data(annual_saving_vnd="-500.000.000"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["annual_saving_vnd"]
    assert not LibraryExample.objects.exists()


def test_a_zero_annual_saving_is_accepted(client, staff, brick):
    client.force_login(staff)

    response = client.post(URL, _data(annual_saving_vnd="0"))

    assert response.status_code == 302
    assert LibraryExample.objects.get().annual_saving_vnd == 0
