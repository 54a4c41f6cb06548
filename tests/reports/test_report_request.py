from unittest import mock

import pytest
from django.urls import reverse

from reports.models import Report
from reports.tasks import generate_report_task

URL = reverse("reports:request")


@pytest.fixture
def enqueued():
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def post(client, **data):
    return client.post(URL, {"kind": "annual_progress", "year": "2018", "format": "pdf", **data})


def test_it_works(client, official, enqueued, django_capture_on_commit_callbacks):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, format="docx")
    assert response.status_code == 302
    assert response.url == reverse("reports:list")
    report = Report.objects.get()
    assert (report.year, report.format, report.state) == (2018, "docx", Report.State.QUEUED)
    assert report.requested_by == official
    enqueued.assert_called_once_with(args=[report.pk], task_id=report.task_id)


def test_form_offers_plan_years(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2018"' in body and 'value="2016"' in body
    assert 'value="xlsx"' in body


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_refuses_facility_users(client, facility_user, enqueued):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"year": "1999"}, {"year": "x"}, {"format": "exe"}, {"kind": "other"}],
)
def test_it_rejects_bad_input(client, staff, enqueued, data):
    client.force_login(staff)
    response = post(client, **data)
    assert response.status_code == 200
    assert not Report.objects.exists()
    enqueued.assert_not_called()
