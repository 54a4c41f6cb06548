import pytest
from django.urls import reverse

from reports.models import Report

from .report_view_helpers import make_report


def url(report):
    return reverse("reports:delete", args=[report.pk])


@pytest.fixture
def report(db):
    return make_report()


def test_it_works(client, staff, report):
    path = report.file.path
    client.force_login(staff)
    page = client.get(url(report))
    assert page.status_code == 200
    assert "Xác nhận xóa" in page.content.decode()
    assert Report.objects.filter(pk=report.pk).exists()  # GET only asks

    response = client.post(url(report))
    assert response.status_code == 302
    assert response.url == reverse("reports:list")
    assert not Report.objects.filter(pk=report.pk).exists()
    import os

    assert not os.path.exists(path)


def test_it_requires_login(client, report):
    assert client.post(url(report)).status_code == 302
    assert Report.objects.filter(pk=report.pk).exists()


def test_it_requires_staff(client, official, report):
    own = make_report(by=official)  # officials see their own requests, yet do not delete them
    client.force_login(official)
    assert client.get(url(own)).status_code == 403
    assert client.post(url(own)).status_code == 403
    assert client.post(url(report)).status_code == 404  # another's draft: hidden from officials
    assert Report.objects.filter(pk__in=[own.pk, report.pk]).count() == 2


def test_it_refuses_facility_users(client, facility_user, report):
    client.force_login(facility_user)
    assert client.post(url(report)).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_unknown_report(client, staff):
    client.force_login(staff)
    assert client.post(reverse("reports:delete", args=[424242])).status_code == 404
