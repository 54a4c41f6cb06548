"""assessments:report_reopen — staff unlock an approved report with a logged reason."""

import pytest
from django.urls import reverse

from .report_helpers import events


def _url(report):
    return reverse("assessments:report_reopen", args=[report.pk])


def test_it_works(client, staff, approved_report):
    client.force_login(staff)
    response = client.get(_url(approved_report))
    assert response.status_code == 200
    assert "Lý do mở lại" in response.text

    data = {"confirm": "1", "text": "Cơ sở khai sai đơn vị.", "to_state": "returned"}
    response = client.post(_url(approved_report), data, follow=True)
    assert "Đã mở lại báo cáo" in response.text
    approved_report.refresh_from_db()
    assert approved_report.state == "returned"
    assert events(approved_report) == [("reopen", "approved", "returned", "Cơ sở khai sai đơn vị.")]


def test_back_to_draft(client, staff, approved_report):
    client.force_login(staff)
    client.post(_url(approved_report), {"confirm": "1", "text": "Nhầm", "to_state": "draft"})
    approved_report.refresh_from_db()
    assert approved_report.state == "draft"


@pytest.mark.parametrize(
    "data",
    [
        {"confirm": "1", "text": "", "to_state": "returned"},
        {"confirm": "1", "text": "x", "to_state": "submitted"},
    ],
)
def test_it_rejects_bad_input(client, staff, approved_report, data):
    client.force_login(staff)
    response = client.post(_url(approved_report), data)
    assert response.status_code == 200
    approved_report.refresh_from_db()
    assert approved_report.state == "approved"
    assert not events(approved_report)


def test_only_approved_reports(client, staff, submitted_report):
    client.force_login(staff)
    data = {"confirm": "1", "text": "x", "to_state": "returned"}
    response = client.post(_url(submitted_report), data, follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"


def test_it_requires_login(client, approved_report):
    response = client.post(_url(approved_report), {"confirm": "1", "text": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_it_requires_staff(client, approved_report, who, request):
    client.force_login(request.getfixturevalue(who))
    data = {"confirm": "1", "text": "x", "to_state": "returned"}
    assert client.post(_url(approved_report), data).status_code == 403
    approved_report.refresh_from_db()
    assert approved_report.state == "approved"


def test_it_hides_other_facilities(client, outsider, approved_report):
    client.force_login(outsider)
    data = {"confirm": "1", "text": "x", "to_state": "returned"}
    assert client.post(_url(approved_report), data).status_code == 404
