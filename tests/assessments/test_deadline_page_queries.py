"""The deadlines page reads every year's deadline in one query: its query count does not grow
with the years the programme has run (a stored deadline for each changes nothing)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import ReportingDeadline

URL = reverse("assessments:deadline_list")


def test_the_deadline_page_reads_the_years_deadlines_at_once(
    client, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    client.get(URL)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(URL)
    assert response.status_code == 200
    for year in range(2016, 2021):
        ReportingDeadline.objects.create(year=year, deadline=date(year + 1, 2, 28))
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    rows = {year: deadline for year, deadline, _custom in response.context["rows"]}
    assert rows[2018] == date(2019, 2, 28)
    assert sum(1 for q in few.captured_queries if "reportingdeadline" in q["sql"].lower()) <= 3
