"""A facility can file any year it operated up to now, and the form starts on the year it has
to report: last calendar year when not yet filed, else the most recent year still missing."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanPeriod

from ..factories import AnnualReportFactory

THIS_YEAR = timezone.localdate().year
REPORTING_YEAR = THIS_YEAR - 1


@pytest.fixture
def current_period(db):
    return PlanPeriod.objects.create(
        code="2021-2030", name="Giai đoạn 2021–2030", start_year=2021, end_year=2030
    )


def form(client, user, facility):
    client.force_login(user)
    page = client.get(reverse("assessments:report_create", args=[facility.pk])).content.decode()
    select = re.search(r'<select name="year".*?</select>', page, re.S).group(0)
    years = [int(y) for y in re.findall(r'<option value="(\d+)"', select)]
    chosen = re.search(r'<option value="(\d+)" selected', select)
    return years, int(chosen.group(1)) if chosen else None


def test_the_reporting_year_is_offered_and_chosen(client, facility_user, facility, current_period):
    years, chosen = form(client, facility_user, facility)

    assert chosen == REPORTING_YEAR
    assert years[0] == THIS_YEAR and THIS_YEAR + 1 not in years  # never a future year
    assert 2016 in years and 2030 not in years


def test_once_filed_the_most_recent_missing_year(client, facility_user, facility, current_period):
    AnnualReportFactory(facility=facility, year=REPORTING_YEAR)
    AnnualReportFactory(facility=facility, year=THIS_YEAR)

    years, chosen = form(client, facility_user, facility)

    assert chosen == REPORTING_YEAR - 1
    assert REPORTING_YEAR in years  # still listed; choosing it says it is filed


def test_only_years_the_facility_operated(client, staff, facility, current_period):
    facility.established_year = 2019
    facility.status, facility.closed_year = "closed", 2022
    facility.save()

    years, chosen = form(client, staff, facility)

    assert years == [2022, 2021, 2020, 2019]
    assert chosen == 2022


def test_a_year_already_filed_is_marked_in_the_list(client, facility_user, facility):
    AnnualReportFactory(facility=facility, year=2018)
    client.force_login(facility_user)
    page = client.get(reverse("assessments:report_create", args=[facility.pk])).text
    select = re.search(r'<select name="year".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="2018">2018 \(đã có báo cáo\)</option>', select)
    assert re.search(r'<option value="2019">2019</option>', select)
