import pytest
from django.urls import reverse

from reports.models import Report

from .report_view_helpers import make_report


def url(report):
    return reverse("reports:progress", args=[report.pk])


@pytest.mark.django_db
def test_it_works(client, official):
    report = make_report(state=Report.State.RUNNING, progress=35, attempts=1, by=official)
    client.force_login(official)
    response = client.get(url(report))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "id": report.pk,
        "state": "running",
        "state_label": "Đang tạo",
        "progress": 35,
        "attempts": 1,
        "error": "",
        "finished": False,
        "download_url": None,
    }


@pytest.mark.django_db
def test_succeeded_has_the_download_link(client, staff):
    report = make_report()
    client.force_login(staff)
    body = client.get(url(report)).json()
    assert body["finished"] is True
    assert body["progress"] == 100
    assert body["download_url"] == reverse("reports:download", args=[report.pk])


@pytest.mark.django_db
def test_failed_shows_the_error(client, staff):
    report = make_report(state=Report.State.FAILED, error="Lần chạy 3/3 lỗi: X")
    client.force_login(staff)
    body = client.get(url(report)).json()
    assert body["error"] == "Lần chạy 3/3 lỗi: X"
    assert body["download_url"] is None


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.get(url(make_report()))
    assert response.status_code == 302


def test_it_refuses_facility_users(client, facility_user):
    client.force_login(facility_user)
    assert client.get(url(make_report())).status_code == 403


def test_it_rejects_post(client, staff):
    client.force_login(staff)
    assert client.post(url(make_report())).status_code == 405
