"""History reads like a record of work, not a database dump (issue 16): Vietnamese labels,
choice labels, names, local times and Vietnamese numbers."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AnnualReport

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


def test_a_report_page_shows_readable_changes(client, staff, facility):
    staff.full_name = "Nguyễn Văn Cán"
    staff.save()
    report = AnnualReportFactory(
        facility=facility, year=2019, state="draft", output=Decimal("20.8")
    )
    report.refresh_from_db()
    report._history_user = staff
    report.output = Decimal("850000")
    report.state = AnnualReport._meta.get_field("state").choices[-1][0]
    report.save()

    client.force_login(staff)
    page = client.get(reverse("assessments:report_detail", args=[report.pk])).content.decode()

    assert "20,8 → 850.000" in page  # not 20.800 → 850000.000
    assert "Nguyễn Văn Cán" in page
    assert "Sửa" in page and "Changed" not in page
    label = str(AnnualReport._meta.get_field("state").flatchoices[-1][1])
    assert f"→ {label}" in page  # the state's label, not its code


def test_times_are_local():
    from core.history import _display

    field = AnnualReport._meta.get_field("created_at")
    assert _display(field, datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == "02/01/2026 00:30"
