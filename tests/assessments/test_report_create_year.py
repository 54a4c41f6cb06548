"""Staff entering a report on a facility's behalf from the missing-reports page of a year start
the form on that year (not on last year's), when the facility may still file it."""

import re

import pytest
from django.urls import reverse

from ..factories import AnnualReportFactory, FacilityFactory

pytestmark = pytest.mark.django_db

MISSING = reverse("assessments:missing_reports")


def _selected_year(page: str) -> str:
    select = page[page.index('name="year"') :]
    select = select[: select.index("</select>")]
    return re.search(r'<option value="(\d+)"[^>]*selected', select).group(1)


def test_enter_on_behalf_starts_on_the_pages_year(client, staff):
    facility = FacilityFactory(established_year=2010, name="Công ty Chưa Báo Cáo")
    client.force_login(staff)
    page = client.get(MISSING, {"year": 2017}).text
    link = reverse("assessments:report_create", args=[facility.pk]) + "?year=2017"
    assert f'href="{link}"' in page
    assert _selected_year(client.get(link).text) == "2017"


@pytest.mark.parametrize("asked", ["2016", "1999", "abc", ""])
def test_a_year_it_may_not_file_is_not_started_on(client, staff, asked):
    facility = FacilityFactory(established_year=2010)
    AnnualReportFactory(facility=facility, year=2016)  # filed
    client.force_login(staff)
    url = reverse("assessments:report_create", args=[facility.pk])
    plain = _selected_year(client.get(url).text)
    assert _selected_year(client.get(url, {"year": asked}).text) == plain != "2016"
