"""assessments:report_approve — staff approve a submitted report, which locks it."""

import pytest
from django.urls import reverse

from .report_helpers import events


def _url(report):
    return reverse("assessments:report_approve", args=[report.pk])


def test_it_works(client, staff, submitted_report):
    client.force_login(staff)
    response = client.get(_url(submitted_report))
    assert response.status_code == 200
    assert "sẽ bị khóa" in response.text

    response = client.post(_url(submitted_report), {"confirm": "1", "text": ""}, follow=True)
    assert "Đã duyệt báo cáo" in response.text
    submitted_report.refresh_from_db()
    assert submitted_report.state == "approved"
    assert submitted_report.reviewed_by == staff
    assert events(submitted_report) == [("approve", "submitted", "approved", "")]


def test_with_a_comment(client, staff, submitted_report):
    client.force_login(staff)
    client.post(_url(submitted_report), {"confirm": "1", "text": "Tốt."})
    submitted_report.refresh_from_db()
    assert submitted_report.review_comment == "Tốt."


def test_it_rejects_bad_input(client, staff, returned_report):
    client.force_login(staff)
    response = client.post(_url(returned_report), {"confirm": "1"}, follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    returned_report.refresh_from_db()
    assert returned_report.state == "returned"


def test_it_requires_login(client, submitted_report):
    response = client.post(_url(submitted_report), {"confirm": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, submitted_report):
    client.force_login(outsider)
    assert client.post(_url(submitted_report), {"confirm": "1"}).status_code == 404


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_it_requires_staff(client, submitted_report, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(submitted_report)).status_code == 403
    assert client.post(_url(submitted_report), {"confirm": "1"}).status_code == 403
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"
