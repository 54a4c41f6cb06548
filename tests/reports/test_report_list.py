import pytest
from django.urls import reverse

from reports.models import Report

from .report_view_helpers import make_report

URL = reverse("reports:list")


@pytest.mark.django_db
def test_it_works(client, official, staff):
    mine = make_report(by=official)
    running = make_report(state=Report.State.RUNNING, fmt="xlsx", progress=40, by=official)
    staff_draft = make_report(by=staff)
    client.force_login(official)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo tổng hợp" in body
    assert reverse("reports:progress", args=[running.pk]) in body
    assert reverse("reports:download", args=[mine.pk]) in body
    assert 'aria-valuenow="40"' in body
    assert reverse("reports:download", args=[staff_draft.pk]) not in body  # a draft: staff only
    assert "js/report-progress.js" in body
    assert "<script>" not in body  # no inline script


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_refuses_facility_users(client, facility_user):
    client.force_login(facility_user)
    assert client.get(URL).status_code == 403


def test_staff_see_it_too(client, staff, official):
    theirs = make_report(by=official)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("reports:download", args=[theirs.pk]) in response.text


def test_nav_link_for_officials_only(client, official, facility_user):
    client.force_login(official)
    assert URL in client.get(reverse("home")).content.decode()
    client.force_login(facility_user)
    assert URL not in client.get(reverse("home")).content.decode()
