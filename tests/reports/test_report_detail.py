import pytest
from django.urls import reverse

from reports.models import Report

from .report_view_helpers import make_report


@pytest.fixture
def failed(db):
    return make_report(state=Report.State.FAILED, attempts=3, error="Lần chạy 3/3 lỗi: Boom")


def test_it_works(client, official, failed):
    Report.objects.filter(pk=failed.pk).update(requested_by=official)  # their own request
    client.force_login(official)
    response = client.get(reverse("reports:detail", args=[failed.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lần chạy 3/3 lỗi: Boom" in body
    assert "3/3" in body
    assert reverse("reports:delete", args=[failed.pk]) not in body  # officials do not delete


def test_staff_see_the_delete_button(client, staff, failed):
    client.force_login(staff)
    body = client.get(reverse("reports:detail", args=[failed.pk])).content.decode()
    assert reverse("reports:delete", args=[failed.pk]) in body


def test_it_requires_login(client, failed):
    response = client.get(reverse("reports:detail", args=[failed.pk]))
    assert response.status_code == 302


def test_it_refuses_facility_users(client, facility_user, failed):
    client.force_login(facility_user)
    assert client.get(reverse("reports:detail", args=[failed.pk])).status_code == 403


def test_unknown_report(client, staff):
    client.force_login(staff)
    assert client.get(reverse("reports:detail", args=[424242])).status_code == 404
