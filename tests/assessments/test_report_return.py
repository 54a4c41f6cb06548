"""assessments:report_return — staff send a submitted report back with a comment."""

import pytest
from django.urls import reverse

from .report_helpers import events


def _url(report):
    return reverse("assessments:report_return", args=[report.pk])


def test_it_works(client, staff, submitted_report):
    client.force_login(staff)
    response = client.get(_url(submitted_report))
    assert response.status_code == 200
    assert "Trả lại báo cáo để cơ sở sửa" in response.text

    data = {"confirm": "1", "text": "Sản lượng chưa khớp với doanh thu."}
    response = client.post(_url(submitted_report), data, follow=True)
    assert "Đã trả lại báo cáo" in response.text
    submitted_report.refresh_from_db()
    assert submitted_report.state == "returned"
    assert submitted_report.review_comment == "Sản lượng chưa khớp với doanh thu."
    assert events(submitted_report) == [
        ("return", "submitted", "returned", "Sản lượng chưa khớp với doanh thu.")
    ]


def test_it_rejects_bad_input(client, staff, submitted_report):
    client.force_login(staff)
    response = client.post(_url(submitted_report), {"confirm": "1", "text": "  "})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.text or "bắt buộc" in response.text
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"
    assert not events(submitted_report)


def test_only_submitted_reports(client, staff, draft_report):
    client.force_login(staff)
    response = client.post(_url(draft_report), {"confirm": "1", "text": "x"}, follow=True)
    assert "Không thể thực hiện thao tác này" in response.text
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_it_requires_login(client, submitted_report):
    response = client.post(_url(submitted_report), {"confirm": "1", "text": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_it_requires_staff(client, submitted_report, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url(submitted_report), {"confirm": "1", "text": "x"}).status_code == 403
    submitted_report.refresh_from_db()
    assert submitted_report.state == "submitted"


def test_it_hides_other_facilities(client, outsider, submitted_report):
    client.force_login(outsider)
    assert client.post(_url(submitted_report), {"confirm": "1", "text": "x"}).status_code == 404
