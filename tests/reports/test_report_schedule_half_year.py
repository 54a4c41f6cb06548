"""The scheduled half-year run (issue 15 point 4): the half-year progress report is built as a
draft REPORT_REVIEW_DAYS after REPORT_HALF_YEAR_DAY of the same year, once per year and format;
the task body fast here, through a real worker in test_report_cycle_worker.py."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from reports import scheduling
from reports.models import Report
from reports.tasks import generate_report_task, half_year_reports_task

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _plan_years(plan_2021_2030):
    """The scheduled run builds drafts only for a plan year (the seeded plan ends in 2020)."""


@pytest.fixture
def enqueued():
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


@pytest.mark.django_db
def test_waits_for_the_half_year_day_and_the_review_window(enqueued, settings):
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    settings.REPORT_REVIEW_DAYS = 10
    settings.REPORT_HALF_YEAR_MONTH_DAY = (7, 15)
    # 15 July + 10 days: the draft from 25 July.
    assert scheduling.half_year_draft_due(2026) == date(2026, 7, 25)
    assert scheduling.reports_schedule_half_year(today=date(2026, 1, 20)) == []
    assert scheduling.reports_schedule_half_year(today=date(2026, 7, 24)) == []
    [report] = scheduling.reports_schedule_half_year(today=date(2026, 7, 25))
    assert (report.kind, report.year, report.format) == ("half_year_progress", 2026, "pdf")
    assert report.scheduled and report.requested_by is None
    assert enqueued.call_count == 0  # enqueued on commit


@pytest.mark.django_db
def test_once_per_year_and_format_and_a_failed_one_again(enqueued, settings):
    settings.REPORT_AUTO_FORMATS = ["pdf", "docx"]
    settings.REPORT_REVIEW_DAYS = 0
    created = scheduling.reports_schedule_half_year(today=date(2026, 8, 1))
    assert sorted((r.kind, r.year, r.format) for r in created) == [
        ("half_year_progress", 2026, "docx"),
        ("half_year_progress", 2026, "pdf"),
    ]
    assert scheduling.reports_schedule_half_year(today=date(2026, 12, 31)) == []
    Report.objects.filter(format="docx").update(state=Report.State.FAILED)
    again = scheduling.reports_schedule_half_year(today=date(2026, 12, 31))
    assert [r.format for r in again] == ["docx"]
    # Next year is a new half-year.
    assert len(scheduling.reports_schedule_half_year(today=date(2027, 7, 15))) == 2
    # The half-year run never builds the annual report or the Ministry's table.
    assert not Report.objects.exclude(kind=Report.Kind.HALF_YEAR_PROGRESS).exists()


@pytest.mark.django_db
def test_a_draft_of_the_annual_run_does_not_stop_the_half_year_run(enqueued, settings):
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    settings.REPORT_REVIEW_DAYS = 0
    Report.objects.create(kind=Report.Kind.ANNUAL_PROGRESS, year=2026, format="pdf", scheduled=True)
    assert len(scheduling.reports_schedule_half_year(today=date(2026, 7, 15))) == 1


@pytest.mark.django_db
def test_task_uses_this_year(enqueued, settings):
    settings.REPORT_AUTO_FORMATS = ["xlsx"]
    settings.REPORT_REVIEW_DAYS = 0
    today = timezone.localdate()
    settings.REPORT_HALF_YEAR_MONTH_DAY = (1, 1)
    [report_id] = half_year_reports_task()
    report = Report.objects.get(pk=report_id)
    assert (report.kind, report.year) == (Report.Kind.HALF_YEAR_PROGRESS, today.year)


def test_beat_checks_the_half_year_run_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["generated-reports-half-year"]
    assert entry["task"] == "reports.tasks.half_year_reports_task"
    assert entry["schedule"].hour == {6}
    assert len(entry["schedule"].day_of_month) == 31
    assert len(entry["schedule"].month_of_year) == 12


def test_the_default_day_is_15_july(settings):
    assert settings.REPORT_HALF_YEAR_DAY == "07-15"
    assert settings.REPORT_HALF_YEAR_MONTH_DAY == (7, 15)


@pytest.mark.parametrize("value", ["15-07", "7/15", "02-29", "juli"])
def test_a_bad_half_year_day_is_refused(value):
    env = {**os.environ, "REPORT_HALF_YEAR_DAY": value}
    result = subprocess.run(
        [sys.executable, "-c", "import sxsh_portal.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "REPORT_HALF_YEAR_DAY must be a day as MM-DD" in result.stderr
