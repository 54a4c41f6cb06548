"""A manual indicator's value is the figure of a year that has come: the values page refuses a
year still to come in words, as the annual report import refuses its years ("Năm 2028 chưa
đến"), and offers only the years that have come."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanPeriod
from reports.models import IndicatorValue

pytestmark = pytest.mark.django_db


def manual_indicator(start: int, end: int):
    period = PlanPeriod.objects.create(
        code=f"{start}-{end}", name=f"Kế hoạch {start}–{end}", start_year=start, end_year=end
    )
    return period.indicators.create(
        code="SUPPORTED", name_vi="Số cơ sở được hỗ trợ", unit="cơ sở", method="manual"
    )


def url(indicator):
    return reverse("reports:indicator_values", args=[indicator.pk])


def year_options(html: str) -> list[int]:
    select = re.search(r'<select name="year".*?</select>', html, re.DOTALL).group()
    return [int(y) for y in re.findall(r'<option value="(\d+)"', select)]


def test_a_year_still_to_come_is_refused_in_words(client, staff):
    this_year = timezone.localdate().year
    indicator = manual_indicator(this_year - 1, this_year + 3)
    client.force_login(staff)

    response = client.post(url(indicator), {"year": this_year + 2, "value": "99"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Năm {this_year + 2} chưa đến, chưa thể ghi giá trị của năm này." in page
    assert "Đã ghi giá trị" not in page
    assert not IndicatorValue.objects.exists()


def test_the_current_year_and_past_ones_are_recorded(client, staff):
    this_year = timezone.localdate().year
    indicator = manual_indicator(this_year - 1, this_year + 3)
    client.force_login(staff)

    for year in (this_year - 1, this_year):
        response = client.post(url(indicator), {"year": year, "value": "3"}, follow=True)
        assert f"Đã ghi giá trị năm {year}." in response.content.decode()

    assert set(IndicatorValue.objects.values_list("year", flat=True)) == {
        this_year - 1,
        this_year,
    }


def test_the_form_offers_only_the_years_that_have_come(client, staff):
    this_year = timezone.localdate().year
    indicator = manual_indicator(this_year - 1, this_year + 3)
    client.force_login(staff)

    assert year_options(client.get(url(indicator)).content.decode()) == [this_year - 1, this_year]


def test_a_period_still_to_come_says_no_value_can_be_recorded_yet(client, staff):
    this_year = timezone.localdate().year
    indicator = manual_indicator(this_year + 1, this_year + 5)
    client.force_login(staff)

    page = client.get(url(indicator)).content.decode()

    assert "Chưa đến năm nào của giai đoạn này: chưa thể ghi giá trị." in page
    assert '<select name="year"' not in page
