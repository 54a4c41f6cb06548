"""A year out of range gets one message naming the year's true range: the portal's own (the
model's or the form's rule of that year), never Django's "Ensure this value is greater than or
equal to 0" (the database column's bound) instead of it or beside it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, GridEmissionFactor, Option

from ..facilities.edit_helpers import post_edit
from .test_assessment_create import _form as assessment_form
from .test_option_bounds import _form as option_form

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["-1", "0", "1800", "2300", "40000"]


def _errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors[field]


@pytest.mark.parametrize("year", OUT_OF_RANGE)
def test_a_baseline_year_is_refused_once(client, facility_user, year):
    client.force_login(facility_user)
    response = client.post(
        reverse("assessments:assessment_create"), assessment_form(baseline_year=year)
    )
    this_year = timezone.localdate().year
    assert _errors(response, "baseline_year") == [
        f"Năm cơ sở phải từ 1900 đến năm nay ({this_year})."
    ]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("year", ["-1", "0", "1800", "2300", "40000"])
def test_an_implementation_year_is_refused_once(client, facility_user, draft, year):
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[draft.pk])
    response = client.post(url, option_form(implementation_year=year))
    assert _errors(response, "implementation_year") == ["Năm thực hiện phải từ 2000 đến 2100."]
    assert not Option.objects.exists()


@pytest.mark.parametrize("year", ["-1", "1999", "40000"])
def test_a_grid_factor_year_is_refused_once(client, staff, year):
    client.force_login(staff)
    data = {"year": year, "t_co2_per_mwh": "0,6592", "source": "Bộ NN&MT"}
    response = client.post(reverse("assessments:grid_factor_create"), data)
    this_year = timezone.localdate().year
    assert _errors(response, "year") == [f"Năm phải từ 2000 đến {this_year}."]
    assert not GridEmissionFactor.objects.filter(year=int(year)).exists()


@pytest.mark.parametrize("year", ["2300", "40000"])
def test_a_future_established_year_is_refused_once(client, staff, facility, year):
    client.force_login(staff)
    response = post_edit(client, facility, established_year=year)
    assert _errors(response, "established_year") == ["Năm thành lập không được ở tương lai."]


@pytest.mark.parametrize("year", ["-1", "1800"])
def test_an_established_year_before_1900_names_1900(client, staff, facility, year):
    client.force_login(staff)
    response = post_edit(client, facility, established_year=year)
    assert _errors(response, "established_year") == [
        f"Bạn nhập {year} — giá trị phải lớn hơn hoặc bằng 1900."
    ]


def test_the_english_page_has_no_generic_bound(client, facility_user, settings):
    client.force_login(facility_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for year in ("-1", "40000"):
        data = assessment_form(baseline_year=year)
        page = client.post(reverse("assessments:assessment_create"), data).text
        assert "The baseline year must be between 1900 and this year" in page
        assert "Ensure this value" not in page


def test_a_year_in_range_is_kept(client, facility_user):
    client.force_login(facility_user)
    response = client.post(
        reverse("assessments:assessment_create"), assessment_form(baseline_year="2017")
    )
    assert response.status_code == 302
    assert Assessment.objects.get().baseline_year == 2017
