"""A returned report sent again within the minute: its history read "Ngày gửi: 06/12/2026 21:47
→ 06/12/2026 21:47", a change that shows none. Two times that would read the same to the minute
are shown with their seconds; within one second, the line is left out (core/history.py)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReport, ReportingDeadline
from core.history import history_entries

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db

FIRST = timezone.make_aware(datetime(2026, 12, 6, 21, 47, 5))  # the portal's local time


@pytest.fixture
def resubmitted(client, staff, facility_user, facility):
    """A report submitted, returned and submitted again through the pages."""
    deadline = timezone.localdate() + timedelta(days=30)
    ReportingDeadline.objects.create(year=2019, deadline=deadline)
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    AnnualReport.objects.filter(pk=report.pk).update(submitted_at=FIRST)
    report.refresh_from_db()
    report.save()  # the first submission's time in the history

    client.force_login(staff)
    url = reverse("assessments:report_return", args=[report.pk])
    assert client.post(url, {"confirm": "1", "text": "Bổ sung số liệu điện."}).status_code == 302
    client.force_login(facility_user)
    url = reverse("assessments:report_submit", args=[report.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 302
    return report


def _sent_again_at(report, when):
    """The resubmission stamped at `when` (the flow ran now, not in 2026)."""
    latest = report.history.order_by("-history_id").first()
    assert latest.submitted_at != FIRST  # the resubmission set a new time
    report.history.filter(pk=latest.pk).update(submitted_at=when)
    AnnualReport.objects.filter(pk=report.pk).update(submitted_at=when)


def test_a_report_sent_again_within_the_minute_shows_the_seconds(client, resubmitted):
    _sent_again_at(resubmitted, FIRST + timedelta(seconds=40))

    page = client.get(resubmitted.get_absolute_url()).text

    assert "<li>Ngày gửi: 06/12/2026 21:47:05 → 06/12/2026 21:47:45</li>" in page
    assert "21:47 → 06/12/2026 21:47<" not in page


def test_a_later_resubmission_keeps_minutes(client, resubmitted):
    _sent_again_at(resubmitted, FIRST + timedelta(hours=2))

    page = client.get(resubmitted.get_absolute_url()).text

    assert "<li>Ngày gửi: 06/12/2026 21:47 → 06/12/2026 23:47</li>" in page


def test_times_within_one_second_are_no_change_to_show(resubmitted):
    _sent_again_at(resubmitted, FIRST + timedelta(microseconds=300))

    resubmission = history_entries(resubmitted)[0]
    assert resubmission["reason"] or resubmission["changes"]  # the entry itself stays
    labels = [label for label, _old, _new in resubmission["changes"]]
    assert "Trạng thái" in labels and "Ngày gửi" not in labels
