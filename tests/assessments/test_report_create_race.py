"""assessments:report_create when the same report is sent twice at once (a double click, two
tabs): one request stores it; the other, which lost the race on the (facility, year) constraint,
gets the form back with a Vietnamese message on the year, not a server error, and adds nothing."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import AnnualReport, WorkflowEvent

from .report_helpers import report_data

pytestmark = pytest.mark.usefixtures("transactional_db")

ALREADY_FILED = "Cơ sở đã có báo cáo năm 2019; hãy mở báo cáo đó để sửa."


@pytest.fixture
def in_step(monkeypatch):
    """Both requests pass every check (no report of that year yet) before either stores its
    report: what happens when two requests arrive within the same few milliseconds."""
    barrier = threading.Barrier(2, timeout=10)
    original = AnnualReport.full_clean

    def full_clean_then_wait(report, *args, **kwargs):
        original(report, *args, **kwargs)
        if report.pk is None:
            barrier.wait()

    monkeypatch.setattr(AnnualReport, "full_clean", full_clean_then_wait)


def _post_twice(user, url, data) -> list:
    responses = []

    def post():
        client = Client()
        client.force_login(user)
        try:
            responses.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


def test_the_request_that_loses_the_race_gets_the_form_back(facility_user, facility, in_step):
    url = reverse("assessments:report_create", args=[facility.pk])

    responses = _post_twice(facility_user, url, report_data(output="1.250,5"))

    report = AnnualReport.objects.get()
    assert sorted(r.status_code for r in responses) == [200, 302]
    saved = next(r for r in responses if r.status_code == 302)
    assert saved.url == report.get_absolute_url()
    lost = next(r for r in responses if r.status_code == 200)
    assert ALREADY_FILED in lost.text
    assert lost.context["form"].errors["year"] == [ALREADY_FILED]
    assert lost.context["form"]["output"].value() == "1.250,5"  # what was typed is shown back
    assert WorkflowEvent.objects.filter(report=report).count() == 1  # the winner's save only
    assert report.history.count() == 1


def test_staff_losing_the_race_get_the_same_message(staff, facility, in_step):
    url = reverse("assessments:report_create", args=[facility.pk])
    responses = _post_twice(staff, url, report_data())
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert ALREADY_FILED in next(r for r in responses if r.status_code == 200).text
    assert AnnualReport.objects.get().state == "approved"
