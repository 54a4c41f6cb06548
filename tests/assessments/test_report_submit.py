"""assessments:report_submit — a facility's representative hands in a draft or returned report."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import ReportingDeadline

from .report_helpers import events


def _url(report):
    return reverse("assessments:report_submit", args=[report.pk])


def test_it_works(client, facility_user, draft_report, open_deadline):
    client.force_login(facility_user)
    response = client.get(_url(draft_report))
    assert response.status_code == 200
    assert "Gửi báo cáo để Sở Công Thương duyệt" in response.text
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"  # GET only asks for confirmation

    response = client.post(_url(draft_report), {"confirm": "1"}, follow=True)
    assert "Đã gửi báo cáo" in response.text
    draft_report.refresh_from_db()
    assert draft_report.state == "submitted"
    assert events(draft_report) == [("submit", "draft", "submitted", "")]


def test_a_returned_report_is_resubmitted(client, facility_user, returned_report, open_deadline):
    client.force_login(facility_user)
    client.post(_url(returned_report), {"confirm": "1"})
    returned_report.refresh_from_db()
    assert returned_report.state == "submitted"


def test_a_post_without_confirmation_only_asks(client, facility_user, draft_report, open_deadline):
    client.force_login(facility_user)
    response = client.post(_url(draft_report))
    assert response.status_code == 200
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_no_submission_after_the_deadline(client, facility_user, draft_report):
    client.force_login(facility_user)
    response = client.post(_url(draft_report), {"confirm": "1"}, follow=True)
    assert "quá hạn nộp báo cáo năm 2019" in response.text
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


@pytest.mark.parametrize(("days_left", "state"), [(0, "submitted"), (-1, "draft")])
def test_the_deadline_day_itself_is_still_open(
    client, facility_user, draft_report, days_left, state
):
    # Deadline today: submitted. Deadline yesterday: refused.
    deadline = timezone.localdate() + timedelta(days=days_left)
    ReportingDeadline.objects.create(year=draft_report.year, deadline=deadline)
    client.force_login(facility_user)
    client.post(_url(draft_report), {"confirm": "1"})
    draft_report.refresh_from_db()
    assert draft_report.state == state


@pytest.mark.parametrize("fixture", ["submitted_report", "approved_report"])
def test_only_drafts_and_returned_reports(client, facility_user, fixture, request, open_deadline):
    report = request.getfixturevalue(fixture)
    client.force_login(facility_user)
    response = client.post(_url(report), {"confirm": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == fixture.removesuffix("_report")


def test_it_requires_login(client, draft_report):
    response = client.post(_url(draft_report), {"confirm": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_other_facilities(client, outsider, draft_report, open_deadline):
    client.force_login(outsider)
    assert client.post(_url(draft_report), {"confirm": "1"}).status_code == 404
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


@pytest.mark.parametrize("who", ["staff", "official"])
def test_it_requires_the_facility_role(client, draft_report, who, request, open_deadline):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url(draft_report), {"confirm": "1"}).status_code == 403
    draft_report.refresh_from_db()
    assert draft_report.state == "draft"


def test_it_rejects_bad_input(client, facility_user, facility, open_deadline):
    from ..factories import AnnualReportFactory

    report = AnnualReportFactory(facility=facility, year=2019, state="draft", output=None)
    client.force_login(facility_user)
    response = client.post(_url(report), {"confirm": "1"}, follow=True)
    assert "Cần nhập sản lượng" in response.text
    report.refresh_from_db()
    assert report.state == "draft"
