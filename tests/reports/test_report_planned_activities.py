"""A report of the current year made during it counts the activities already held: one planned
for later this year (the model allows it: `Activity.takes_place_later`) is neither listed nor
counted, and its budget is not in the year's funding."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports import generation
from reports.models import Report

from ..factories import ActivityFactory, UserFactory
from .file_text import docx_text

pytestmark = pytest.mark.django_db

PLANNED = "Hội thảo dự kiến cuối năm"
HELD = "Hội thảo đã tổ chức trong năm"


def build(year: int) -> str:
    report = Report.objects.create(
        kind=Report.Kind.ANNUAL_PROGRESS,
        year=year,
        format="docx",
        requested_by=UserFactory(role="staff"),
    )
    outcome = generation.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert outcome == generation.Outcome.SUCCEEDED, report.error
    with report.file.open("rb") as handle:
        return docx_text(handle.read())


def test_planned_activity_is_left_out_of_the_current_years_report():
    today = timezone.localdate()
    # (On 31 December the planned day falls in the next year, out of this report anyway.)
    ActivityFactory(kind="workshop", title=HELD, date=today, budget_province_vnd=11_000_000)
    ActivityFactory(
        kind="workshop",
        title=PLANNED,
        date=today + timedelta(days=1),
        budget_province_vnd=7_000_000,
    )
    text = build(today.year)
    assert HELD in text
    assert "11.000.000" in text
    assert PLANNED not in text
    assert "7.000.000" not in text
    assert "18.000.000" not in text
