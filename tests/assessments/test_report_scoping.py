"""A facility user gets 404 for every URL of another facility's annual report, whatever its
state, by GET and by POST, and nothing changes; the staff-only pages are 403 for them."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReport, WorkflowEvent

from ..factories import AnnualReportFactory
from .report_helpers import report_data

REPORT_URLS = [
    "report_detail",
    "report_edit",
    "report_submit",
    "report_return",
    "report_approve",
    "report_reopen",
]
STAFF_PAGES = [
    "review_queue",
    "deadline_list",
    "deadline_exception",
    "report_import",
]
POST_DATA = {**report_data(), "confirm": "1", "text": "x", "to_state": "draft", "submit": "1"}


def _snapshot(report):
    report.refresh_from_db()
    return (
        report.state,
        report.output,
        report.review_comment,
        report.updated_at,
        WorkflowEvent.objects.filter(report=report).count(),
        report.history.count(),
    )


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
@pytest.mark.parametrize("name", REPORT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_facilities_reports_are_404(client, outsider, facility, state, name, method):
    report = AnnualReportFactory(facility=facility, year=2019, state=state)
    before = _snapshot(report)
    client.force_login(outsider)
    response = getattr(client, method)(reverse(f"assessments:{name}", args=[report.pk]), POST_DATA)
    assert response.status_code == 404
    assert _snapshot(report) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_creating_a_report_for_another_facility_is_404(client, outsider, facility, method):
    client.force_login(outsider)
    url = reverse("assessments:report_create", args=[facility.pk])
    assert getattr(client, method)(url, POST_DATA).status_code == 404
    assert not AnnualReport.objects.exists()


def test_the_list_shows_only_their_reports(client, outsider, facility, other_facility):
    mine = AnnualReportFactory(facility=other_facility, year=2018, state="draft")
    AnnualReportFactory(facility=facility, year=2018, state="approved")
    client.force_login(outsider)
    response = client.get(reverse("assessments:report_list"), {"facility": facility.pk})
    assert list(response.context["page"].object_list) == []
    response = client.get(reverse("assessments:report_list"))
    assert list(response.context["page"].object_list) == [mine]
    assert facility.name not in response.text


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_staff_pages_are_403_for_others(client, name, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(f"assessments:{name}")).status_code == 403
    assert client.post(reverse(f"assessments:{name}"), {}).status_code == 403
