"""The option library's payback (LibraryExample.payback_years, a number of years, not a year)
is typed the Vietnamese way like every other number of the form (core.forms._is_year)."""

from decimal import Decimal

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


def test_the_payback_field_is_a_vietnamese_number_input(client, staff, brick):
    client.force_login(staff)

    response = client.get(URL)

    field = response.context["form"]["payback_years"]
    html = str(field)
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'type="number"' not in html and "step=" not in html
    assert field.aria_describedby.endswith("number-notation")


def test_a_comma_payback_is_read(client, staff, brick):
    client.force_login(staff)

    response = client.post(URL, _data(payback_years="1,5"))

    assert response.status_code == 302
    assert LibraryExample.objects.get().payback_years == Decimal("1.5")


def test_a_dotted_payback_is_read_as_the_form_reads_numbers(client, staff, brick):
    # The dot groups thousands on every Vietnamese number input; a browser's number input read
    # "2.500" as 2,5.
    client.force_login(staff)

    response = client.post(URL, _data(payback_years="2.500"))

    assert response.status_code == 302
    assert LibraryExample.objects.get().payback_years == 2500


def test_a_stored_payback_is_shown_the_vietnamese_way(client, staff, brick):
    example = LibraryExample.objects.create(
        division="23",
        category=4,
        description="Thu hồi nhiệt khói lò",
        payback_years=Decimal("1.50"),
        source="VNCPC",
    )
    client.force_login(staff)

    response = client.get(reverse("assessments:library_example_edit", args=[example.pk]))

    assert 'value="1,5"' in str(response.context["form"]["payback_years"])
