"""What a facility user reads after typing a number the forms refuse: the hint offers only
readings the forms accept, and the limits are told the Vietnamese way with the typed value shown
back (core/number_input.py, core/forms.py)."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReport, Option

from .assessments.report_helpers import report_data
from .factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _post_report(client, facility_user, facility, **typed):
    client.force_login(facility_user)
    url = reverse("assessments:report_create", args=[facility.pk])
    response = client.post(url, report_data(**typed))
    assert response.status_code == 200
    assert not AnnualReport.objects.exists()
    return response


def _post_option(client, facility_user, facility, **typed):
    assessment = AssessmentFactory(facility=facility, state="draft")
    data = {
        "category": "3",
        "description": "Lắp biến tần cho quạt hút lò hơi",
        "screening": "implement",
        "status": "done",
        "implementation_year": "2018",
        "investment_vnd": "150000000",
        "annual_saving_vnd": "90000000",
        "electricity_saving_kwh": "120000",
        **typed,
    }
    client.force_login(facility_user)
    response = client.post(reverse("assessments:option_create", args=[assessment.pk]), data)
    assert response.status_code == 200
    assert not Option.objects.exists()
    return response


@pytest.mark.parametrize(
    ("typed", "hint", "refused_reading"),
    [
        ("1234.5", "Bạn nhập 1234.5 — ý là 1234,5?", "1234.500"),
        ("12345.67", "Bạn nhập 12345.67 — ý là 12345,67?", "12345.670"),
        ("058.3", "Bạn nhập 058.3 — ý là 058,3?", "058.300"),
    ],
)
def test_the_report_hint_offers_no_grouping_the_form_refuses(
    client, facility_user, facility, typed, hint, refused_reading
):
    response = _post_report(client, facility_user, facility, output=typed)
    assert hint in response.text
    assert refused_reading not in response.text
    assert f'name="output" value="{typed}"' in response.text


def test_a_grouping_the_form_accepts_is_still_offered(client, facility_user, facility):
    response = _post_report(client, facility_user, facility, output="123.5")
    assert "Bạn nhập 123.5 — ý là 123,5 hay 123.500?" in response.text


def test_the_option_hint_offers_no_grouping_the_form_refuses(client, facility_user, facility):
    # Whole đồng: neither 1234,5 nor the grouping 1234.500 is a reading the field takes.
    response = _post_option(client, facility_user, facility, investment_vnd="1234.5")
    assert "Bạn nhập 1234.5 — ở đây phải là số nguyên (không có phần thập phân)." in response.text
    assert "1234.500" not in response.text


def test_too_big_a_whole_number_tells_the_limit_the_vietnamese_way(client, facility_user, facility):
    typed = "1.000.000.000.000.000"
    response = _post_report(client, facility_user, facility, employees=typed)
    message = f"Bạn nhập {typed} — giá trị phải nhỏ hơn hoặc bằng 2.147.483.647."
    assert message in response.text
    assert response.context["form"].errors["employees"] == [message]
    assert "2147483647" not in response.text
    assert f'name="employees" value="{typed}"' in response.text


def test_too_many_digits_says_how_many_before_the_comma(client, facility_user, facility):
    typed = "999.999.999.999.999.999.999"
    response = _post_report(client, facility_user, facility, output=typed)
    message = f"Bạn nhập {typed} — số quá lớn: tối đa 15 chữ số phần nguyên."
    assert message in response.text
    assert response.context["form"].errors["output"] == [message]
    assert "18 số" not in response.text
    assert f'name="output" value="{typed}"' in response.text


def test_a_number_longer_than_decimals_default_precision_is_told_not_a_crash(
    client, facility_user, facility
):
    typed = "9" * 40
    response = _post_report(client, facility_user, facility, output=typed, employees=typed)
    errors = response.context["form"].errors
    assert errors["output"] == [f"Bạn nhập {typed} — số quá lớn: tối đa 15 chữ số phần nguyên."]
    assert errors["employees"] == [
        f"Bạn nhập {typed} — giá trị phải nhỏ hơn hoặc bằng 2.147.483.647."
    ]


def test_too_many_decimals_says_how_many_after_the_comma(client, facility_user, facility):
    response = _post_report(client, facility_user, facility, coal_t="1,2345")
    message = "Bạn nhập 1,2345 — tối đa 3 chữ số sau dấu phẩy."
    assert message in response.text
    assert response.context["form"].errors["coal_t"] == [message]
    assert 'name="coal_t" value="1,2345"' in response.text


def test_the_option_form_tells_its_limits_the_vietnamese_way(client, facility_user, facility):
    typed = "99.999.999.999.999.999.999"
    response = _post_option(client, facility_user, facility, investment_vnd=typed)
    message = f"Bạn nhập {typed} — giá trị phải nhỏ hơn hoặc bằng 9.223.372.036.854.775.807."
    assert message in response.text
    assert response.context["form"].errors["investment_vnd"] == [message]
    assert f'name="investment_vnd" value="{typed}"' in response.text
