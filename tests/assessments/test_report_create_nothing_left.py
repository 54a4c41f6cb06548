"""assessments:report_create once a facility has a report for every year it may file: no form
that can never be saved, and no "Lập báo cáo năm" button leading to one (report list, facility
page); staff entering on behalf of the facility follow the same rule."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AnnualReport
from assessments.report_forms import facility_report_years

from ..factories import AnnualReportFactory, FacilityFactory
from .report_helpers import report_data

LIST = reverse("assessments:report_list")
NOTHING_LEFT = "Không còn năm nào để lập báo cáo"


def _create(facility):
    return reverse("assessments:report_create", args=[facility.pk])


def _file_all_but(facility, left=()) -> list[int]:
    years = facility_report_years(facility)
    for year in years:
        if year not in left:
            AnnualReportFactory(facility=facility, year=year)
    return years


@pytest.fixture
def all_filed(facility):
    _file_all_but(facility)
    return facility


@pytest.mark.parametrize("user", ["facility_user", "staff"])
def test_create_page_has_no_form_and_says_so(client, request, all_filed, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(_create(all_filed), follow=True)
    assert response.redirect_chain[-1][0] == all_filed.get_absolute_url()
    assert 'name="year"' not in response.text
    assert "đã có báo cáo cho mọi năm có thể lập" in response.text
    assert all_filed.name in response.text
    reports = all_filed.annual_reports.all()
    assert all(report.get_absolute_url() in response.text for report in reports)


@pytest.mark.parametrize("user", ["facility_user", "staff"])
def test_a_post_is_refused_without_saving(client, request, all_filed, user):
    before = AnnualReport.objects.count()
    client.force_login(request.getfixturevalue(user))
    response = client.post(_create(all_filed), report_data(year=2018))
    assert response.status_code == 302
    assert response.url == all_filed.get_absolute_url()
    assert AnnualReport.objects.count() == before


def test_a_facility_that_never_operated_in_a_plan_year(client, staff, db):
    facility = FacilityFactory(established_year=2010, status="closed", closed_year=2012)
    client.force_login(staff)
    response = client.get(_create(facility), follow=True)
    assert 'name="year"' not in response.text
    assert "không có năm nào có thể lập báo cáo" in response.text


def test_facility_page_offers_no_button(client, facility_user, all_filed):
    client.force_login(facility_user)
    response = client.get(all_filed.get_absolute_url())
    assert _create(all_filed) not in response.text
    assert NOTHING_LEFT in response.text


def test_report_list_offers_no_button(client, facility_user, all_filed, other_facility):
    facility_user.facilities.add(other_facility)
    client.force_login(facility_user)
    response = client.get(LIST)
    assert _create(all_filed) not in response.text
    assert NOTHING_LEFT in response.text
    assert _create(other_facility) in response.text  # the other one may still file


def test_report_list_reads_the_years_in_a_fixed_number_of_queries(
    client, facility_user, all_filed, django_assert_max_num_queries
):
    client.force_login(facility_user)
    client.get(LIST)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(5):
        facility_user.facilities.add(FacilityFactory())
    with django_assert_max_num_queries(len(one)):
        response = client.get(LIST)
    assert response.text.count("Lập báo cáo năm") == 5


def test_one_year_left_is_chosen_and_offered(client, facility_user, facility):
    years = _file_all_but(facility, left=(2017,))
    assert len(years) > 2
    client.force_login(facility_user)
    page = client.get(_create(facility)).text
    select = re.search(r'<select name="year".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="2017" selected>2017</option>', select)
    assert _create(facility) in client.get(facility.get_absolute_url()).text
    assert _create(facility) in client.get(LIST).text


def test_staff_enter_the_last_year_for_the_facility(client, staff, facility):
    _file_all_but(facility, left=(2017,))
    client.force_login(staff)
    response = client.post(_create(facility), report_data(year=2017))
    assert response.status_code == 302
    assert facility.annual_reports.filter(year=2017).exists()
    follow = client.get(_create(facility), follow=True)
    assert 'name="year"' not in follow.text
